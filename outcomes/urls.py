"""实践成果."""

from django.urls import path

from outcomes import views

app_name = "outcomes"

urlpatterns = [
    path("placements/<int:pk>/outcome/", views.detail, name="detail"),
    path("me/placements/<int:pk>/outcome/", views.edit, name="edit"),
    path("me/placements/<int:pk>/outcome/consent/", views.consent, name="consent"),
    path("placements/<int:pk>/outcome/photos/<int:photo_pk>/", views.photo, name="photo"),
    path("placements/<int:pk>/outcome/report/", views.report, name="report"),
    path("manage/outcome-rule/", views.rule, name="rule"),
]
