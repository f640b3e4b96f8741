"""Opening and closing staff accounts. Each level opens accounts for the level below."""

import datetime
from collections.abc import Collection

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import account_roles_for
from accounts.audit import Action, audit_record
from accounts.auditchain import events_redact
from accounts.models import REGION_ROLES, AuditEvent, Role, User
from accounts.selectors import unstaffed_provinces
from students.models import University


def _check_scope(*, actor: User, role: str, region=None, host_unit=None, university=None) -> None:
    """The new account's scope must lie directly below the creator's own. A university's
    account is opened by the staff of the university's province, wherever its students come
    from; by a superuser only while that province has no staff on the portal."""
    if role not in account_roles_for(actor):
        raise PermissionDenied
    if role in REGION_ROLES:
        if (
            region is None
            or region.level != REGION_ROLES[role]
            or region.parent_id != actor.region_id
        ):
            raise ValidationError({"region": _("请选择本辖区内的下一级地区。")})
    elif role == Role.HOST:
        if host_unit is None or host_unit.county_id != actor.region_id:
            raise ValidationError({"host_unit": _("请选择本县登记的用人单位。")})
    elif role == Role.UNIVERSITY and actor.role == Role.PROVINCE:
        if university is None or university.province_id != actor.region_id:
            raise ValidationError({"university": _("请选择本省的高校。")})
    elif role == Role.UNIVERSITY:
        university_unstaffed_check(university)


def university_unstaffed_check(university) -> None:
    """A superuser opens a university's account only while its province has no staff here
    (the portal's account page and /admin/ alike)."""
    if university is None:
        raise ValidationError({"university": _("请选择高校。")})
    if not University.objects.filter(unstaffed_provinces("province"), pk=university.pk).exists():
        raise ValidationError(
            {
                "university": _("%(province)s已有团省委账号，该校的高校团委账号请由团省委开通。")
                % {"province": university.province.name}
            }
        )


@transaction.atomic
def account_create(
    *,
    actor: User,
    username: str,
    password: str,
    role: str,
    name: str,
    phone: str = "",
    email: str = "",
    region=None,
    host_unit=None,
    university=None,
) -> User:
    _check_scope(actor=actor, role=role, region=region, host_unit=host_unit, university=university)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("该用户名已被使用。")})
    account = User(
        username=username,
        name=name,
        phone=phone,
        email=email,
        role=role,
        created_by=actor,
        # The level above chose the first password and told it: the owner picks their own at
        # the first sign-in (PasswordChangeRequiredMiddleware), as after a temporary one.
        must_change_password=True,
        region=region if role in REGION_ROLES else None,
        host_unit=host_unit if role == Role.HOST else None,
        university=university if role == Role.UNIVERSITY else None,
    )
    validate_password(password, account)
    account.set_password(password)
    # Uniqueness is decided by the database (below), so a race gets the same message as a clash.
    account.full_clean(exclude=["password"], validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError as error:  # the same name opened at the same moment elsewhere
        raise ValidationError({"username": _("该用户名已被使用。")}) from error
    audit_record(
        Action.ACCOUNT_CREATE,
        actor=actor,
        target=account,
        region=scope_region(account),
        data={"role": role},
    )
    return account


def scope_region(account: User):
    """The region an account's records belong to, for the audit log's province filter."""
    if account.region_id:
        return account.region
    if account.host_unit_id:
        return account.host_unit.county
    if account.university_id:
        return account.university.province
    student = getattr(account, "student", None) if account.role == Role.STUDENT else None
    return student.hometown if student is not None else None


@transaction.atomic
def account_set_active(*, account: User, active: bool, actor: User | None) -> User:
    # No session sweep needed: ModelBackend.get_user refuses inactive users, so a deactivated
    # officer is signed out on their next request.
    changed = User.objects.filter(pk=account.pk).exclude(is_active=active).update(is_active=active)
    account.is_active = active
    if changed:
        action = Action.ACCOUNT_ACTIVATE if active else Action.ACCOUNT_DEACTIVATE
        audit_record(action, actor=actor, target=account, region=scope_region(account))
    return account


@transaction.atomic
def account_update(*, account: User, fields: Collection[str], actor: User) -> User:
    """Save what an administrator changed on `account` in /admin/ (names and contacts; anything
    for a superuser), audited with the names of the fields, never their values. Turning the
    account on or off is audited as 启用账号 / 停用账号, as on the portal."""
    details = sorted(set(fields) - {"is_active"})
    # groups and user_permissions are saved with the form's many-to-many data, in this
    # transaction; they are named in the event all the same.
    saved = [name for name in details if not User._meta.get_field(name).many_to_many]
    if saved:
        account.save(update_fields=saved)
    if details:
        region = scope_region(account)
        data = {"fields": details}
        audit_record(Action.ACCOUNT_UPDATE, actor=actor, target=account, region=region, data=data)
    if "is_active" in fields:
        account_set_active(account=account, active=account.is_active, actor=actor)
    return account


def login_records_prune(*, now) -> int:
    """django-axes keeps every sign-in (username, address, browser) and every failed attempt;
    they are personal data too. Successful sign-ins are kept LOGIN_RECORD_DAYS for
    investigations; failed attempts only until their cool-off has long passed. Idempotent."""
    logs = now - datetime.timedelta(days=settings.LOGIN_RECORD_DAYS)
    attempts = now - settings.AXES_COOLOFF_TIME - datetime.timedelta(days=1)
    removed = AccessLog.objects.filter(attempt_time__lt=logs).delete()[0]
    stale = AccessAttempt.objects.filter(attempt_time__lt=attempts).delete()[0]
    # The audit events themselves stay (who did what); the address they came from goes with
    # the sign-in records (the Cybersecurity Law asks for at least six months of logs).
    # Removed through the chain (its keyed digest stays), so the events still verify.
    old = AuditEvent.objects.filter(created_at__lt=logs, ip__isnull=False)
    addresses = events_redact(old.iterator(chunk_size=1000), ip=None)
    return removed + stale + addresses
