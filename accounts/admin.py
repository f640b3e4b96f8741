from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django_otp.plugins.otp_totp import admin as otp_totp_admin  # noqa: F401 - see below
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import AuditEvent, Mail, Role, User
from accounts.services import account_update, university_unstaffed_check


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
    # is a superuser, which role and scope an account has, its sign-in name and its password are
    # not theirs to change here, and students (personal data) are not listed at all.
    DUTY_READ_ONLY = (
        "username",
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

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser or obj is None:
            return fieldsets
        # Not even the link to the password page: setting an officer's password is signing in
        # as that officer.
        return [
            (title, {**options, "fields": [f for f in options["fields"] if f != "password"]})
            for title, options in fieldsets
        ]

    def user_change_password(self, request, id, form_url=""):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def save_model(self, request, obj, form, change) -> None:
        if not change:
            super().save_model(request, obj, form, change)
            return
        # Into the portal's audit log (hash-chained), not only django_admin_log.
        account_update(account=obj, fields=form.changed_data, actor=request.user)


# django-otp's own device admin shows the secret (the key, a config page and a QR code) and
# deletes devices without an audit event or the recovery codes: replaced by a list that shows
# neither. A lost device is reset on 账号安全 (accounts.twofactor.two_factor_reset, audited).
# (Imported above, so it is registered before this unregisters it, whichever admin loads first.)
admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class AuthenticatorAdmin(admin.ModelAdmin):
    """Read-only and without the secret, for everyone, superusers included. django-otp's fields
    have English names, so the columns are labelled here."""

    list_display = ("account", "device_name", "is_confirmed", "last_used")
    list_select_related = ["user"]
    search_fields = ["user__username", "user__name"]
    fields = readonly_fields = ("account", "device_name", "is_confirmed", "last_used", "enrolled")

    @admin.display(description="账号", ordering="user__username")
    def account(self, device: TOTPDevice) -> str:
        return str(device.user)

    @admin.display(description="名称")
    def device_name(self, device: TOTPDevice) -> str:
        return device.name

    @admin.display(description="已启用", boolean=True)
    def is_confirmed(self, device: TOTPDevice) -> bool:
        return device.confirmed

    @admin.display(description="最近使用", ordering="last_used_at")
    def last_used(self, device: TOTPDevice):
        return device.last_used_at

    @admin.display(description="绑定时间")
    def enrolled(self, device: TOTPDevice):
        return device.created_at

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
