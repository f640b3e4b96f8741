"""On a phone: 越秀区 writes a 简讯, saves it as a draft and submits it (confirming the dialog);
团省委 sees it waiting and marks it 采用 at the office. The typical-case form counts 字 as they
are typed, the way the server counts them (issue 17)."""

import pytest
from playwright.sync_api import expect

from accounts.models import Role
from reports.models import Report
from schedule.services import programme_year_create
from tests.factories import region, staff

from .test_home_todo_list import _login, no_horizontal_scroll


@pytest.fixture
def guangdong(db):
    province = region("440000")
    year = programme_year_create(province=province, year=2030)
    return province, year


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_county_submits_a_newsflash_and_the_province_adopts_it(
    live_server, phone_page, office_page, guangdong
):
    province, _year = guangdong
    county = staff(Role.COUNTY, region=region("440104"), username="yx_reports")
    officer = staff(Role.PROVINCE, region=province, username="gd_reports")

    page = phone_page()
    _login(page, live_server.url, county.username)
    page.goto(f"{live_server.url}/reports/new/")
    page.get_by_label("简讯").check()
    page.fill("#id_title", "越秀区举办就业交流会")
    page.fill("#id_body", "8月20日，30余名返乡大学生与12家企业面对面交流。")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("h1")).to_have_text("越秀区举办就业交流会")
    assert no_horizontal_scroll(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="上报", exact=True).click()
    expect(page.locator("body")).to_contain_text("已上报")
    assert Report.objects.get().status == "submitted"

    page = office_page()
    _login(page, live_server.url, officer.username)
    page.get_by_role("link", name="阅处简报").click()
    page.get_by_role("link", name="越秀区举办就业交流会").click()
    page.get_by_label("采用（拟编入简报）").check()
    page.fill("#id_comment", "拟编入全省简报")
    page.get_by_role("button", name="保存阅处").click()
    expect(page.locator("#province-mark")).to_contain_text("采用")
    assert Report.objects.get().province_mark == "adopted"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_case_form_counts_characters_as_they_are_typed(live_server, phone_page, guangdong):
    county = staff(Role.COUNTY, region=region("440104"), username="yx_cases")
    page = phone_page()
    _login(page, live_server.url, county.username)
    page.goto(f"{live_server.url}/summary/cases/new/?year=2030")
    count = page.locator("[data-count-for]")
    expect(count).to_have_text("已写 0 字，要求 800—1500 字")
    page.fill("#id_body", "返家乡 社会实践\n\n成效")
    expect(count).to_have_text("已写 9 字，要求 800—1500 字")
    page.fill("#id_body", "字" * 800)
    expect(count).to_have_class("form-text text-success")
    assert no_horizontal_scroll(page)
