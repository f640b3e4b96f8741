from django.urls import path

from students import views

app_name = "students"

urlpatterns = [
    path("manage/universities/", views.university_list, name="university_list"),
]
