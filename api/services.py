"""Making, revoking and checking API tokens, and the audit row of each call."""

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import User
from api import selectors
from api.models import ApiToken

MAX_DAYS = 365  # a token lives at most a year: a forgotten one dies on its own
EXPIRY_CHOICES = (30, 90, 180, 365)
SECRET_PREFIX = "fjx"  # noqa: S105 - the marker of a portal token, not a secret
REFUSALS = ("unknown", "revoked", "expired")  # why a presented secret was not accepted


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    """(prefix, secret): fjx_<8 hex>_<43 url-safe characters, 256 random bits>."""
    prefix = secrets.token_hex(4)
    return prefix, f"{SECRET_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


def token_create(
    *, actor: User, scope_key: str, name: str, days: int, can_write: bool = False
) -> tuple[ApiToken, str]:
    """Make a token for a unit the actor manages; returns it and its secret, which is shown
    this once and never stored."""
    scopes = {s.key: s for s in selectors.token_scopes_for(actor)}
    scope = scopes.get(scope_key)
    if scope is None:
        raise ValidationError({"scope": _("只能为本单位或下级县级团委创建令牌。")})
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("请填写令牌用途，如“第二课堂系统每晚同步”。")})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": _("有效期最长 365 天。")})
    if can_write and scope.kind != ApiToken.Kind.COUNTY:
        raise ValidationError({"can_write": _("只有县级团委令牌可以发布、结束岗位。")})
    now = timezone.now()
    prefix, secret = _new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name[:60],
            kind=scope.kind,
            region=scope.region,
            university=scope.university,
            can_write=can_write,
            prefix=prefix,
            digest=digest_of(secret),
            created_by=actor,
            created_at=now,
            expires_at=now + datetime.timedelta(days=days),
        )
        audit_record(
            Action.API_TOKEN_CREATE,
            actor=actor,
            target=token,
            region=audit_region(token),
            data={"token": prefix, "name": token.name, "scope": scope_key, "days": days},
        )
    return token, secret


def token_revoke(*, token: ApiToken, actor: User) -> ApiToken:
    """Revoke a token; a second click (or a revoke racing another) changes nothing more."""
    with transaction.atomic():
        changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=actor
        )
        if changed != 1:
            raise ValidationError(_("该令牌已撤销。"))
        token.refresh_from_db()
        audit_record(
            Action.API_TOKEN_REVOKE,
            actor=actor,
            target=token,
            region=audit_region(token),
            data={"token": token.prefix, "name": token.name},
        )
    return token


def audit_region(token: ApiToken):
    """The region whose staff read the token's events: its county or province, or its
    university's province."""
    if token.university_id:
        return token.university.province
    return token.region


def token_check(secret: str) -> tuple[ApiToken | None, str]:
    """The token a presented secret belongs to and why it is refused ("" when it is good):
    "unknown", "revoked" or "expired". Compared in constant time."""
    parts = (secret or "").split("_", 2)  # the random part may hold "_" itself
    if len(parts) != 3 or parts[0] != SECRET_PREFIX or len(parts[1]) != 8:
        return None, "unknown"
    token = selectors.token_by_prefix(parts[1])
    if token is None or not hmac.compare_digest(token.digest, digest_of(secret)):
        return None, "unknown"
    if token.is_revoked:
        return token, "revoked"
    if token.is_expired:
        return token, "expired"
    return token, ""


def call_record(
    *, token: ApiToken | None, operation: str, status: int, outcome: str, prefix: str = ""
) -> None:
    """One audit row per API call (one INSERT): which token, which operation, what came of it.
    A refused token is recorded too, with why; an unknown secret only by the prefix it named."""
    action = Action.API_REFUSED if outcome in REFUSALS else Action.API_CALL
    audit_record(
        action,
        actor=token.created_by if token is not None else None,
        target=token,
        region=audit_region(token) if token is not None else None,
        data={
            "token": token.prefix if token is not None else prefix[:12],
            "operation": operation,
            "status": status,
            "outcome": outcome,
        },
    )
