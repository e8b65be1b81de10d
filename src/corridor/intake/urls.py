from django.urls import path

from corridor.intake import views

app_name = "intake"
urlpatterns = [
    path("", views.intake_list, name="list"),
    path("new/", views.intake_new, name="new"),
    path("<uuid:uid>/", views.intake_detail, name="detail"),
    path("sms/", views.sms_webhook, name="sms_webhook"),
    path("handoffs/", views.handoff_list, name="handoffs"),
    path("handoffs/duty/", views.duty_list, name="duty"),
    path("handoffs/duty/<int:pk>/remove/", views.duty_remove, name="duty_remove"),
    path("handoffs/<uuid:uid>/", views.handoff_detail, name="handoff_detail"),
    path(
        "handoffs/<uuid:uid>/<str:action>/",
        views.handoff_act,
        name="handoff_act",
    ),
]
