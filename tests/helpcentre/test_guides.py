"""The 帮助中心 (issue 22): every role's guide is complete and reachable, every link in it leads
somewhere, every step has its picture, and every main page's 帮助 opens its section. (The words
and pictures are checked against the screens in tests/browser/test_help_screenshots.py.)"""

import json
import re
from urllib.parse import urldefrag, urlsplit

import lxml.html
import pytest
from django.contrib.staticfiles import finders
from django.urls import Resolver404, resolve, reverse

from accounts.access import capabilities_for
from accounts.navigation import navigation_for
from demo.help_pages import DEMO_OBJECTS
from helpcentre.guides import MANIFESTS_DIR, ROLES, SHOTS_DIR, guides, questions, step_for_page
from tests.factories import HostUnitFactory, StudentFactory, UniversityFactory, region, staff

pytestmark = pytest.mark.django_db


def _steps():
    return [(guide, step) for guide in guides().values() for step in guide.steps]


def test_every_role_has_a_guide_of_several_steps_with_its_demo_account():
    assert set(guides()) == set(ROLES)
    for guide in guides().values():
        assert len(guide.steps) >= 5, f"{guide.role}: only {len(guide.steps)} steps"
        assert guide.title.endswith("操作指南")


def test_every_step_names_a_real_page_and_a_demo_object_the_screenshots_can_find():
    for guide, step in _steps():
        where = f"{guide.role}/{step.id}"
        if step.demo:
            assert step.demo in DEMO_OBJECTS, f"{where}: no demo object {step.demo}"
        else:
            reverse(step.page)
        assert step.url(), f"{where}: {step.link_name} takes arguments; give a list page as link"
        for name in step.pages:
            assert ":" in name or name == "home", f"{where}: {name} is not a URL name"


def test_every_step_has_its_picture_and_no_picture_is_left_over():
    for guide in guides().values():
        manifest = json.loads((MANIFESTS_DIR / f"{guide.role}.json").read_text())
        ids = {step.id for step in guide.steps}
        assert set(manifest) == ids, f"{guide.role}: pictures differ from steps"
        pictures = {path.stem for path in (SHOTS_DIR / guide.role).glob("*.png")}
        assert pictures == ids, f"{guide.role}: pictures {pictures ^ ids} missing or left over"


def _check_links(client, path: str, seen: set[str]) -> list[str]:
    """Every link and picture of the page at `path`: an anchor of that page, a portal URL or a
    static file that exists."""
    response = client.get(path)
    assert response.status_code == 200, path
    root = lxml.html.document_fromstring(response.content.decode())
    ids = set(root.xpath("//@id"))
    broken = []
    for element, attribute, link, _pos in root.iterlinks():
        if attribute not in {"href", "src"} or element.tag in {"script", "link"}:
            continue
        address, fragment = urldefrag(link)
        if not address:
            if fragment and fragment not in ids:
                broken.append(f"{path}: #{fragment} is no anchor of the page")
            continue
        parts = urlsplit(address)
        if parts.scheme or parts.netloc:
            broken.append(f"{path}: {link} leaves the portal")
        elif parts.path.startswith("/static/"):
            if not finders.find(parts.path.removeprefix("/static/")):
                broken.append(f"{path}: {link} is no static file")
        else:
            try:
                resolve(parts.path)
            except Resolver404:
                broken.append(f"{path}: {link} is no page")
            if fragment and parts.path.startswith("/help/") and parts.path not in seen:
                seen.add(parts.path)
                target = client.get(parts.path).content.decode()
                if f'id="{fragment}"' not in target:
                    broken.append(f"{path}: {link}: no #{fragment} there")
    return broken


def test_every_link_and_picture_in_the_help_pages_resolves(client):
    paths = [reverse("helpcentre:index")]
    for role in ROLES:
        paths += [reverse("helpcentre:guide", args=[role])]
        paths += [reverse("helpcentre:manual", args=[role])]
    seen: set[str] = set()
    broken = [problem for path in paths for problem in _check_links(client, path, seen)]
    assert not broken, "\n".join(broken)


def test_a_guide_shows_every_step_with_its_picture_and_link_and_the_faq_for_its_role(client):
    for guide in guides().values():
        html = client.get(reverse("helpcentre:guide", args=[guide.role])).content.decode()
        for step in guide.steps:
            assert f'id="{step.id}"' in html and step.title in html
            assert f"shots/{guide.role}/{step.id}.png" in html
        for question in questions():
            assert (question.question in html) == (guide.role in question.roles)


