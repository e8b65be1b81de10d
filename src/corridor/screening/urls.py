from django.urls import path

from corridor.screening import views

app_name = "screening"
urlpatterns = [
    path("", views.screening_list, name="list"),
    path("new/", views.screening_new, name="new"),
    path("people/", views.person_lookup, name="person_lookup"),
    path("<uuid:uid>/", views.screening_detail, name="detail"),
    path("<uuid:uid>/open-case/", views.screening_open_case, name="open_case"),
    path("<uuid:uid>/propose/", views.screening_propose, name="propose"),
    path("<uuid:uid>/decide/", views.screening_decide, name="decide"),
]
