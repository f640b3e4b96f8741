"""Recovering a forgotten password, two ways.

By e-mail, for anyone whose account has an address: the 找回密码 page takes a username or an
address and always answers the same, whether or not an account exists; a matching account that
may sign in gets a link through the portal's mail outbox (accounts/mail.py: written with the
request's transaction, sent by a worker). The link carries Django's PasswordResetTokenGenerator
token, made from the password hash and the last sign-in: it expires after
PASSWORD_RESET_TIMEOUT and works once, since setting the password changes the hash. The new
password goes through the password validators; every session of the account ends (Django's
session hash is made from the password); nobody is signed in by it, so staff give their second
factor at the next sign-in as always.

Without an address (many students register with a phone only): the hometown county (for a
student) or the level above (for staff) sets a temporary password, shown to them once, and the
account must choose its own before any other page opens (PasswordChangeRequiredMiddleware).
"""

import datetime
import secrets

from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.backends import PortalBackend
from accounts.mail import Letter, mail_queue
from accounts.models import User
from accounts.notices import province_ids
from accounts.services import scope_region
from accounts.throttle import address_key, throttle_hit
from accounts.twofactor import OPEN_WHILE_PENDING, is_api_request, url_name

HOUR = datetime.timedelta(hours=1)
# An address shared by many accounts (a county office's) gets at most this many links at once.
MOST_ACCOUNTS = 10


def reset_request_allowed(*, address: str | None) -> bool:
    """Count one request from this client address; False once the hour's requests are spent.
    The same for every identifier, known or not, so the answer tells nothing about accounts."""
    return throttle_hit(
        scope="password_reset",
        key=address_key(address),
        limit=settings.PASSWORD_RESET_REQUESTS_PER_HOUR,
        period=HOUR,
    )


def _may_sign_in(user: User) -> bool:
    # Inactive accounts, staff of a deactivated host unit, erased students (no usable password).
    return PortalBackend().user_can_authenticate(user) and user.has_usable_password()


def _accounts_named(identifier: str) -> list[User]:
    text = identifier.strip()
    if not text:
        return []
    # A username may hold an @ too: the one field is looked up both ways.
    named = User.objects.filter(Q(username__iexact=text) | Q(email__iexact=text))
    named = named.exclude(email="").select_related("host_unit").order_by("pk")
    return [user for user in named[:MOST_ACCOUNTS] if _may_sign_in(user)]


def _mail_allowed(user: User) -> bool:
    """At most PASSWORD_RESET_MAILS_PER_HOUR links an hour to one account, whoever asks: the
    form cannot be used to flood someone's inbox. Silently: saying so would tell that the
    account exists."""
    return throttle_hit(
        scope="password_reset_mail",
        key=f"user:{user.pk}",
        limit=settings.PASSWORD_RESET_MAILS_PER_HOUR,
        period=HOUR,
    )


def reset_link(user: User, site: str = "") -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    path = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    return (site or settings.SITE_URL) + path


def _letter_body(user: User, site: str) -> str:
    return _(
        "%(name)s，您好：\n\n"
        "我们收到了为您在“返家乡社会实践岗位对接系统”的账号（用户名：%(username)s）"
        "重置密码的申请。请在 %(minutes)s 分钟内打开下面的链接设置新密码，链接只能使用一次：\n\n"
        "%(link)s\n\n"
        "如果这不是您本人的操作，请忽略本邮件，您的密码不会改变。\n"
        "为了您的账号安全，请勿将此链接转发给他人。\n\n"
        "返家乡社会实践岗位对接系统（系统邮件，请勿回复）"
    ) % {
        "name": user.name or user.username,
        "username": user.username,
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        "link": reset_link(user, site),
    }


