from django.contrib import admin

from fanjiaxiang.models import QueuedTask


@admin.register(QueuedTask)
class QueuedTaskAdmin(admin.ModelAdmin):
    """What waits for the broker; read-only, since the re-sender owns these rows."""

    list_display = ["created_at", "task", "args", "attempts", "last_error"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
