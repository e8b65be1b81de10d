from django.urls import path

from corridor.justice import views

app_name = "justice"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("glotip/", views.glotip, name="glotip"),
    path("requests/", views.mla_list, name="mla_list"),
    path("requests/<int:pk>/", views.mla_detail, name="mla_detail"),
    path("requests/<int:pk>/<str:action>/", views.mla_action, name="mla_action"),
    path("<int:pk>/requests/new/", views.mla_create, name="mla_create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/file.pdf", views.court_file, name="court_file"),
    path("<int:pk>/<str:action>/", views.case_action, name="action"),
]
