"""`/healthz` and `/readyz` for load balancers and orchestrators.

`/healthz`: the process answers (200 "ok"); it touches nothing, so a database outage never
makes a balancer kill healthy web processes. `/readyz`: this process can serve (200 "ready")
or not (503 "unavailable"): the database answers, every migration of this code is applied, and
the broker takes work (Redis answers a PING, or the embedded broker's folder is writable).
The public sees only that word; what failed goes to the log.

Both are answered by a middleware placed first, before the HTTPS redirect, the host check
(a balancer probes by address), sessions, CSRF, sign-in and any throttle: none of them may turn
a probe into a redirect, a 400 or a lockout.
"""

import logging
import os
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PROBE_TIMEOUT = 2  # seconds; a balancer's own timeout is usually 5


def database_problem() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        executor = MigrationExecutor(connection)
        unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready", logged below
        return f"database unreachable: {exc!r}"
    if unapplied:
        names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in unapplied[:5])
        return f"{len(unapplied)} migrations not applied ({names})"
    return ""


def broker_problem() -> str:
    if settings.REDIS_URL:
        client = redis.Redis.from_url(
            settings.REDIS_URL, socket_connect_timeout=PROBE_TIMEOUT, socket_timeout=PROBE_TIMEOUT
        )
        try:
            client.ping()
        except redis.RedisError as exc:
            return f"broker unreachable: {exc!r}"
        finally:
            client.close()
        return ""
    folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"]
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"embedded broker folder not writable: {folder}"
    return ""


def readiness_problems() -> list[str]:
    return [problem for problem in (database_problem(), broker_problem()) if problem]


def _answer(status: int, word: str) -> HttpResponse:
    response = HttpResponse(word, status=status, content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "no-store"
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return _answer(200, "ok")


def readyz(request: HttpRequest) -> HttpResponse:
    problems = readiness_problems()
    if problems:
        logger.warning("readyz: not ready: %s", "; ".join(problems))
        return _answer(503, "unavailable")
    return _answer(200, "ready")


PROBES = {"/healthz": healthz, "/readyz": readyz}


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info.rstrip("/"))
        if probe is None:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = _answer(405, "method not allowed")
            response["Allow"] = "GET, HEAD"
            return response
        return probe(request)
