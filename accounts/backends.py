"""Who may be signed in: Django's ModelBackend, plus the host unit's own switch.

A county deactivates a host unit that stops taking part; its staff must then lose access at
once, including sessions already open. ModelBackend consults `user_can_authenticate` both when
signing in and (through `get_user`) on every request of an open session, so one rule here does
both, and reactivating the unit restores the same accounts.
"""

from django.contrib.auth.backends import ModelBackend

from accounts.models import Role, User


def unit_deactivated(user) -> bool:
    return user.role == Role.HOST and user.host_unit is not None and not user.host_unit.is_active


class PortalBackend(ModelBackend):
    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and not unit_deactivated(user)

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        if user_obj.is_superuser:
            return super().has_perm(user_obj, perm, obj)
        # Duty administrators hold exactly their duty's permissions, nothing granted in /admin/.
        if getattr(user_obj, "role", "") in (
            Role.SYSTEM_ADMIN,
            Role.SECURITY_ADMIN,
            Role.AUDIT_ADMIN,
        ):
            return perm in duty_permissions(user_obj)
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label) -> bool:
        if getattr(user_obj, "role", "") in (
            Role.SYSTEM_ADMIN,
            Role.SECURITY_ADMIN,
            Role.AUDIT_ADMIN,
        ):
            return any(p.startswith(f"{app_label}.") for p in duty_permissions(user_obj))
        return super().has_module_perms(user_obj, app_label)

    def get_user(self, user_id):
        # The unit rides along in the one query a request already makes for its user.
        user = User._default_manager.select_related("host_unit").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def duty_permissions(user) -> frozenset[str]:
    """The Django permissions of an admin duty (三权分立), from accounts/access.py; a role's
    permissions are the code's, never rows someone could add to in /admin/."""
    from accounts.access import ADMIN_DUTIES

    if not (user.is_active and user.is_staff):
        return frozenset()
    return ADMIN_DUTIES.get(getattr(user, "role", ""), frozenset())
