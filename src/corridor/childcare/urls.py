from django.urls import path

from corridor.childcare import views

app_name = "childcare"
urlpatterns = [
    path("occupancy/", views.occupancy, name="occupancy"),
    path("case/<int:pk>/", views.child_file_page, name="file"),
    path("case/<int:pk>/<str:action>/", views.child_action, name="action"),
]
