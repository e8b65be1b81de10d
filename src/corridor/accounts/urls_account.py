"""Each user's own pages ("My account"): their API tokens."""

from django.urls import path

from corridor.accounts import views

app_name = "account"
urlpatterns = [
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
