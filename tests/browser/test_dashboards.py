"""The provincial dashboard on a phone: charts drawn by the portal's own ECharts, no sideways
scrolling, and a tap on a city opens that city's dashboard."""

import re

import pytest
from playwright.sync_api import expect

from tests.dashboards.conftest import EXPECTED, build_board
from tests.factories import PASSWORD


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_province_staff_read_the_dashboard_and_drill_down_on_a_phone(live_server, phone_page):
    board = build_board()
    url = live_server.url
    page = phone_page()
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", board.province_staff.username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}/")

    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("link", name="数据看板", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/440000/"))
    page.select_option("select[name=year]", str(board.year))
    page.get_by_role("button", name="查看", exact=True).click()

    expected = EXPECTED["province_all"]
    expect(page.locator("[data-figure=posts]")).to_have_text(str(expected["posts"]))
    expect(page.locator("[data-figure=credited]")).to_have_text(str(expected["credited"]))
    # ECharts (served from /static/vendor/echarts/) drew both charts on canvases.
    expect(page.locator("#funnel-chart canvas")).to_have_count(1)
    expect(page.locator("#quota-chart canvas")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    page.locator("#units-table").get_by_role("link", name="广州市").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("广州市数据看板")
    yuexiu = page.locator("#units-table tr[data-unit='440104'] td")
    expect(yuexiu.nth(1)).to_have_text(str(EXPECTED["yuexiu_all"]["posts"]))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
