"""REST endpoints of cases, approvals and the records a case gathers (included once by
``corridor.api_urls``; in-country referrals come with their app)."""

from rest_framework.routers import SimpleRouter

from corridor.cases import api, api_records

router = SimpleRouter()
router.register("cases", api.CaseViewSet, basename="case")
router.register("approvals", api.ApprovalViewSet, basename="approval")
router.register("consents", api_records.ConsentViewSet, basename="consent")
router.register("support-plans", api_records.SupportPlanViewSet, basename="support-plan")
router.register(
    "services-provided", api_records.ServiceDeliveryViewSet, basename="service-provided"
)
router.register("tasks", api_records.TaskViewSet, basename="task")
router.register("case-notes", api_records.NoteViewSet, basename="case-note")
router.register(
    "trafficking-events", api_records.TraffickingEventViewSet, basename="trafficking-event"
)

urlpatterns = router.urls