@transaction.atomic
def password_reset_request(*, identifier: str, site: str = "") -> int:
    """Queue a reset link to each account named by `identifier` (its username, or its e-mail
    address) that has an address and may sign in; how many were queued, which the caller never
    shows. `site` is where the link points (the address asked at; SITE_URL without one). Each mail is audited (who asked is known only by the request's address)."""
    accounts = [user for user in _accounts_named(identifier) if _mail_allowed(user)]
    if not accounts:
        return 0
    provinces = province_ids(accounts)
    mail_queue(
        Letter(
            to=user.email,
            subject=_("【返家乡】找回密码"),
            body=_letter_body(user, site),
            province_id=provinces.get(user.pk),
        )
        for user in accounts
    )
    for user in accounts:
        audit_record(Action.PASSWORD_RESET_MAIL, actor=None, target=user, region=scope_region(user))
    return len(accounts)


def password_reset_account(uidb64: str) -> User | None:
    """The account a reset link names, while it may still sign in (an account deactivated
    since the mail went gets nothing from its link)."""
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
    user = User.objects.select_related("host_unit").filter(pk=pk).first()
    return user if user is not None and _may_sign_in(user) else None


@transaction.atomic
def password_reset_finish(*, user: User, token: str, password: str) -> bool:
    """Set the password an e-mailed link's holder chose, if the token is still good; False
    when it is not. The row is locked while the token is checked against it: the same link
    sent twice at once sets one password, and the second finds the token spent (it is made
    from the password hash the first one changed)."""
    locked = User.objects.select_for_update().filter(pk=user.pk).first()
    if locked is None or not default_token_generator.check_token(locked, token):
        return False
    password_set(user=locked, password=password, action=Action.PASSWORD_RESET, actor=locked)
    return True


@transaction.atomic
def password_set(*, user: User, password: str, action: str, actor: User | None) -> User:
    """The one way the portal's pages change a password: the user's own change
    (Action.PASSWORD_CHANGE), an e-mailed link (PASSWORD_RESET) or a temporary password set by
    `actor` (PASSWORD_TEMPORARY, which the user must then change). The caller has validated
    the password. Every session of the account ends with the old password's hash; a user who
    changed it themselves keeps the current one (the view's update_session_auth_hash)."""
    user.set_password(password)
    user.must_change_password = action == Action.PASSWORD_TEMPORARY
    user.save(update_fields=["password", "must_change_password"])
    if action != Action.PASSWORD_CHANGE:
        # A user locked out by wrong guesses signs in with the new password at once.
        AccessAttempt.objects.filter(username__iexact=user.username).delete()
    audit_record(action, actor=actor, target=user, region=scope_region(user))
    return user


# Read out over the phone and typed on one: no 0/O, 1/l/I.
TEMPORARY_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"


def _temporary_password(account: User) -> str:
    """Three groups of four (about 70 bits), drawn again until the validators take it."""
    for _try in range(20):
        groups = ("".join(secrets.choice(TEMPORARY_ALPHABET) for _i in range(4)) for _g in "abc")
        password = "-".join(groups)
        try:
            validate_password(password, account)
        except ValidationError:
            continue
        return password
    raise RuntimeError("no temporary password passed the password validators")


def password_temporary_set(*, account: User, actor: User) -> str:
    """A random temporary password for `account`, returned to be shown once; the account must
    change it at its next sign-in. The caller has checked that `actor` manages the account."""
    password = _temporary_password(account)
    password_set(user=account, password=password, action=Action.PASSWORD_TEMPORARY, actor=actor)
    return password


# What an account with a temporary password may still open: the password change, signing out,
# the second factor's pages (which come first) and the 帮助中心.
OPEN_WHILE_TEMPORARY = frozenset(
    {"accounts:password_change", "accounts:logout", *OPEN_WHILE_PENDING}
    | {"helpcentre:index", "helpcentre:guide", "helpcentre:manual"}  # public anyway
)


class PasswordChangeRequiredMiddleware:
    """An account whose password someone else set reaches no page but the password change
    (after the second factor, TwoFactorMiddleware's) until it picks its own. The user's row is
    already loaded for the request, so this costs no query. The API takes tokens, not sessions."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            getattr(user, "must_change_password", False)
            and not is_api_request(request)
            and url_name(request) not in OPEN_WHILE_TEMPORARY
        ):
            return redirect("accounts:password_change")
        return self.get_response(request)
