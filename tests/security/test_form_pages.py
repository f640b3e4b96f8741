"""Every page of the portal, opened as the role that owns it (the access matrix's world and
tables): a select says 请选择… rather than Django's dashes, and every field a user fills has a
label a screen reader announces (a <label>, or aria-label where a visible one does not fit)."""

import pytest
from lxml import html as lxml_html

from tests.security import test_access_matrix as access
from tests.security.test_access_matrix import CLASSIFIED, PROTECTED, _url, login

matrix = access.matrix  # the access matrix's world, built once for this module too

pytestmark = pytest.mark.django_db

NOT_FILLED = {"hidden", "submit", "button", "reset", "image"}


def unlabelled_fields(page: str) -> list[str]:
    """The inputs, selects and text areas of the page with no accessible name from a label."""
    tree = lxml_html.fromstring(page)
    labelled = {label.get("for") for label in tree.iter("label") if label.get("for")}
    problems = []
    for field in tree.xpath("//input | //select | //textarea"):
        if field.tag == "input" and (field.get("type") or "text").lower() in NOT_FILLED:
            continue
        if field.get("aria-label") or field.get("aria-labelledby"):
            continue
        if field.get("id") in labelled or any(a.tag == "label" for a in field.iterancestors()):
            continue
        problems.append(f"<{field.tag} name={field.get('name')!r} id={field.get('id')!r}>")
    return problems


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
        yield name, role, response.content.decode()


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


def test_the_label_check_tells_a_placeholder_from_a_label():
    assert unlabelled_fields('<form><input name="day" placeholder="日期"></form>')
    assert not unlabelled_fields('<form><label for="d">日期</label><input id="d"></form>')
    assert not unlabelled_fields('<form><label>日期 <input name="d"></label></form>')
    assert not unlabelled_fields('<form><input type="hidden" name="t"></form>')
