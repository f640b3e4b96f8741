"""The audit log: `audit_record` is called by services (and the few views that act alone).

Who acted is passed explicitly: every state-changing service takes the acting user as `actor`
and hands it on; Celery tasks and commands pass `actor=None`, recorded as "系统". Only the
request's address, which services have no business knowing, is held in a context variable for
the length of the request. Status changes here are conditional UPDATEs, which model signals
never see, so events are written explicitly where the change happens (see docs/architecture.md "The audit log").
Each event is appended to its province's tamper-evident chain (accounts/auditchain.py).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from accounts.auditchain import chain_append
from accounts.models import AuditEvent
from accounts.models import AuditEventAction as Action  # noqa: F401 - callers import it from here
from accounts.validators import mask_keyword
from fanjiaxiang.security import client_ip

# Details that hold what someone typed to choose records (an export's filters, a search's
# keyword) may hold a phone or an ID number, and the log is read by provincial staff: they
# are kept masked, however the caller passed them. Other details are the caller's own words.
TYPED_KEYS = frozenset({"filters", "q", "keyword", "query"})


_request_ip: ContextVar[str | None] = ContextVar("audit_request_ip", default=None)


@contextmanager
def request_ip(ip: str | None) -> Iterator[None]:
    token = _request_ip.set(ip)
    try:
        yield
    finally:
        _request_ip.reset(token)


class AuditContextMiddleware:
    """Holds the request's address for audit_record while the view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_ip(client_ip(request)):
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


def _event(action, target, region, province, data, actor) -> AuditEvent:
    # An anonymous visitor (a failed sign-in) is nobody, like the system.
    if actor is not None and not actor.is_authenticated:
        actor = None
    return AuditEvent(
        actor=actor,
        actor_label=getattr(actor, "username", "") or "系统",
        actor_role=getattr(actor, "role", "") or "",
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=target.pk if target is not None else None,
        region=region,
        province=province,
        data=_details(data),
        ip=_request_ip.get(),
    )


def audit_record(
    action: str, *, actor, target=None, region=None, data: dict | None = None
) -> AuditEvent:
    """Write one event. `actor` is the acting user, None for the system; `region` is the
    county, city or province whose staff the record concerns."""
    province = _province_of(region)
    event = _event(action, target, region, province, data, actor)
    chain_append([event], province)
    return event


def audit_record_many(action: str, *, actor, targets, region, data: dict | None = None) -> None:
    """One event per record, in one INSERT per thousand (a matching round publishes hundreds of
    offers), appended to the chain under one lock."""
    province = _province_of(region)
    events = [_event(action, target, region, province, data, actor) for target in targets]
    for start in range(0, len(events), 1000):
        chain_append(events[start : start + 1000], province)
