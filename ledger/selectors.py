"""Who reads which ledger rows. County staff own their county's ledger; city and provincial
staff read the counties below them (403 on any change); everyone else gets 404. A county's
ledger is invisible to every other county: every lookup goes through `region_filter`."""

import re
import unicodedata

from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404

from accounts.access import Access
from accounts.models import Role
from accounts.scoping import region_filter
from accounts.validators import id_number_clean, id_number_digest, normalize_phone
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


def sees_in_full(user) -> bool:
    """County staff see ID numbers and phones in full (they answer for the person); city and
    provincial staff read them masked: on the page, in the export, and in what they may search."""
    return user.role == Role.COUNTY


# Keywords ------------------------------------------------------------------------------------

# A masked number shows at most four digits in a row (139****5678, 4401**********1234). A
# reader's keyword with more (separators between them or not) could only find someone through
# the digits hidden from them, and ten thousand such searches recover a phone: refused.
VISIBLE_DIGITS = 4
_HIDDEN_DIGITS = re.compile(rf"\d(?:[-. ()]*\d){{{VISIBLE_DIGITS},}}")
_MASKED_PHONE = re.compile(r"(\d{3})(\*+)(\d{4})")
_MASKED_ID = re.compile(r"\d{4}\*+\d{3}[\dX]")
_NUMBER = re.compile(r"\+?[\d\s\-.()]+")


def keyword_reveals_hidden_digits(keyword: str) -> bool:
    return bool(_HIDDEN_DIGITS.search(unicodedata.normalize("NFKC", keyword)))


def entries_matching(entries, keyword: str, *, in_full: bool):
    """Entries a keyword finds: name, university, major and tags contain it, or it is a phone
    or ID number as the list shows it masked (139****5678). For staff who see numbers in full,
    also a whole ID number, a whole phone (+86 and separators allowed) or part of a phone.
    Readers' keywords that hold more digits than a masked number shows never reach this (the
    filter form refuses them), and nothing here matches them on a hidden digit."""
    typed = keyword.strip()
    match = (
        Q(name__contains=typed)
        | Q(university__contains=typed)
        | Q(major__contains=typed)
        | Q(tags__contains=typed)
    )
    text = unicodedata.normalize("NFKC", typed)  # full-width digits and ＊ as ASCII
    if masked := _MASKED_PHONE.fullmatch(text):
        first, stars, last = masked.groups()
        match |= Q(phone__regex=rf"^{first}[0-9]{{{len(stars)}}}{last}$")
    if _MASKED_ID.fullmatch(text.upper()):
        match |= Q(id_number_masked=text.upper())
    if in_full:
        match |= _full_number_match(text)
    return entries.filter(match)


def _full_number_match(text: str) -> Q:
    match = Q(pk__in=[])
    try:
        match |= Q(id_number_digest=id_number_digest(id_number_clean(text)))
    except ValidationError:
        pass
    if _NUMBER.fullmatch(text):
        digits = re.sub(r"\D", "", text)
        if len(digits) >= VISIBLE_DIGITS:
            match |= Q(phone__contains=digits)
        try:
            match |= Q(phone=normalize_phone(text))
        except ValidationError:
            pass
    return match


def entries_for_user(user):
    require_ledger_reader(user)
    return Entry.objects.filter(region_filter(user, "county"))


def _get(queryset, user, pk):
    item = queryset.filter(pk=pk).first()
    if item is None:
        raise Http404
    return item, Access(can_write=can_write(user))


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
        .annotate(
            attendance=Count("attendees", distinct=True),
            material_count=Count("materials", distinct=True),
        )
        .order_by("-date", "-pk")
    )


def get_event_for_user(user, pk):
    return _get(events_for_user(user).select_related("county", "season"), user, pk)


def get_material_for_user(user, event_pk, pk):
    """An event's photo or minutes, with the event's access."""
    event, access = get_event_for_user(user, event_pk)
    material = event.materials.filter(pk=pk).first()
    if material is None:
        raise Http404
    return material, access


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
    """An import job is seen and changed by the county's staff only."""
    if user.role != Role.COUNTY:
        raise Http404
    job = ImportJob.objects.filter(pk=pk, county=user.region_id).first()
    if job is None:
        raise Http404
    return job, Access(can_write=True)


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
