"""安全保障."""

from django.urls import path

from safety import views

app_name = "safety"
urlpatterns = [
    path("me/emergency-contact/", views.contact, name="contact"),
    path(
        "manage/placements/<int:pk>/emergency-contact/",
        views.contact_reveal,
        name="contact_reveal",
    ),
    path("manage/placements/<int:pk>/insurance/", views.insurance, name="insurance"),
    path("manage/insurance/", views.insurance_list, name="insurance_list"),
    path("manage/insurance/export/", views.insurance_export, name="insurance_export"),
    path("manage/safety-rule/", views.rule_current, name="rule_current"),
    path("manage/safety-rule/<int:pk>/", views.rule, name="rule"),
]
