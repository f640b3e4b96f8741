from django.urls import path

from summary import views

app_name = "summary"
urlpatterns = [
    path("summary/", views.scores, name="scores"),
    path("summary/years/<int:pk>/recompute/", views.scores_recompute, name="scores_recompute"),
    path("summary/years/<int:pk>/export/", views.scores_export, name="scores_export"),
    path(
        "summary/years/<int:pk>/commend/",
        views.commendations_choose,
        name="commendations_choose",
    ),
    path(
        "summary/years/<int:pk>/publish/",
        views.commendations_publish,
        name="commendations_publish",
    ),
    path("summary/years/<int:pk>/commendations/", views.commendations, name="commendations"),
    path("summary/scores/<int:pk>/", views.score_detail, name="score_detail"),
    path("summary/years/<int:pk>/rule/", views.scoring_rule, name="scoring_rule"),
    path("summary/city-activities/", views.city_activity_list, name="city_activity_list"),
    path("summary/city-activities/new/", views.city_activity_create, name="city_activity_create"),
    path(
        "summary/city-activities/<int:pk>/",
        views.city_activity_detail,
        name="city_activity_detail",
    ),
    path(
        "summary/city-activities/<int:pk>/edit/",
        views.city_activity_edit,
        name="city_activity_edit",
    ),
    path(
        "summary/city-activities/<int:pk>/photos/<int:photo_pk>/",
        views.city_activity_photo,
        name="city_activity_photo",
    ),
    path("summary/cases/", views.case_list, name="case_list"),
    path("summary/cases/new/", views.case_create, name="case_create"),
    path("summary/years/<int:pk>/case-rule/", views.case_rule, name="case_rule"),
    path("summary/cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("summary/cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("summary/cases/<int:pk>/review/", views.case_review, name="case_review"),
    path("summary/cases/<int:pk>/photos/<int:photo_pk>/", views.case_photo, name="case_photo"),
    path("five/", views.five_tasks, name="five"),
    path("five/export/", views.five_export, name="five_export"),
    path("five/<str:code>/", views.five_county, name="five_county"),
    path("briefings/", views.briefing_list, name="briefing_list"),
    path("briefings/new/", views.briefing_create, name="briefing_create"),
    path("briefings/<int:pk>/", views.briefing_detail, name="briefing_detail"),
    path("briefings/<int:pk>/edit/", views.briefing_edit, name="briefing_edit"),
    path("briefings/<int:pk>/publish/", views.briefing_publish, name="briefing_publish"),
]
