app_name = "intel"
urlpatterns: list = []
