app_name = "universities"
urlpatterns: list = []
