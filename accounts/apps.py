from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        user_locked_out.connect(_record_lockout, dispatch_uid="accounts_lockout_audit")


def _record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """A lockout is worth the province's attention (someone guessing a county's password)."""
    from accounts.audit import Action, audit_record
    from accounts.models import User
    from accounts.services import scope_region

    account = User.objects.filter(username__iexact=username or "").first()
    audit_record(
        Action.LOGIN_LOCKED,
        target=account,
        region=scope_region(account) if account else None,
        data={"username": (username or "")[:150], "ip": ip_address},
    )
