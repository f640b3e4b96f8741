from django.contrib import admin

from ledger.models import Channel, Entry, ExchangeEvent, ImportJob, LedgerNotice, ReturnRegistration
from schedule.admin import ReadOnlyAdmin


@admin.register(Entry)
class EntryAdmin(ReadOnlyAdmin):
    """Read-only: county staff keep the ledger through the portal (audited, one person one
    entry); the ID number shows masked here too."""

    list_display = ["name", "county", "id_number_masked", "university", "graduation_year", "source"]
    list_filter = ["source", "intention"]
    search_fields = ["name", "university"]
    exclude = ["id_number"]
    raw_id_fields = ["county", "student"]


@admin.register(Channel)
class ChannelAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "county"]
    raw_id_fields = ["county", "members"]


@admin.register(ExchangeEvent)
class ExchangeEventAdmin(ReadOnlyAdmin):
    list_display = ["title", "county", "season", "date"]
    raw_id_fields = ["county", "attendees"]


@admin.register(ReturnRegistration)
class ReturnRegistrationAdmin(ReadOnlyAdmin):
    list_display = ["entry", "kind", "year", "status"]
    list_filter = ["kind", "status", "year"]
    raw_id_fields = ["entry"]


@admin.register(LedgerNotice)
class LedgerNoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "county", "category", "sent_at"]
    raw_id_fields = ["county"]


@admin.register(ImportJob)
class ImportJobAdmin(ReadOnlyAdmin):
    list_display = ["original_name", "county", "status", "created", "updated", "created_at"]
    raw_id_fields = ["county"]
