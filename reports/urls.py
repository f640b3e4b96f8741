from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("reports/", views.report_list, name="list"),
    path("reports/new/", views.report_create, name="create"),
    path("reports/compile/", views.reports_compile, name="compile"),
    path("reports/<int:pk>/", views.report_detail, name="detail"),
    path("reports/<int:pk>/edit/", views.report_edit, name="edit"),
    path("reports/<int:pk>/submit/", views.report_submit, name="submit"),
    path("reports/<int:pk>/mark/", views.report_mark, name="mark"),
    path("reports/<int:pk>/photos/<int:photo_pk>/", views.report_photo, name="photo"),
]
