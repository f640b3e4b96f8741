from django.urls import path

from ledger import views

app_name = "ledger"
urlpatterns = [
    path("ledger/", views.entry_list, name="entry_list"),
    path("ledger/new/", views.entry_create, name="entry_create"),
    path("ledger/<int:pk>/", views.entry_detail, name="entry_detail"),
    path("ledger/<int:pk>/edit/", views.entry_edit, name="entry_edit"),
    path("ledger/<int:pk>/delete/", views.entry_delete, name="entry_delete"),
    path("ledger/<int:pk>/merge/", views.entry_merge, name="entry_merge"),
    path("ledger/<int:pk>/contacts/", views.contact_add, name="contact_add"),
    path("ledger/<int:pk>/registrations/", views.registration_add, name="registration_add"),
    path("ledger/duplicates/", views.duplicates, name="duplicates"),
    path("ledger/export/", views.export, name="export"),
    path("ledger/template/", views.template, name="template"),
    path("ledger/import/", views.import_upload, name="import_upload"),
    path("ledger/import/<int:pk>/", views.import_job, name="import_job"),
    path("ledger/import/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("ledger/channels/", views.channel_list, name="channel_list"),
    path("ledger/channels/new/", views.channel_edit, name="channel_create"),
    path("ledger/channels/<int:pk>/", views.channel_detail, name="channel_detail"),
    path("ledger/channels/<int:pk>/edit/", views.channel_edit, name="channel_edit"),
    path("ledger/notices/", views.notice_list, name="notice_list"),
    path("ledger/notices/new/", views.notice_create, name="notice_create"),
    path("ledger/notices/<int:pk>/", views.notice_detail, name="notice_detail"),
    path("ledger/n/<str:token>/", views.notice_read, name="notice_read"),
    path("ledger/events/", views.event_list, name="event_list"),
    path("ledger/events/new/", views.event_edit, name="event_create"),
    path("ledger/events/<int:pk>/", views.event_detail, name="event_detail"),
    path("ledger/events/<int:pk>/edit/", views.event_edit, name="event_edit"),
    path("ledger/events/<int:pk>/materials/", views.event_materials, name="event_materials"),
    path(
        "ledger/events/<int:pk>/materials/<int:material_pk>/",
        views.event_material,
        name="event_material",
    ),
    path(
        "ledger/events/<int:pk>/materials/<int:material_pk>/delete/",
        views.event_material_delete,
        name="event_material_delete",
    ),
    path("ledger/returns/", views.registration_list, name="registration_list"),
    path("ledger/returns/<int:pk>/decide/", views.registration_decide, name="registration_decide"),
]
