from django.urls import path

from students import views

app_name = "students"

urlpatterns = [
    path("manage/universities/", views.university_list, name="university_list"),
    path("manage/universities/<int:pk>/rename/", views.university_rename, name="university_rename"),
    path("universities/search/", views.university_search, name="university_search"),
    path("register/", views.register, name="register"),
    path("privacy/", views.privacy_notice, name="privacy"),
    path("manage/students/", views.county_students, name="county_students"),
    path("manage/students/<int:pk>/identity/", views.identity_correct, name="identity_correct"),
    path(
        "manage/students/<int:pk>/password/reset/",
        views.student_password_reset,
        name="student_password_reset",
    ),
    path("me/", views.me, name="me"),
    path("me/profile/", views.profile, name="profile"),
    path("me/data/", views.my_data, name="my_data"),
    path("me/erase/", views.erase, name="erase"),
    path("posts/<int:post_pk>/apply/", views.apply, name="apply"),
    path("me/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("me/applications/<int:pk>/up/", views.move_up, name="move_up"),
    path("me/applications/<int:pk>/confirm/", views.confirm, name="confirm"),
    path("me/applications/<int:pk>/decline/", views.decline, name="decline"),
    path("me/placements/<int:pk>/checkin/", views.checkin, name="checkin"),
    path("me/placements/<int:pk>/logs/", views.log_add, name="log_add"),
    path("manage/logs/<int:pk>/confirm/", views.log_confirm, name="log_confirm"),
    path("certificates/<int:pk>/", views.certificate, name="certificate"),
    path("verify/", views.verify, name="verify"),
    path("manage/posts/<int:post_pk>/applicants/", views.post_applicants, name="post_applicants"),
    path(
        "manage/posts/<int:post_pk>/applicants/export/",
        views.post_applicants_export,
        name="post_applicants_export",
    ),
    path("manage/applications/<int:pk>/rank/", views.host_rank, name="host_rank"),
    path("manage/applications/<int:pk>/shortlist/", views.shortlist, name="shortlist"),
    path("manage/applications/<int:pk>/reject/", views.reject, name="reject"),
    path("manage/applications/<int:pk>/offer/", views.offer, name="offer"),
    path("manage/applications/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("manage/placements/", views.placement_list, name="placement_list"),
    path("manage/placements/<int:pk>/report/", views.placement_report, name="placement_report"),
    path("manage/placements/<int:pk>/train/", views.placement_train, name="placement_train"),
    path(
        "manage/placements/<int:pk>/evaluate/",
        views.placement_evaluate,
        name="placement_evaluate",
    ),
    path("manage/placements/<int:pk>/drop/", views.placement_drop, name="placement_drop"),
    path("manage/matching/", views.matching, name="matching"),
    path("manage/matching/run/", views.matching_run, name="matching_run"),
    path("manage/matching/<int:pk>/publish/", views.matching_publish, name="matching_publish"),
    path(
        "manage/matching/outcomes/<int:pk>/toggle/", views.matching_toggle, name="matching_toggle"
    ),
    path("manage/matching/supplementary/", views.supplementary_open, name="supplementary_open"),
    path("me/supplementary/", views.supplementary, name="supplementary"),
    path("university/students/", views.university_students, name="university_students"),
    path(
        "university/students/export/",
        views.university_students_export,
        name="university_students_export",
    ),
    path("credits/", views.credits_page, name="credits"),
    path("credits/export/", views.credits_export, name="credits_export"),
    path("university/applications/<int:pk>/<str:kind>/", views.clearance, name="clearance"),
]
