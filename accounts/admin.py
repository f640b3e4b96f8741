from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from accounts.models import AuditEvent, User


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "name", "role", "region", "host_unit", "university", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "name"]
    raw_id_fields = ["region", "host_unit", "university", "created_by"]
    fieldsets = [
        *(UserAdmin.fieldsets or ()),
        ("角色与范围", {"fields": ["name", "phone", "role", "region", "host_unit", "university"]}),
    ]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: an audit log that can be edited is not one."""

    list_display = ["created_at", "actor_label", "action", "target_type", "target_id", "region"]
    list_filter = ["action"]
    search_fields = ["actor_label", "target_type"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
