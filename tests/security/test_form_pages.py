"""Every page of the portal, opened as the role that owns it (the access matrix's world and
tables): a select says 请选择… rather than Django's dashes, and every field a user fills has a
label a screen reader announces (a <label>, or aria-label where a visible one does not fit)."""

import pytest

from tests.labels import fields_without_a_visible_label, unlabelled_fields
from tests.security import test_access_matrix as access
from tests.security.test_access_matrix import CLASSIFIED, PROTECTED, _url, login

matrix = access.matrix  # the access matrix's world, built once for this module too

pytestmark = pytest.mark.django_db

# The forms people fill in most: each field has a label they can see, not only a placeholder.
MAIN_FORMS = (
    "students:register",
    "students:profile",
    "students:me",
    "students:post_applicants",
    "students:verify",
    "positions:post_create",
    "positions:post_edit",
    "positions:host_unit_create",
    "ledger:entry_create",
)


def _pages(matrix) -> list[tuple[str, str, str]]:
    """(name, url, who opens it) for every GET page of the tables."""
    pages = []
    for name in CLASSIFIED:
        role = PROTECTED[name].owner if name in PROTECTED else "anonymous"
        if name in PROTECTED and PROTECTED[name].no_control:
            continue
        pages.append((name, _url(matrix, name), role))
    return pages


def _html_pages(client, matrix):
    for name, url, role in _pages(matrix):
        login(client, matrix, role)
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        page = response.content.decode()
        if "<html" in page:  # htmx fragments are checked in the page that takes them in
            yield name, role, page


def test_no_select_of_any_page_offers_djangos_dashes(client, matrix):
    dashes = [
        f"{name} ({role})"
        for name, role, page in _html_pages(client, matrix)
        if "---------" in page
    ]
    assert not dashes, f"pages with '---------': {dashes}"


def test_every_field_of_every_page_has_a_label(client, matrix):
    problems = [
        f"{name} ({role}): {', '.join(found)}"
        for name, role, page in _html_pages(client, matrix)
        if (found := unlabelled_fields(page))
    ]
    assert not problems, "fields without a label:\n" + "\n".join(problems)


def test_every_field_of_the_main_forms_has_a_visible_label(client, matrix):
    pages = {name: page for name, _role, page in _html_pages(client, matrix)}
    assert set(MAIN_FORMS) <= set(pages), f"not walked: {set(MAIN_FORMS) - set(pages)}"
    problems = [
        f"{name}: {', '.join(found)}"
        for name in MAIN_FORMS
        if (found := fields_without_a_visible_label(pages[name]))
    ]
    assert not problems, "fields with only a placeholder or aria-label:\n" + "\n".join(problems)


def test_the_label_check_tells_a_placeholder_from_a_label():
    assert unlabelled_fields('<form><input name="day" placeholder="日期"></form>')
    assert not unlabelled_fields('<form><label for="d">日期</label><input id="d"></form>')
    assert not unlabelled_fields('<form><label>日期 <input name="d"></label></form>')
    assert not unlabelled_fields('<form><input type="hidden" name="t"></form>')
    assert fields_without_a_visible_label('<form><input name="q" aria-label="关键词"></form>')
    grouped = (
        '<fieldset><legend>生源地</legend><select name="p" aria-label="省份"></select></fieldset>'
    )
    assert not fields_without_a_visible_label(grouped)
