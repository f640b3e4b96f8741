"""The staff layout on office screens and phones: at 1280×720 and 1366×768 no sidebar or top-bar
item wraps onto a second line and no page scrolls sideways, for every staff role; on a phone the
sidebar is an off-canvas menu opened by keyboard and mouse; students' pages fit a phone."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import (
    PASSWORD,
    HostUnitFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
    region,
    staff,
)

OFFICE_SCREENS = [(1366, 768), (1280, 720)]

# Every menu text on one line; a box narrower than its text counts as wrapped too. The user
# label is the one text allowed to end in an ellipsis, and then its title carries it in full.
WRAPPED = """() => {
  const found = [];
  const boxes = document.querySelectorAll(
    "#nav .nav-link, #nav .sidebar-heading, header .nav-link, header .navbar-brand, header .user-label");
  for (const box of boxes) {
    if (!box.getClientRects().length) continue;  // not shown at this width
    const words = box.textContent.trim();
    const texts = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    for (let text = texts.nextNode(); text; text = texts.nextNode()) {
      if (!text.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      // A second line starts below the first; on one line the fragments of mixed fonts overlap.
      const [first, ...rest] = range.getClientRects();
      if (rest.some((rect) => rect.top >= first.bottom - 1)) found.push("wraps: " + words);
    }
    const cut = box.clientWidth && box.scrollWidth > box.clientWidth + 1;
    if (cut && !(box.classList.contains("user-label") && box.title === words)) {
      found.push("cut off: " + words);
    }
  }
  const header = document.querySelector("header");
  if (header.getBoundingClientRect().height > 64) found.push("the top bar takes two rows");
  return found;
}"""
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def _staff_of_every_role():
    """Each staff role, with names as long as real ones (the user label must still fit)."""
    yuexiu, province = region("440104"), region("440000")
    unit = HostUnitFactory(county=yuexiu, name="广州市越秀区乡村振兴发展集团有限公司")
    university = UniversityFactory(name="华南理工大学广州国际校区", code="4144010561")
    named = "广州市越秀区团委青年发展部工作人员"
    return {
        "province": staff(Role.PROVINCE, region=province, name="广东省团委学校部工作人员"),
        "city": staff(Role.CITY, region=region("440100"), name="广州市团委学校部工作人员"),
        "county": staff(Role.COUNTY, region=yuexiu, name=named),
        "host": staff(Role.HOST, host_unit=unit, name="越秀区乡村振兴发展集团人事专员"),
        "university": staff(Role.UNIVERSITY, university=university, name="华工团委实践部老师"),
        "superuser": UserFactory(is_superuser=True, is_staff=True, role=""),
    }


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_no_staff_menu_item_wraps_and_no_page_scrolls_sideways_on_office_screens(
    live_server, chromium
):
    users = _staff_of_every_role()
    url = live_server.url
    for role, user in users.items():
        context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        context.set_default_timeout(10_000)
        page = context.new_page()
        log_in(page, url, user.username)
        sidebar = page.locator("#nav a.nav-link")
        pages = [url + "/"] + [
            url + href for href in sidebar.evaluate_all("links => links.map(a => a.pathname)")[1:4]
        ]
        for width, height in OFFICE_SCREENS:
            page.set_viewport_size({"width": width, "height": height})
            for address in pages:
                page.goto(address)
                expect(page.locator("#nav")).to_be_visible()  # beside the page, not a menu
                where = f"{role} at {width}×{height} on {address}"
                assert page.evaluate(WRAPPED) == [], where
                assert page.evaluate(NO_SIDEWAYS_SCROLL), where
        context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_page_shown_is_marked_in_the_sidebar(live_server, chromium):
    county = _staff_of_every_role()["county"]
    context = chromium.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    page = context.new_page()
    log_in(page, live_server.url, county.username)
    page.locator("#nav").get_by_role("link", name="人岗匹配").click()
    current = page.locator('#nav a[aria-current="page"]')
    expect(current).to_have_text("人岗匹配")
    expect(current).to_have_class(re.compile(r"\bactive\b"))
    trail = page.get_by_role("navigation", name="当前位置")
    expect(trail).to_contain_text("工作台")
    expect(trail).to_contain_text("学生与匹配")
    expect(trail.locator('[aria-current="page"]')).to_have_text("人岗匹配")
    context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_on_a_phone_the_sidebar_opens_as_a_menu_by_keyboard_and_by_mouse(live_server, phone_page):
    county = _staff_of_every_role()["county"]
    url = live_server.url
    page = phone_page()
    log_in(page, url, county.username)
    menu = page.locator("#nav")
    matching = menu.get_by_role("link", name="人岗匹配")
    expect(matching).to_be_hidden()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    button = page.get_by_role("button", name="菜单")
    button.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    expect(matching).to_be_visible()
    expect(menu.get_by_role("link", name="台账人员")).to_be_visible()
    expect(menu.get_by_role("button", name="退出")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).not_to_have_class(re.compile(r"\bshow\b"))
    expect(matching).to_be_hidden()

    button.click()
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    matching.click()
    expect(page).to_have_url(f"{url}/manage/matching/")
    assert page.evaluate(NO_SIDEWAYS_SCROLL)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_students_pages_fit_a_phone(live_server, phone_page):
    student = StudentFactory(name="欧阳思远", university__name="华南理工大学广州国际校区")
    url = live_server.url
    page = phone_page()
    log_in(page, url, student.user.username)
    expect(page.locator(".staff-sidebar")).to_have_count(0)
    for path in ("/", "/posts/", "/me/", "/me/profile/", "/accounts/notices/", "/briefings/"):
        page.goto(url + path)
        assert page.evaluate(NO_SIDEWAYS_SCROLL), path
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    expect(page.get_by_role("link", name="我的实践")).to_be_visible()
    page.get_by_role("link", name="我的实践").click()
    expect(page).to_have_url(f"{url}/me/")
