from django.urls import path

from helpcentre import views

app_name = "helpcentre"
urlpatterns = [
    path("help/", views.index, name="index"),
    path("help/<slug:role>/", views.guide, name="guide"),
    path("help/<slug:role>/print/", views.manual, name="manual"),
]
