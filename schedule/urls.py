from django.urls import path

from schedule import views

app_name = "schedule"

urlpatterns = [
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/years/new/", views.programme_year_new, name="programme_year_new"),
    path("calendar/years/<int:pk>/edit/", views.calendar_edit, name="calendar_edit"),
    path("calendar/years/<int:pk>/summary/", views.summary_done, name="summary_done"),
    path("calendar/years/<int:pk>/milestones/new/", views.milestone_new, name="milestone_new"),
    path("calendar/milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("calendar/milestones/<int:pk>/delete/", views.milestone_delete, name="milestone_delete"),
    path("calendar/enforce/", views.enforce_now, name="enforce_now"),
    path("calendar/units/<int:pk>/extend/", views.unit_extend, name="unit_extend"),
    path("calendar/units/<int:pk>/excuse/", views.unit_excuse, name="unit_excuse"),
    path("calendar/units/<int:pk>/done/", views.unit_done, name="unit_done"),
    path(
        "calendar/units/<int:pk>/done/download/",
        views.unit_done_download,
        name="unit_done_download",
    ),
    path("calendar/university/", views.university_calendar, name="university_calendar"),
    path("calendar/plan/", views.plan, name="plan"),
    path("calendar/plans/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("calendar/plans/<int:pk>/download/", views.plan_download, name="plan_download"),
    path(
        "calendar/plans/<int:pk>/versions/<int:number>/download/",
        views.plan_version_download,
        name="plan_version_download",
    ),
    path("calendar/onboarding/", views.onboarding, name="onboarding"),
    path("progress/", views.progress_list, name="progress_list"),
    path("progress/<int:pk>/<str:quarter>/", views.progress_edit, name="progress_edit"),
    path("progress/reports/<int:pk>/", views.progress_detail, name="progress_detail"),
    path("progress/reports/<int:pk>/export/", views.progress_export, name="progress_export"),
]
