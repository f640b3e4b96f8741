"""On a phone: the province sees an overdue county in the calendar matrix and grants it an
extension; the county sees the unread count in the navigation and its new date."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from positions.models import Region
from schedule.enforcement import enforce_calendar
from schedule.services import programme_year_create

PASSWORD = "Calendar-Browser-2026"


def _staff(username: str, role: str, code: str) -> User:
    user = User(
        username=username, name=f"{username}团委", role=role, region=Region.objects.get(code=code)
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _login(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_province_extends_an_overdue_county_and_the_county_sees_it_on_phone(
    live_server, phone_page
):
    from positions.regions import regions_load

    regions_load()
    today = timezone.localdate()
    # Last year's calendar: every deadline has passed, so an idle county is overdue.
    programme_year_create(province=Region.objects.get(code="440000"), year=today.year - 1)
    _staff("gd_province", "province", "440000")
    _staff("yuexiu", "county", "440104")
    enforce_calendar(day=today)
    url = live_server.url
    new_due = today + datetime.timedelta(days=10)

    page = phone_page()
    _login(page, url, "gd_province")
    page.goto(f"{url}/calendar/?year={today.year - 1}&city=440100")
    matrix = page.locator("#milestone-matrix")
    row = matrix.locator("tr", has=page.get_by_role("cell", name="越秀区", exact=True))
    expect(row).to_contain_text("已逾期")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    row.get_by_role("link", name="延期").nth(1).click()  # the second column: 入驻平台
    expect(page.get_by_role("heading", level=1)).to_contain_text("越秀区")
    page.fill("#id_new_due", new_due.isoformat())
    page.fill("#id_reason", "   ")  # passes the browser's check, not the server's
    page.get_by_role("button", name="批准延期").click()
    expect(page.locator("#id_reason")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_new_due")).to_have_value(new_due.isoformat())
    page.fill("#id_reason", "县团委换届，延期入驻")
    page.get_by_role("button", name="批准延期").click()
    expect(page.get_by_role("alert")).to_contain_text("已批准延期")

    county = phone_page()
    _login(county, url, "yuexiu")
    county.get_by_role("button", name="菜单").click()
    expect(county.get_by_role("link", name=re.compile(r"通知 \d+"))).to_be_visible()
    county.goto(f"{url}/calendar/?year={today.year - 1}")
    expect(county.locator("li", has_text="入驻平台")).to_contain_text("已延期至")
