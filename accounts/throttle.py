"""Attempts counted per key (a client address) in fixed windows, in the database.

The portal's cache is each process's own memory, so a count kept there would let every web
process allow the limit again. A row per scope, key and window, raised by a conditional UPDATE,
counts the same for all of them, on SQLite as on PostgreSQL. The key is stored as a keyed
digest: the table says how often, never who.
"""

import datetime
import hashlib
import hmac
import ipaddress

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Throttle


def _window_start(now: datetime.datetime, period: datetime.timedelta) -> datetime.datetime:
    seconds = int(period.total_seconds())
    start = int(now.timestamp()) // seconds * seconds
    return datetime.datetime.fromtimestamp(start, tz=datetime.UTC)


def address_key(address: str | None) -> str:
    """Whom an address stands for: an IPv6 client usually holds a whole /64 and may take a new
    address for every try, so the /64 is counted as one; no readable address (a misconfigured
    proxy) is one shared key, which errs on the side of refusing."""
    if not address:
        return "unknown"
    ip = ipaddress.ip_address(address)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _digest(key: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), key.encode(), hashlib.sha256).hexdigest()


def throttle_reached(*, scope: str, key: str, limit: int, period: datetime.timedelta) -> bool:
    """Whether `key` has used up `limit` attempts in this window, counting nothing: for limits
    on failures only, checked before the attempt and hit (throttle_hit) only when it fails."""
    start = _window_start(timezone.now(), period)
    counter = Throttle.objects.filter(scope=scope, key=_digest(key), window_start=start)
    return counter.filter(hits__gte=limit).exists()


@transaction.atomic
def throttle_hit(*, scope: str, key: str, limit: int, period: datetime.timedelta) -> bool:
    """Count one attempt of `key` at `scope`; False (and nothing counted) once `limit` attempts
    were made in this window of `period`."""
    start = _window_start(timezone.now(), period)
    counter, created = Throttle.objects.get_or_create(
        scope=scope, key=_digest(key), window_start=start
    )
    if created:  # a new window of this scope: the earlier ones count no more
        Throttle.objects.filter(scope=scope, window_start__lt=start).delete()
    # Conditional, so that two simultaneous attempts cannot both take the last one left: the
    # second UPDATE waits for the first's row lock, then finds the limit reached.
    raised = Throttle.objects.filter(pk=counter.pk, hits__lt=limit).update(hits=F("hits") + 1)
    return raised == 1
