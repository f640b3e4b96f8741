"""The audit log: `audit_record` is called by services and views; the middleware tells it who.

Services do not take the acting user as an argument; as in django-auditlog, the request's user
and address are held in a context variable for the length of the request, and Celery tasks and
commands run as "系统". Status changes here are conditional UPDATEs, which model signals never
see, so events are written explicitly where the change happens (see README "Audit").
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from accounts.models import AuditEvent
from accounts.models import AuditEventAction as Action  # noqa: F401 - callers import it from here
from accounts.validators import mask_keyword
from fanjiaxiang.security import client_ip

# Details that hold what someone typed to choose records (an export's filters, a search's
# keyword) may hold a phone or an ID number, and the log is read by provincial staff: they
# are kept masked, however the caller passed them. Other details are the caller's own words.
TYPED_KEYS = frozenset({"filters", "q", "keyword", "query"})


@dataclass(frozen=True)
class Actor:
    user: object | None
    ip: str | None


NOBODY = Actor(None, None)  # Celery tasks and commands: recorded as "系统"
_actor: ContextVar[Actor | None] = ContextVar("audit_actor", default=None)


@contextmanager
def acting_as(user, ip: str | None = None) -> Iterator[None]:
    token = _actor.set(Actor(user, ip))
    try:
        yield
    finally:
        _actor.reset(token)


class AuditContextMiddleware:
    """Holds the signed-in user and address for audit_record while the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        user = user if user is not None and user.is_authenticated else None
        with acting_as(user, client_ip(request)):
            return self.get_response(request)


def _province_of(region):
    """The province above a region; at most two parent hops (county → city → province)."""
    while region is not None and region.level != "province":
        region = region.parent
    return region


def _masked(value):
    if isinstance(value, str):
        return mask_keyword(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


def _details(data: dict | None) -> dict:
    return {key: _masked(v) if key in TYPED_KEYS else v for key, v in (data or {}).items()}


def _event(action, target, region, province, data, actor=None) -> AuditEvent:
    current = _actor.get() or NOBODY
    user = actor if actor is not None else current.user
    return AuditEvent(
        actor=user,
        actor_label=getattr(user, "username", "") or "系统",
        actor_role=getattr(user, "role", "") or "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        region=region,
        province=province,
        data=_details(data),
        ip=current.ip,
    )


def audit_record(
    action: str, *, target=None, region=None, data: dict | None = None, actor=None
) -> AuditEvent:
    """Write one event. `region` is the county, city or province whose staff the record concerns."""
    event = _event(action, target, region, _province_of(region), data, actor)
    event.save()
    return event


def audit_record_many(action: str, *, targets, region, data: dict | None = None) -> None:
    """One event per record, in one INSERT (a matching round publishes hundreds of offers)."""
    province = _province_of(region)
    events = [_event(action, target, region, province, data) for target in targets]
    AuditEvent.objects.bulk_create(events, batch_size=1000)
