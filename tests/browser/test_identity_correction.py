"""On a phone (and a laptop): 越秀区's staff find a student under 本县学生 and move them to 天河区
with the cascading selects; the list no longer shows them. Screenshots of both screens at both
sizes are kept in var/screenshots/ for a person to look at."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import Role
from positions.regions import regions_load
from students.models import Student
from tests.browser.test_student_journey import log_in, no_horizontal_scroll
from tests.factories import PASSWORD, StudentFactory, UniversityFactory, region, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = settings.BASE_DIR / "var" / "screenshots"


def _world():
    regions_load()
    yuexiu = region("440104")
    staff(Role.COUNTY, region=yuexiu, username="yuexiu")
    pku = UniversityFactory(name="北京大学", code="4111010001", province=region("110000"))
    for n in range(3):
        StudentFactory(name=f"越秀同学{n}", hometown=yuexiu, university=pku)
    return StudentFactory(name="王错县", hometown=yuexiu, university=pku)


def test_county_staff_correct_a_hometown_on_a_phone(live_server, phone_page):
    student = _world()
    page = phone_page()
    log_in(page, live_server.url, "yuexiu", PASSWORD, "/manage/students/")
    expect(page.locator("#county-students")).to_contain_text("王错县")
    assert no_horizontal_scroll(page)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "county_students_phone.png", full_page=True)

    page.fill("#id_q", "错县")
    page.get_by_role("button", name="查找").click()
    page.get_by_role("link", name="更正").click()
    expect(page.locator("#id_hometown")).to_have_value("440104")
    # The cascade starts at the student's hometown: 广州市's counties are there already.
    page.select_option("#id_hometown", label="天河区")
    page.fill("#id_reason", "核对户口簿，生源地应为天河区")
    assert no_horizontal_scroll(page)
    page.screenshot(path=SHOTS / "identity_correct_phone.png", full_page=True)
    page.get_by_role("button", name="确认更正").click()

    expect(page.locator(".alert-success")).to_contain_text("已更正 王错县 的身份信息")
    expect(page.locator("#county-students")).not_to_contain_text("王错县")
    assert Student.objects.get(pk=student.pk).hometown.name == "天河区"


def test_the_screens_fit_a_laptop(live_server, chromium):
    student = _world()
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, live_server.url, "yuexiu", PASSWORD, "/manage/students/")
        assert no_horizontal_scroll(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "county_students_laptop.png", full_page=True)
        page.goto(f"{live_server.url}/manage/students/{student.pk}/identity/")
        page.get_by_role("button", name="确认更正").click()  # nothing changed, no reason
        expect(page.get_by_text("请填写更正原因。")).to_have_count(1)
        assert no_horizontal_scroll(page)
        page.screenshot(path=SHOTS / "identity_correct_laptop.png", full_page=True)
    finally:
        context.close()


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
def test_the_profile_names_who_corrects_the_fixed_fields(live_server, chromium, size):
    student = _world()
    width, height = size
    context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    page = context.new_page()
    try:
        log_in(page, live_server.url, student.user.username, PASSWORD, "/me/profile/")
        expect(page.locator("#identity-help")).to_contain_text("广州市越秀区团委")
        assert no_horizontal_scroll(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / f"profile_{width}.png", full_page=True)
    finally:
        context.close()
