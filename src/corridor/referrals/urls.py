from django.urls import path

from corridor.referrals import views

app_name = "referrals"
urlpatterns = [
    path("", views.referral_list, name="list"),
    path("directory/", views.directory, name="directory"),
    path("new/<int:case_pk>/", views.referral_create, name="create"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("cross-border/", views.cross_border_list, name="cross_border_list"),
    path("cross-border/<int:pk>/", views.cross_border_detail, name="cross_border_detail"),
    path(
        "cross-border/<int:pk>/do/<slug:action>/",
        views.cross_border_action,
        name="cross_border_action",
    ),
    path("cross-border/refer/<int:case_id>/", views.cross_border_refer, name="cross_border_refer"),
]
