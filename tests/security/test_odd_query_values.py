"""No query value, however odd, gives a 500 (issue 23: `?year=²` did on three calendar pages).

Every URL of the access matrix is opened by GET as every staff role and a student (public pages
anonymously). For each role that can open the page, the query parameters the view actually
reads are recorded (QueryDict's accessors, one request with every known name set); each is then
sent alone with the values that break a number, and all together with the others. The candidate
names are read from the source, so a new filter is tried too.
"""

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client

from ledger.forms import EntryFilterForm
from positions.forms import PostSearchForm
from students.forms import CreditFilterForm
from tests.security.test_access_matrix import (
    CLASSIFIED,
    PROTECTED,
    PUBLIC,
    _url,
    content_of,
    login,
    matrix,  # noqa: F401 - the module's world, built once
)

pytestmark = pytest.mark.django_db

APPS = (
    "accounts",
    "positions",
    "students",
    "ledger",
    "schedule",
    "dashboards",
    "summary",
    "reports",
)
READ = re.compile(r"""\bGET(?:\.get|\.getlist)?[(\[]\s*["'](\w+)["']""")
FILTER_FORMS = (PostSearchForm, CreditFilterForm, EntryFilterForm)


def _parameter_names() -> list[str]:
    names = {"page", "format", "export"}
    for app in APPS:
        for path in Path(settings.BASE_DIR, app).rglob("*.py"):
            names |= set(READ.findall(path.read_text(encoding="utf-8")))
    for form in FILTER_FORMS:
        names |= set(form.base_fields)
    names |= {"action", "actor", "since", "until"}  # the audit log's filter form
    return sorted(names)


PARAMETERS = _parameter_names()
# The kinds the issue names (superscripts, huge integers, negative pages, NUL, exponents), and a
# few more that int(), dates and PostgreSQL each refuse in their own way. Those that break a
# number are sent in each parameter alone (one parameter refused early must not hide another
# that fails later); the rest in every parameter at once, to keep the sweep's length bounded.
EACH_ALONE = (
    "²",  # str.isdigit() says yes, int() says no
    "99999999999999999999",  # past a 64-bit integer column
    "-1",
    "1e5",
)
ALL_AT_ONCE = (
    "¹²³",
    "１２",  # full-width digits: int() accepts them, a digit check may not
    "\x00",  # PostgreSQL refuses NUL in text
    "2026-02-30",
    "x" * 300,
)
STAFF = ("province_staff", "gz_staff", "yx_staff", "yx_host", "uni_staff", "student_a")


class _Reads:
    """Which query parameters a view reads: QueryDict's accessors, recorded for one request.
    Copying or re-encoding the whole query (paging links keep the filters) reads every key
    without using any, so reads made inside those do not count."""

    def __init__(self, monkeypatch):
        self.names: set[str] = set()
        self.whole = 0
        for method in ("get", "getlist", "__getitem__", "__contains__"):
            monkeypatch.setattr(QueryDict, method, self._recording(getattr(QueryDict, method)))
        whole = (
            "__init__",
            "copy",
            "__copy__",
            "__deepcopy__",
            "urlencode",
            "dict",
            "lists",
            "items",
        )
        for method in whole:
            monkeypatch.setattr(QueryDict, method, self._whole(getattr(QueryDict, method)))

    def _recording(self, original):
        def read(query, key, *args, **kwargs):
            if not self.whole:
                self.names.add(key)
            return original(query, key, *args, **kwargs)

        return read

    def _whole(self, original):
        def read_all(query, *args, **kwargs):
            self.whole += 1
            try:
                result = original(query, *args, **kwargs)
                # items() and lists() are generators: read them while still "whole"
                return list(result) if isinstance(result, Iterator) else result
            finally:
                self.whole -= 1

        return read_all


def _problem(client: Client, url: str, query: dict) -> str | None:
    try:
        response = client.get(url, query)
        content_of(response)  # a download fails, if at all, while it is read
    except Exception as error:  # noqa: BLE001 - any exception here is the 500 being looked for
        return f"{type(error).__name__}: {str(error)[:120]}"
    if response.status_code >= 500:
        return f"HTTP {response.status_code}"
    return None


def _read_by(client: Client, url: str, monkeypatch) -> set[str]:
    """The parameters the page reads for this role: none if the role cannot open it at all.
    Read with no query and with every parameter set (a year of "1" may be a 404 that still
    read it; a form bound only to a non-empty query reads its fields only then)."""
    with monkeypatch.context() as patch:
        reads = _Reads(patch)
        if client.get(url).status_code != 200:
            return set()
        content_of(client.get(url, dict.fromkeys(PARAMETERS, "1")))
    return reads.names & set(PARAMETERS)


@pytest.mark.parametrize("name", [n for n in CLASSIFIED if n in PUBLIC or n in PROTECTED])
def test_odd_query_values_never_give_a_500(matrix, name, monkeypatch):  # noqa: F811 - fixture
    client = Client()
    url = _url(matrix, name)
    failures = []
    for role in STAFF if name in PROTECTED else ("anonymous",):
        login(client, matrix, role)
        read = _read_by(client, url, monkeypatch)
        queries = [{p: v} for p in sorted(read) for v in EACH_ALONE]
        queries += [dict.fromkeys(read, v) for v in ALL_AT_ONCE] if read else []
        for query in queries:
            if problem := _problem(client, url, query):
                failures.append(f"as {role}, {query_repr(query)}: {problem}")
    assert not failures, f"GET {url}:\n" + "\n".join(failures[:40])


def query_repr(query: dict) -> str:
    return "&".join(f"{k}={v[:12]!r}" for k, v in query.items())
