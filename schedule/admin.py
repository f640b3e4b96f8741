from django.contrib import admin

from schedule.models import (
    CountyQuota,
    Dispatch,
    Milestone,
    Onboarding,
    Plan,
    ProgrammeYear,
    ProgressReport,
    ProgressRow,
    Season,
    UnitMilestone,
)


class SeasonInline(admin.TabularInline):
    model = Season
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "quota_per_county", "max_preferences", "offer_reply_days"]
    inlines = [SeasonInline, MilestoneInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    """What enforcement and the services write is changed through them, not here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(UnitMilestone)
class UnitMilestoneAdmin(ReadOnlyAdmin):
    list_display = [
        "region",
        "university",
        "milestone",
        "status",
        "extended_to",
        "overdue_since",
        "done_at",
    ]
    list_filter = ["status", "milestone__code"]
    search_fields = ["region__name", "region__code", "university__name"]


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ["unit", "kind", "due", "created_at"]
    list_filter = ["kind"]


@admin.register(CountyQuota)
class CountyQuotaAdmin(ReadOnlyAdmin):
    list_display = ["region", "programme_year", "reported", "projected", "quota", "at_risk"]
    list_filter = ["at_risk"]


@admin.register(Plan)
class PlanAdmin(ReadOnlyAdmin):
    list_display = ["region", "programme_year", "status", "submitted_at", "reviewed_at"]
    list_filter = ["status"]


@admin.register(Onboarding)
class OnboardingAdmin(ReadOnlyAdmin):
    list_display = ["region", "programme_year", "contact_name", "confirmed_at"]


class ProgressRowInline(admin.TabularInline):
    model = ProgressRow
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnlyAdmin):
    list_display = ["programme_year", "quarter", "region", "university", "status", "submitted_at"]
    list_filter = ["quarter", "status"]
    search_fields = ["region__name", "university__name"]
    inlines = [ProgressRowInline]
