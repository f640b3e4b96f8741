"""On a phone, on the first day of a practice: the host unit's home page shows who checks in
today with their 报到码, it records one with one press and lands back on its to-do list; the
student's home shows the same check-in as their next step (issue 16)."""

import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from accounts.models import Role
from students import services
from tests.factories import PASSWORD, PostFactory, StudentFactory, region, staff


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    page.wait_for_load_state()


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_host_unit_records_todays_check_in_from_its_home_page(live_server, phone_page):
    post = PostFactory(host_unit__county=region("440104"), title="图书馆阅读推广员")
    host = staff(Role.HOST, host_unit=post.host_unit, username="yx_library")
    student = StudentFactory(hometown=post.host_unit.county, name="李小明")
    application = services.application_submit(actor=None, student=student, post=post)
    services.application_offer(actor=None, application=application)
    placement = services.offer_confirm(actor=None, application=application)
    first_day = datetime.datetime.combine(post.starts_on, datetime.time(1), tzinfo=datetime.UTC)

    with time_machine.travel(first_day, tick=True):
        page = phone_page()
        _login(page, live_server.url, student.user.username)
        step = page.locator("#next-step")
        expect(step).to_contain_text("报到")
        expect(step.get_by_role("button", name="报到")).to_be_visible()

        page = phone_page()
        _login(page, live_server.url, host.username)
        checkin = page.locator("#todo-checkin")
        expect(checkin).to_contain_text("李小明")
        expect(checkin.locator("[data-checkin-code]")).to_have_text(placement.checkin_code)
        assert no_horizontal_scroll(page)

        checkin.get_by_role("button", name="登记报到").click()
        page.wait_for_load_state()
        expect(page.locator("#todo-list")).to_be_visible()
        expect(page.locator("#todo-checkin")).to_have_count(0)
        expect(page.get_by_text("已保存。")).to_be_visible()
    placement.refresh_from_db()
    assert placement.status == "reported"
