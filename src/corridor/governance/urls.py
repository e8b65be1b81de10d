from django.urls import path, re_path

from corridor.governance import views

app_name = "governance"
urlpatterns = [
    path("agreements/", views.agreement_list, name="agreements"),
    path("retention/", views.retention_page, name="retention"),
    path("register/", views.register_page, name="register"),
    path("joint/", views.joint_page, name="joint"),
    path("requests/", views.request_list, name="requests"),
    path("results/", views.results_page, name="results"),
    re_path(
        r"^results/report\.(?P<language>fr|en)\.(?P<fmt>pdf|xlsx)$",
        views.results_report,
        name="results_report",
    ),
    path("results/evidence/<int:pk>/", views.results_evidence, name="results_evidence"),
    path("framework/", views.framework_page, name="framework"),
    path("framework/late/", views.late_page, name="late"),
    re_path(r"^people/(?P<pk>\d+)/export\.(?P<fmt>json|pdf)$", views.subject_export, name="export"),
]
