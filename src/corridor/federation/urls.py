from django.urls import path

from corridor.federation import views

app_name = "federation"
urlpatterns = [
    path("inbox/", views.receive, name="receive"),
    path("hello/", views.hello, name="hello"),
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/<int:pk>/", views.referral_detail, name="referral"),
    path("referrals/<int:pk>/do/<slug:action>/", views.referral_action, name="referral_action"),
    path("refer/<int:case_id>/", views.refer, name="refer"),
    path("peers/", views.peers, name="peers"),
    path("peers/rotate/", views.rotate, name="rotate"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/export/<int:peer_id>/", views.sealed_export, name="sealed_export"),
    path("outbox/receipts/", views.receipts_download, name="receipts"),
]
