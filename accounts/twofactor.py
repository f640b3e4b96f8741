"""Two-factor sign-in (身份鉴别) and the staff idle lock (登录连接超时自动退出), 等保2.0 三级.

Staff (every role but the student) and superusers sign in with their password and then a TOTP
code from any authenticator app (django-otp's TOTPDevice: RFC 6238, SHA-1, 30 s, 6 digits),
enrolled on their first sign-in by scanning a QR code drawn here, with ten one-time recovery
codes shown once and kept only as keyed digests. Students may turn it on for themselves. A
user who has given the password but no valid code yet is "half signed in": Django has logged
them in, but `TwoFactorMiddleware` sends every request of theirs to the code page, so they
reach no page but that one, the enrolment page and signing out.

A code is spent once: django-otp keeps the last time step used (`last_t`) and the device row is
locked while a code is checked, so two requests with the same code cannot both pass. Wrong codes
are counted per account (accounts/throttle.py, in the database) besides django-otp's own doubling
delay, and each is audited.
"""

import base64
import datetime
import hashlib
import hmac
import secrets
import time
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts.audit import Action, audit_record
from accounts.models import RecoveryCode, Role, User
from accounts.throttle import throttle_hit, throttle_reached

RECOVERY_CODES = 10
ADMIN_ROLES = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN)

# What a half-signed-in user may still open: the code page, enrolment and signing out.
OPEN_WHILE_PENDING = frozenset(
    {"accounts:two_factor_verify", "accounts:two_factor_setup", "accounts:logout"}
)


def is_staff_account(user) -> bool:
    """Who must use two factors when STAFF_TWO_FACTOR is on: every role but the student, and
    superusers."""
    role = getattr(user, "role", "")
    return bool(role and role != Role.STUDENT) or bool(user.is_superuser)


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def two_factor_required(user) -> bool:
    """Staff while STAFF_TWO_FACTOR is on; anyone (a student, or staff with it off) who has
    enrolled a device."""
    if not user.is_authenticated:
        return False
    if settings.STAFF_TWO_FACTOR and is_staff_account(user):
        return True
    return confirmed_device(user) is not None


def two_factor_optional(user) -> bool:
    """Whether the user may turn two-factor sign-in off again themselves."""
    return not (settings.STAFF_TWO_FACTOR and is_staff_account(user))


HAS_DEVICE = "two_factor_device"


def two_factor_pending(request) -> bool:
    """The password was right but no valid code has been given in this session yet. Whether
    the user has a device is noted in the session at sign-in, so a page costs no extra query
    for the many who sign in with a password alone."""
    user = request.user
    # is_verified comes from OTPMiddleware (settings.MIDDLEWARE, before TwoFactorMiddleware); a
    # request built without it (a test's RequestFactory) has nothing to gate.
    if not user.is_authenticated or not hasattr(user, "is_verified") or user.is_verified():
        return False
    if settings.STAFF_TWO_FACTOR and is_staff_account(user):
        return True
    has_device = request.session.get(HAS_DEVICE)
    if not isinstance(has_device, bool):
        has_device = confirmed_device(user) is not None
        request.session[HAS_DEVICE] = has_device
    return has_device


def qr_svg(url: str) -> SafeString:
    """The enrolment QR code as inline SVG, drawn here: the secret never leaves the portal."""
    svg = segno.make(url, error="m").svg_inline(
        omitsize=True, svgclass="two-factor-qr", title=_("用身份验证器扫描")
    )
    # segno writes the markup and escapes the title; the URL is only encoded in the modules.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for an app that cannot scan."""
    text = base64.b32encode(device.bin_key).decode()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _digest(code: str) -> str:
    normal = "".join(code.split()).replace("-", "").lower()
    return hmac.new(settings.SECRET_KEY.encode(), normal.encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    raw = secrets.token_hex(5)  # 40 bits: ten codes cannot be guessed within the throttle
    return f"{raw[:5]}-{raw[5:]}"


def recovery_codes_make(*, user: User) -> list[str]:
    """Ten new one-time codes for `user` (the old ones stop working), returned once."""
    codes = [_new_code() for _i in range(RECOVERY_CODES)]
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)
    return codes


ENROL_KEY = "two_factor_enrol_key"


