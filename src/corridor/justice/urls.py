from django.urls import path

from corridor.justice import views

app_name = "justice"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_create, name="create"),
    path("glotip/", views.glotip, name="glotip"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/file.pdf", views.court_file, name="court_file"),
    path("<int:pk>/<str:action>/", views.case_action, name="action"),
]
