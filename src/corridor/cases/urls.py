from django.urls import include, path

from corridor.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("htcds/", include("corridor.cases.urls_htcds")),
    path("new/", views.case_open, name="open"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/do/<slug:action>/", views.case_action, name="action"),
]
