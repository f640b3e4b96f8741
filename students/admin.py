from django.contrib import admin

from students.models import CreditRule, University


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    search_fields = ["code", "name"]


@admin.register(CreditRule)
class CreditRuleAdmin(admin.ModelAdmin):
    list_display = ["university", "hours_per_credit", "max_credits", "min_rating", "updated_at"]
    list_select_related = ["university"]
    search_fields = ["university__code", "university__name"]
