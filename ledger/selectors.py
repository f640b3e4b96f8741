"""Who reads which ledger rows. County staff own their county's ledger; city and provincial
staff read the counties below them (403 on any change); everyone else gets 404. A county's
ledger is invisible to every other county: every lookup goes through `region_filter`."""

from django.core import signing
from django.db.models import Count, Q
from django.http import Http404

from accounts.models import Role
from accounts.scoping import region_filter
from ledger.models import (
    Channel,
    Delivery,
    Entry,
    ExchangeEvent,
    ImportJob,
    LedgerNotice,
    ReturnRegistration,
)

LEDGER_READERS = (Role.PROVINCE, Role.CITY, Role.COUNTY)
TOKEN_SALT = "ledger.notice.read"  # noqa: S105 - a signing salt, not a secret


def require_ledger_reader(user) -> None:
    if user.role not in LEDGER_READERS or user.region_id is None:
        raise Http404


def can_write(user) -> bool:
    return user.role == Role.COUNTY


def entries_for_user(user):
    require_ledger_reader(user)
    return Entry.objects.filter(region_filter(user, "county"))


def _get(queryset, user, pk):
    item = queryset.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item, can_write(user)


def get_entry_for_user(user, pk):
    return _get(entries_for_user(user).select_related("county__parent", "student"), user, pk)


def channels_for_user(user):
    require_ledger_reader(user)
    return Channel.objects.filter(region_filter(user, "county"))


def get_channel_for_user(user, pk):
    return _get(channels_for_user(user).select_related("county"), user, pk)


def notices_for_user(user):
    require_ledger_reader(user)
    return (
        LedgerNotice.objects.filter(region_filter(user, "county"))
        .annotate(
            recipients=Count("deliveries"),
            read=Count("deliveries", filter=Q(deliveries__read_at__isnull=False)),
            emailed=Count("deliveries", filter=Q(deliveries__by_email=True)),
            in_portal=Count("deliveries", filter=Q(deliveries__in_portal=True)),
        )
        .order_by("-sent_at", "-pk")  # a grouped query drops Meta.ordering
    )


def get_notice_for_user(user, pk):
    return _get(notices_for_user(user).select_related("county", "sent_by"), user, pk)


def events_for_user(user):
    require_ledger_reader(user)
    return (
        ExchangeEvent.objects.filter(region_filter(user, "county"))
        .annotate(attendance=Count("attendees"))
        .order_by("-date", "-pk")
    )


def get_event_for_user(user, pk):
    return _get(events_for_user(user).select_related("county", "season"), user, pk)


def registrations_for_user(user):
    require_ledger_reader(user)
    return ReturnRegistration.objects.filter(region_filter(user, "entry__county"))


def get_registration_for_user(user, pk):
    return _get(registrations_for_user(user).select_related("entry__county"), user, pk)


def registration_counts(user):
    """Verified registrations per county and year, employment and start-up apart."""
    return (
        registrations_for_user(user)
        .filter(status=ReturnRegistration.Status.VERIFIED)
        .values("entry__county__name", "entry__county__code", "year")
        .annotate(
            employment=Count("id", filter=Q(kind=ReturnRegistration.Kind.EMPLOYMENT)),
            startup=Count("id", filter=Q(kind=ReturnRegistration.Kind.STARTUP)),
        )
        .order_by("-year", "entry__county__code")
    )


def get_import_for_user(user, pk):
    """An import job is seen by the county's staff only."""
    if user.role != Role.COUNTY:
        raise Http404
    job = ImportJob.objects.filter(pk=pk, county=user.region_id).first()
    if job is None:
        raise Http404
    return job


def delivery_token(delivery: Delivery) -> str:
    return signing.dumps(delivery.pk, salt=TOKEN_SALT, compress=True)


def delivery_from_token(token: str) -> Delivery:
    try:
        pk = signing.loads(token, salt=TOKEN_SALT)
    except signing.BadSignature as error:
        raise Http404 from error
    delivery = Delivery.objects.select_related("notice__county").filter(pk=pk).first()
    if delivery is None:
        raise Http404
    return delivery
