from django.contrib import admin

from schedule.models import ProgrammeYear, Season


class SeasonInline(admin.TabularInline):
    model = Season
    extra = 0


@admin.register(ProgrammeYear)
class ProgrammeYearAdmin(admin.ModelAdmin):
    list_display = ["province", "year", "quota_per_county", "max_preferences"]
    inlines = [SeasonInline]
