from django.contrib import admin

from students.models import University


@admin.register(University)
class UniversityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province"]
    search_fields = ["code", "name"]
