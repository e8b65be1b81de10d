from django.urls import path

from corridor.tracing import views, views_lookup

app_name = "tracing"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/decide/", views.request_decide, name="decide"),
    path("<int:pk>/close/", views.request_close, name="close"),
    path("<int:pk>/lookup/", views.request_lookup, name="lookup"),
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<int:pk>/decide/", views.duplicate_decide, name="duplicate_decide"),
    path("duplicates/<int:pk>/merge/", views.duplicate_merge, name="duplicate_merge"),
    path("merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("model/", views.match_models, name="models"),
    path("model/retrain/", views.match_model_retrain, name="model_retrain"),
    path("model/<int:pk>/activate/", views.match_model_activate, name="model_activate"),
    path("model/shipped/", views.match_model_activate, name="model_shipped"),
    path("lookups/", views_lookup.lookups, name="lookups"),
    path("lookups/pause/", views_lookup.lookups_pause, name="lookups_pause"),
    path("people/<int:pk>/duplicates/", views.person_duplicates, name="person_duplicates"),
]