def enrolment_device(request) -> TOTPDevice:
    """The device being enrolled, unsaved: its secret waits in the session until a first code
    confirms it, so opening the page writes nothing and an abandoned enrolment leaves nothing."""
    key = request.session.get(ENROL_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = default_key()
        request.session[ENROL_KEY] = key
    return TOTPDevice(user=request.user, name="default", key=key, confirmed=False)


def two_factor_enrol(*, user: User, key: str, code: str) -> list[str]:
    """Save the device whose secret `key` the user's app now holds, once it gives a first
    valid code; the ten recovery codes, to be shown once."""
    with transaction.atomic():
        # The user's row is locked, so two confirmations at once cannot leave two devices, and
        # a wrong code is counted before the next attempt checks the limit.
        User.objects.select_for_update().filter(pk=user.pk).first()
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            raise ValidationError({"code": _("已绑定身份验证器，请直接输入验证码登录。")})
        if throttle_reached(**_attempts(user)):
            raise _too_many()
        device = TOTPDevice(user=user, name="default", key=key, confirmed=True)
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = time.time()
        if _digits(code).isdigit() and totp.verify(int(_digits(code)), device.tolerance):
            device.last_t = totp.t()  # this code is spent: it cannot sign anyone in again
            device.save()
            codes = recovery_codes_make(user=user)
            audit_record(Action.TWO_FACTOR_ENROL, actor=user, target=user, region=_region(user))
            return codes
        throttle_hit(**_attempts(user))
    raise ValidationError({"code": _("验证码不正确或已过期，请输入身份验证器上的当前 6 位数字。")})


def _digits(code: str) -> str:
    return "".join(code.split())


def _region(user: User):
    from accounts.services import scope_region

    return scope_region(user)


def _attempts(user: User) -> dict:
    return {
        "scope": "2fa",
        "key": f"user:{user.pk}",
        "limit": settings.TWO_FACTOR_ATTEMPTS,
        "period": datetime.timedelta(minutes=settings.TWO_FACTOR_WINDOW_MINUTES),
    }


def _too_many() -> ValidationError:
    return ValidationError(
        {
            "code": _("验证码尝试次数过多，请 %(minutes)s 分钟后再试。")
            % {"minutes": settings.TWO_FACTOR_WINDOW_MINUTES}
        }
    )


def two_factor_verify(*, user: User, code: str) -> TOTPDevice:
    """The user's device when `code` is its current TOTP code (never one used before) or an
    unused recovery code; a ValidationError naming the code field otherwise (audited). Only
    wrong codes count towards TWO_FACTOR_ATTEMPTS."""
    with transaction.atomic():
        # Locked while the code is checked: the same code sent twice at once is refused the
        # second time (django-otp saves the time step it accepted in last_t). The lock also
        # serialises the limit: a wrong code is counted before the next attempt's check runs,
        # so simultaneous guesses cannot all pass a check made before any of them counted.
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        if device is None:
            raise ValidationError({"code": _("尚未绑定身份验证器。")})
        if throttle_reached(**_attempts(user)):
            raise _too_many()
        if device.verify_token(_digits(code)):
            return device
        if _recovery_code_spend(user, code):
            audit_record(Action.TWO_FACTOR_RECOVERY, actor=user, target=user, region=_region(user))
            return device
        throttle_hit(**_attempts(user))  # committed with this block, before the lock is let go
    audit_record(Action.TWO_FACTOR_FAIL, actor=user, target=user, region=_region(user))
    raise ValidationError(
        {"code": _("验证码不正确或已使用，请输入身份验证器上的当前 6 位数字或一个恢复码。")}
    )


def _recovery_code_spend(user: User, code: str) -> bool:
    # Conditional: of two sign-ins with the same code, only one UPDATE finds it unused.
    spent = RecoveryCode.objects.filter(
        user=user, digest=_digest(code), used_at__isnull=True
    ).update(used_at=timezone.now())
    return spent == 1


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


@transaction.atomic
def two_factor_reset(*, account: User, actor: User) -> None:
    """The level above (or the security administrator) clears a lost device: the account
    enrols again at its next sign-in. The caller has checked the actor may."""
    TOTPDevice.objects.filter(user=account).delete()
    RecoveryCode.objects.filter(user=account).delete()
    audit_record(Action.TWO_FACTOR_RESET, actor=actor, target=account, region=_region(account))


def recovery_codes_renew(*, user: User, code: str) -> list[str]:
    """Ten new recovery codes for a user who gives a current code (so a borrowed session
    cannot); the old ones stop working. Returned once, audited."""
    two_factor_verify(user=user, code=code)
    with transaction.atomic():
        codes = recovery_codes_make(user=user)
        audit_record(Action.TWO_FACTOR_CODES, actor=user, target=user, region=_region(user))
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """A user for whom it is optional turns it off (having just given a valid code)."""
    if not two_factor_optional(user):
        raise PermissionDenied
    TOTPDevice.objects.filter(user=user).delete()
    RecoveryCode.objects.filter(user=user).delete()
    audit_record(Action.TWO_FACTOR_DISABLE, actor=user, target=user, region=_region(user))


def verified(request, device: TOTPDevice) -> None:
    """Mark this session as having passed the second factor."""
    otp_login(request, device)
    request.session[HAS_DEVICE] = True


def safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


# --- middleware ----------------------------------------------------------------------------------


def url_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def is_api_request(request) -> bool:
    """The open API takes a token, never a session (api/auth.py): a browser's session cookie
    sent along, half signed in or idle, is none of its business."""
    return request.path_info.startswith("/api/")


class TwoFactorMiddleware:
    """A half-signed-in user reaches no page but the code page (or enrolment) and signing out:
    every other request, GET or POST, is sent there, and nothing else runs. The API is left
    alone: it ignores the session."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_api_request(request):
            return self.get_response(request)
        if two_factor_pending(request) and url_name(request) not in OPEN_WHILE_PENDING:
            name = (
                "accounts:two_factor_verify"
                if confirmed_device(request.user)
                else "accounts:two_factor_setup"
            )
            nxt = request.get_full_path() if request.method == "GET" else ""
            url = reverse(name)
            return redirect(f"{url}?{urlencode({'next': nxt})}" if nxt else url)
        return self.get_response(request)


SIGNED_IN_AT = "signed_in_at"
LAST_SEEN = "last_seen"
# The idle mark is written at most once a minute, so reading pages does not save the session
# on every request.
LAST_SEEN_STEP = 60


def session_started(sender, request, user, **kwargs) -> None:
    """user_logged_in: when the session began, for the absolute limit (a session saved later
    would otherwise have its expiry pushed on)."""
    now = int(timezone.now().timestamp())
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN] = now
    request.session[HAS_DEVICE] = confirmed_device(user) is not None


def session_end_reason(request, now: int) -> str:
    """'expired' after SESSION_COOKIE_AGE since sign-in (everyone), 'idle' after
    STAFF_IDLE_MINUTES without a request (staff only), else ''."""
    session = request.session
    started = session.get(SIGNED_IN_AT)
    if isinstance(started, int) and now - started > settings.SESSION_COOKIE_AGE:
        return "expired"
    idle = settings.STAFF_IDLE_MINUTES * 60
    seen = session.get(LAST_SEEN)
    if idle and is_staff_account(request.user) and isinstance(seen, int) and now - seen > idle:
        return "idle"
    return ""


class IdleLockMiddleware:
    """Ends a staff session after STAFF_IDLE_MINUTES without a request, and any session
    SESSION_COOKIE_AGE after sign-in; the login page then says which. API calls neither end
    nor refresh a session (they do not use it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not is_api_request(request):
            now = int(timezone.now().timestamp())
            reason = session_end_reason(request, now)
            if reason:
                logout(request)
                login_url = reverse("accounts:login")
                query = {"reason": reason}
                if request.method == "GET":
                    query["next"] = request.get_full_path()
                return redirect(f"{login_url}?{urlencode(query)}")
            # Only where the idle lock applies: a student's reading never writes the session.
            seen = request.session.get(LAST_SEEN)
            stale = not isinstance(seen, int) or now - seen >= LAST_SEEN_STEP
            if stale and settings.STAFF_IDLE_MINUTES and is_staff_account(request.user):
                request.session[LAST_SEEN] = now
        return self.get_response(request)
