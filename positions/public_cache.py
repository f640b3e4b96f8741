"""What anonymous visitors see of the posts, cached under versioned keys.

Every key of the public pages carries one version number kept in the cache itself. A change
that alters what the public pages show (a post published, closed, cancelled or edited, a host
unit renamed or taken off, the last seat of a post taken, a selection date moved) calls
`public_pages_changed()`, which bumps the version when its transaction commits: the next
request asks for keys nobody has written yet, so a closed post is never served as open from
the cache, on any process sharing the cache (Redis in production). Old entries are simply never
read again and expire.

Seat counts change with every offer; they are not worth throwing every page away for. An
entry is fresh for `TTL` seconds, then rebuilt by the next request (others are served the
entry while it builds), so "剩余 N 个名额" is about a minute old at most,
while the post filling up (名额已满) bumps the version at once.

On the embedded default (each process its own local memory) a change made by another process,
the Celery worker closing posts at a hard lock, reaches the web process's entries at the
latest after `TTL`.

One build per key: the first request to miss takes a short lock (`cache.add`) and builds; the
others wait for its result for up to `WAIT` seconds, then build themselves rather than fail.
An entry past its freshness is rebuilt the same way, but the others are served it meanwhile.
"""

import hashlib
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "public:version"
TTL = 60  # seconds an entry is fresh (how old a seat count may be)
LOCK_SECONDS = 10
WAIT = 2.0
POLL = 0.02


def public_version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh token rather than 1: a cache emptied and refilled never meets old entries.
        cache.add(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)
        version = cache.get(VERSION_KEY) or "0"
    return str(version)


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex[:12], timeout=None)


def public_pages_changed() -> None:
    """The public pages show something else from the commit on: their cache is stale then."""
    # After the commit, so a request in between cannot cache the old rows under the new version.
    transaction.on_commit(_bump)


def public_key(kind: str, *parts: Any) -> str:
    raw = "|".join(str(p) for p in parts)
    digest = hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()
    return f"public:{kind}:{public_version()}:{digest}"


def cached(key: str, build: Callable[[], Any]) -> Any:
    """The value under `key`, built once by one request when missing. An entry past its `TTL`
    (same version: no post changed, only seat counts may have) is rebuilt by one request while
    the others are still given it, so its expiry never makes a queue."""
    entry = cache.get(key)
    if entry is not None:
        fresh_until, value = entry
        if time.time() < fresh_until or not _lock(key):
            return value
        return _build(key, build)
    if _lock(key) or cache.get(f"{key}:lock") is None:
        # Ours to build, or the cache is unreachable (fails open): build without waiting.
        return _build(key, build)
    # Someone is building it: wait for theirs rather than stampede the database.
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        time.sleep(POLL)
        entry = cache.get(key)
        if entry is not None:
            return entry[1]
    return _build(key, build)


def _lock(key: str) -> bool:
    return bool(cache.add(f"{key}:lock", 1, timeout=LOCK_SECONDS))


def _build(key: str, build: Callable[[], Any]) -> Any:
    try:
        value = build()
        # Kept twice as long as it is fresh, for the stale reads above.
        cache.set(key, (time.time() + TTL, value), timeout=2 * TTL)
    finally:
        cache.delete(f"{key}:lock")
    return value
