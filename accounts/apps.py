from django.apps import AppConfig
from django.core import checks


class AccountsConfig(AppConfig):
    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = "账号与角色"

    def ready(self) -> None:
        from axes.signals import user_locked_out

        user_locked_out.connect(_record_lockout, dispatch_uid="accounts_lockout_audit")
        from django.contrib.auth.signals import user_logged_in

        from accounts.twofactor import session_started

        user_logged_in.connect(session_started, dispatch_uid="accounts_session_started")
        checks.register(_check_proxy_count, checks.Tags.security, deploy=True)


def _check_proxy_count(app_configs, **kwargs):
    """Behind nginx with TRUSTED_PROXY_COUNT=0 every visitor has the proxy's address, and the
    username+address lock becomes a username lock anyone can trigger."""
    from django.conf import settings

    if settings.TRUSTED_PROXY_COUNT:
        return []
    return [
        checks.Warning(
            "TRUSTED_PROXY_COUNT is 0: behind a reverse proxy every client shares its address.",
            hint="Set TRUSTED_PROXY_COUNT to the number of proxies in front of gunicorn "
            "(1 for a single nginx), or silence fanjiaxiang.W001 if clients connect directly.",
            id="fanjiaxiang.W001",
        )
    ]


def _record_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """A lockout is worth the province's attention (someone guessing a county's password).
    axes signals again at every attempt during the cool-off; only the lock itself is recorded,
    so a guesser cannot flood the log."""
    from django.conf import settings
    from django.utils import timezone

    from accounts.audit import Action, audit_record
    from accounts.models import AuditEvent, User
    from accounts.services import scope_region

    username = (username or "")[:150]
    if AuditEvent.objects.filter(
        action=Action.LOGIN_LOCKED,
        created_at__gte=timezone.now() - settings.AXES_COOLOFF_TIME,
        data__username=username,
        data__ip=ip_address,
    ).exists():
        return
    # An unknown username has no region: such lockouts are for superusers (/admin/) only.
    account = User.objects.filter(username__iexact=username).first()
    audit_record(
        Action.LOGIN_LOCKED,
        actor=None,  # nobody is signed in yet
        target=account,
        region=scope_region(account) if account else None,
        data={"username": username, "ip": ip_address},
    )
