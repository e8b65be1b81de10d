from django.urls import path

from corridor.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("directory/", views.directory, name="directory"),
    path("new/<int:case_pk>/", views.referral_create, name="create"),
    path("<int:pk>/", views.referral_detail, name="detail"),
]
