from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from students.models import CreditRule, University
from students.resources import UniversityResource


@admin.register(University)
class UniversityAdmin(ImportExportModelAdmin):
    """The national register, with import and export (preview, per-row errors) for superusers."""

    resource_classes = [UniversityResource]
    list_display = ["code", "name", "register_name", "province", "city", "level", "source"]
    list_filter = ["source", "level", "province"]
    list_select_related = ["province"]
    search_fields = ["code", "name", "register_name", "initials"]
    raw_id_fields = ["province"]


@admin.register(CreditRule)
class CreditRuleAdmin(admin.ModelAdmin):
    list_display = ["university", "hours_per_credit", "max_credits", "min_rating", "updated_at"]
    list_select_related = ["university"]
    search_fields = ["university__code", "university__name"]