def test_the_printable_manual_holds_the_whole_guide_and_a_print_button(client):
    for guide in guides().values():
        response = client.get(reverse("helpcentre:manual", args=[guide.role]))
        html = response.content.decode()
        assert "data-print" in html and "打印本手册" in html
        for step in guide.steps:
            assert f"shots/{guide.role}/{step.id}.png" in html
        assert html.count('class="help-step"') >= len(guide.steps)


@pytest.mark.parametrize("path", ["/help/nobody/", "/help/admin/print/", "/help/%E5%AD%A6/"])
def test_an_unknown_guide_is_not_found(client, path):
    assert client.get(path).status_code == 404


def _people():
    """A user of each role with a guide, scoped as the demo's are."""
    county = region("440104")
    unit = HostUnitFactory(county=county)
    university = UniversityFactory()
    return {
        "province": staff("province", region=region("440000")),
        "city": staff("city", region=region("440100")),
        "county": staff("county", region=county),
        "host": staff("host", host_unit=unit),
        "university": staff("university", university=university),
        "student": StudentFactory(hometown=county, university=university).user,
    }


def test_every_menu_item_of_every_role_opens_its_section_of_that_roles_guide():
    lacking = []
    for role, user in _people().items():
        nav = navigation_for(capabilities_for(user), "")
        links = [link for group in nav.groups for link in group.links] + nav.top
        for link in links:
            if link.url_name != "admin:index" and step_for_page(role, link.url_name) is None:
                lacking.append(f"{role}: 「{link.label}」 ({link.url_name})")
    assert not lacking, "no guide step explains:\n" + "\n".join(lacking)


def test_the_top_bars_help_link_opens_the_section_of_the_page_shown(client):
    people = _people()
    county_step = step_for_page("county", "positions:post_list")
    assert county_step is not None
    client.force_login(people["county"])
    html = client.get(reverse("positions:post_list")).content.decode()
    assert f'href="/help/county/#{county_step.id}">帮助</a>' in html
    client.force_login(people["student"])
    html = client.get(reverse("students:me")).content.decode()
    assert re.search(r'href="/help/student/(#[a-z0-9-]+)?">帮助</a>', html)


def test_a_visitor_reaches_the_help_centre_from_every_page_and_reads_the_students_guide(client):
    for path in ["/", reverse("accounts:login"), reverse("positions:search")]:
        html = client.get(path).content.decode()
        assert 'href="/help/">帮助中心</a>' in html
        assert re.search(r'href="/help/student/(#[a-z0-9-]+)?">帮助</a>', html)


def test_each_roles_home_page_offers_its_own_guide(client):
    for role, user in _people().items():
        client.force_login(user)
        html = client.get(reverse("home")).content.decode()
        assert f'href="/help/{role}/">不清楚怎么操作？查看《{guides()[role].title}》' in html, role


def test_go_buttons_are_offered_to_the_guides_own_role_and_for_visitors_steps_to_anyone(client):
    people = _people()
    county_guide = reverse("helpcentre:guide", args=["county"])
    assert "去办理" not in client.get(county_guide).content.decode()
    student_html = client.get(reverse("helpcentre:guide", args=["student"])).content.decode()
    visitor_steps = [step for step in guides()["student"].steps if step.visitor]
    assert visitor_steps and student_html.count("去办理") == len(visitor_steps)
    client.force_login(people["county"])
    html = client.get(county_guide).content.decode()
    assert html.count("去办理") == len(guides()["county"].steps)
    assert f'href="{reverse("positions:post_list")}">去办理' in html.replace(
        'class="btn btn-sm btn-danger" ', ""
    )
    client.force_login(people["city"])
    assert "去办理" not in client.get(county_guide).content.decode()


def test_the_help_centre_marks_the_readers_own_guide(client):
    client.force_login(_people()["county"])
    html = client.get(reverse("helpcentre:index")).content.decode()
    assert html.count(">你的身份</span>") == 1
    own = html.index(">你的身份</span>")
    assert html.rfind('href="/help/', 0, own) == html.rfind('href="/help/county/"', 0, own)
