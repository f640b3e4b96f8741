"""高校工作."""

from django.urls import path

from universities import views

app_name = "universities"
urlpatterns = [
    path("university/dashboard/", views.dashboard, name="dashboard"),
    path("university/dashboard/export/", views.dashboard_export, name="dashboard_export"),
    path("university/notices/", views.notices, name="notices"),
    path("university/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("university/recommendations/", views.recommendations, name="recommendations"),
    path("university/students/<int:pk>/recommend/", views.recommend, name="recommend"),
    path("university/certificates/", views.certificates, name="certificates"),
    path(
        "university/performance/issue/<int:pk>/",
        views.certificate_issue,
        name="certificate_issue",
    ),
    path("performance/<int:pk>/", views.certificate, name="certificate"),
    path("performance/<int:pk>/revoke/", views.certificate_revoke, name="certificate_revoke"),
    path("me/notices/<int:pk>/", views.my_notice, name="my_notice"),
]
