from django.contrib import admin

from schedule.admin import ReadOnlyAdmin
from summary.models import Briefing, Publication, Score, TypicalCase


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    """Read-only: scores are computed, adjusted and published through the portal (audited)."""

    list_display = ["programme_year", "kind", "region", "university", "computed", "adjustment"]
    list_filter = ["kind", "commended"]
    raw_id_fields = ["region", "university", "adjusted_by"]


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme_year", "published_at"]


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    list_display = ["title", "programme_year", "region", "university", "status", "submitted_at"]
    list_filter = ["status"]
    raw_id_fields = ["region", "university", "submitted_by", "reviewed_by"]


@admin.register(Briefing)
class BriefingAdmin(ReadOnlyAdmin):
    list_display = ["title", "province", "status", "issue", "published_at"]
    list_filter = ["status"]
