from django.urls import path

from corridor.people import views

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("<int:pk>/", views.person_detail, name="detail"),
    path("<int:pk>/photo/", views.person_photo, name="photo"),
    path("<int:pk>/do/<slug:action>/", views.person_action, name="action"),
]
