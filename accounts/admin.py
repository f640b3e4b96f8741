from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Mail, Role, User
from accounts.services import university_unstaffed_check


class PortalUserChangeForm(UserChangeForm):
    """A superuser makes an account a university's only for a province without staff on the
    portal; the province's staff open their universities' accounts themselves."""

    def clean(self):
        data = super().clean()
        turned = {"role", "university"} & set(self.changed_data)
        if turned and data.get("role") == Role.UNIVERSITY and data.get("university"):
            try:
                university_unstaffed_check(data["university"])
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    form = PortalUserChangeForm
    list_display = ["username", "name", "role", "region", "host_unit", "university", "is_active"]
    list_filter = ["role", "is_active", "is_superuser"]
    search_fields = ["username", "name"]
    raw_id_fields = ["region", "host_unit", "university", "created_by"]
    fieldsets = [
        *(UserAdmin.fieldsets or ()),
        ("角色与范围", {"fields": ["name", "phone", "role", "region", "host_unit", "university"]}),
    ]

    # The system administrator (三权分立) keeps staff accounts' names, contacts and switches; who
    # is a superuser or which role and scope an account has is not theirs to change here, and
    # students (personal data) are not listed at all.
    DUTY_READ_ONLY = (
        "is_superuser",
        "is_staff",
        "groups",
        "user_permissions",
        "role",
        "region",
        "host_unit",
        "university",
        "created_by",
        "last_login",
        "date_joined",
    )

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        # Nor the superusers and the other duties: one administrator cannot take another's place.
        duties = [Role.STUDENT, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]
        return users.exclude(role__in=duties).exclude(is_superuser=True)

    def get_readonly_fields(self, request, obj=None):
        if request.user.is_superuser:
            return super().get_readonly_fields(request, obj)
        return self.DUTY_READ_ONLY


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


@admin.register(Mail)
class MailAdmin(admin.ModelAdmin):
    """Read-only: the mail outbox's workers own these rows (accounts/mail.py)."""

    list_display = ["created_at", "to", "subject", "status", "attempts", "error"]
    list_filter = ["status"]
    search_fields = ["to"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
