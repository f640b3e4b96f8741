"""Which accounts a staff user may see (everything below them) and change (the level just below)."""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.access import Access, account_roles_for
from accounts.models import AuditChain, AuditCheckpoint, AuditEvent, Mail, Role, User
from accounts.scoping import NOTHING


def unstaffed_provinces(path: str) -> Q:
    """Rows whose province (at `path`) has no active 团省委 account on the portal: a superuser
    opens and keeps the accounts of those provinces' universities until the province's staff
    come (then they are the province's, like any university account it opened)."""
    staffed = User.objects.filter(role=Role.PROVINCE, is_active=True).values("region")
    return ~Q(**{f"{path}__in": staffed})


def accounts_for_user(user) -> QuerySet[User]:
    region = user.region_id
    if user.role == Role.SECURITY_ADMIN:
        # Every account but the students' (whose usernames may be their phones) and their own.
        scope = ~Q(role=Role.STUDENT) & ~Q(pk=user.pk)
    elif user.role == Role.SYSTEM_ADMIN:
        scope = Q(role=Role.PROVINCE) | (
            Q(role=Role.UNIVERSITY) & unstaffed_provinces("university__province")
        )
    elif user.is_superuser and not user.role:
        scope = Q(role=Role.UNIVERSITY) & unstaffed_provinces("university__province")
    elif user.role == Role.PROVINCE:
        scope = (
            Q(role=Role.CITY, region__parent=region)
            | Q(role=Role.COUNTY, region__parent__parent=region)
            | Q(role=Role.HOST, host_unit__county__parent__parent=region)
            | Q(role=Role.UNIVERSITY, university__province=region)
        )
    elif user.role == Role.CITY:
        scope = Q(role=Role.COUNTY, region__parent=region) | Q(
            role=Role.HOST, host_unit__county__parent=region
        )
    elif user.role == Role.COUNTY:
        scope = Q(role=Role.HOST, host_unit__county=region)
    else:
        scope = NOTHING
    return User.objects.filter(scope).select_related(
        "region__parent", "host_unit__county", "university"
    )


def get_account_for_user(user, pk: int) -> tuple[User, Access]:
    """The account and whether the user may change it: only the level directly below (the
    security administrator resets anyone's second factor, and changes nothing else). Who may
    change an account may also give it a temporary password."""
    account = accounts_for_user(user).filter(pk=pk).first()
    if account is None:
        raise Http404
    can_write = account.role in account_roles_for(user)
    return account, Access(
        can_write=can_write,
        can_reset_two_factor=can_write or user.role == Role.SECURITY_ADMIN,
        can_reset_password=can_write,
    )


def _province_records(user, records: QuerySet) -> QuerySet:
    """Records kept per province (audit events, failed mails): provincial staff read their
    province's, superusers all; others 404."""
    if user.is_superuser:
        return records
    if user.role == Role.PROVINCE:
        return records.filter(province=user.region_id)
    raise Http404


def audit_events_for_user(user) -> QuerySet[AuditEvent]:
    """The audit log is read by provincial staff (their province), the audit administrator and
    superusers (all of it); others 404."""
    if user.role == Role.AUDIT_ADMIN:
        return AuditEvent.objects.select_related("region__parent__parent")
    events = _province_records(user, AuditEvent.objects.all())
    return events.select_related("region__parent__parent")


def audit_chains_for_user(user) -> list[AuditChain]:
    """The audit chains whose last verification the reader may see: their province's (with the
    latest pruning checkpoint), all for superusers."""
    chains = AuditChain.objects.select_related("province").order_by("code")
    if not user.is_superuser:
        chains = chains.filter(province=user.region_id)
    chains_list = list(chains)
    latest = {}
    for point in AuditCheckpoint.objects.filter(chain__in=chains_list).order_by("seq"):
        latest[point.chain_id] = point
    for chain in chains_list:
        chain.checkpoint = latest.get(chain.pk)  # type: ignore[attr-defined]
    return chains_list


# A run sends a claimed mail within seconds; one still 发送中 after this was cut off mid-way (a
# worker killed) and is never sent again (lose one rather than send it twice): shown as failed.
SENDING_CUT_OFF = datetime.timedelta(minutes=30)


def failed_mails_for_user(user) -> QuerySet[Mail]:
    """Mails that failed for good (refused, two hours of tries spent, or cut off while sending),
    read like the audit log."""
    cut_off = Q(status=Mail.Status.SENDING, next_try_at__lt=timezone.now() - SENDING_CUT_OFF)
    mails = _province_records(user, Mail.objects.filter(Q(status=Mail.Status.FAILED) | cut_off))
    return mails.order_by("-created_at")


def audit_events_filtered(user, *, action="", actor="", since=None, until=None):
    events = audit_events_for_user(user)
    if action:
        events = events.filter(action=action)
    if actor:
        events = events.filter(actor_label__iexact=actor.strip())
    # Bounds as local midnights, so the (province, -created_at) index serves the range.
    if since:
        events = events.filter(created_at__gte=_midnight(since))
    if until:
        events = events.filter(created_at__lt=_midnight(until + datetime.timedelta(days=1)))
    return events


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
