from django.contrib import admin

from reports.models import Report
from schedule.admin import ReadOnlyAdmin


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    """Read-only: reports are written, submitted, marked and compiled through the portal."""

    list_display = ["title", "kind", "status", "province_mark", "programme_year", "submitted_at"]
    list_filter = ["kind", "status", "province_mark"]
    raw_id_fields = ["region", "university", "programme_year", "briefing"]
