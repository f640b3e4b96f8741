from django.urls import path

from dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("dashboard/", views.home, name="home"),
    path("dashboard/<str:code>/", views.region, name="region"),
    path("dashboard/<str:code>/export/<str:table>/", views.export, name="export"),
]
