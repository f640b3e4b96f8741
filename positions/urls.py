from django.urls import path

from positions import views

app_name = "positions"

urlpatterns = [
    path("posts/", views.post_search, name="search"),
    path("posts/<int:pk>/", views.post_public_detail, name="public_detail"),
    path("regions/options/", views.region_options, name="region_options"),
    path("manage/host-units/", views.host_unit_list, name="host_unit_list"),
    path("manage/host-units/new/", views.host_unit_create, name="host_unit_create"),
    path("manage/host-units/<int:pk>/", views.host_unit_detail, name="host_unit_detail"),
    path("manage/host-units/<int:pk>/edit/", views.host_unit_edit, name="host_unit_edit"),
    path("manage/posts/", views.post_list, name="post_list"),
    path("manage/posts/new/", views.post_create, name="post_create"),
    path("manage/posts/<int:pk>/", views.post_detail, name="post_detail"),
    path("manage/posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("manage/posts/<int:pk>/publish/", views.post_publish, name="post_publish"),
    path("manage/posts/<int:pk>/close/", views.post_close, name="post_close"),
    path("manage/posts/<int:pk>/cancel/", views.post_cancel, name="post_cancel"),
]
