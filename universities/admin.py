from django.contrib import admin

from schedule.admin import ReadOnlyAdmin
from universities.models import PerformanceCertificate, Recommendation, UniversityNotice


@admin.register(UniversityNotice)
class UniversityNoticeAdmin(ReadOnlyAdmin):
    """Read-only: notices are sent (and mailed) through the portal."""

    list_display = ["title", "university", "category", "recipients", "sent_at"]
    list_filter = ["category"]
    raw_id_fields = ["university", "sent_by"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["student", "university", "updated_at"]
    raw_id_fields = ["student", "university", "written_by"]


@admin.register(PerformanceCertificate)
class PerformanceCertificateAdmin(ReadOnlyAdmin):
    """Read-only: issued and revoked by the university, audited."""

    list_display = ["number", "student", "university", "season", "issued_at", "revoked_at"]
    search_fields = ["number"]
    raw_id_fields = ["student", "university", "season", "issued_by"]
