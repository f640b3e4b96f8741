from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "name", "role", "region", "host_unit", "university", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "name"]
    raw_id_fields = ["region", "host_unit", "university", "created_by"]
    fieldsets = [
        *UserAdmin.fieldsets,
        ("角色与范围", {"fields": ["name", "phone", "role", "region", "host_unit", "university"]}),
    ]
