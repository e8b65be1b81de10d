from django.urls import path

from corridor.federation import views

app_name = "federation"
urlpatterns = [
    path("inbox/", views.receive, name="receive"),
    path("hello/", views.hello, name="hello"),
    path("peers/", views.peers, name="peers"),
    path("peers/rotate/", views.rotate, name="rotate"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<int:pk>/retry/", views.message_retry, name="message_retry"),
    path("outbox/export/<int:peer_id>/", views.sealed_export, name="sealed_export"),
    path("outbox/receipts/", views.receipts_download, name="receipts"),
]
