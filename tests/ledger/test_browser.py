"""On a phone: 越秀区团委 fills its contact ledger from Excel and keeps it; 广州市 only reads it.

Through the real pages: county staff open 联系台账 from the collapsed menu, download the import
template, upload a file with a bad row (refused, naming the row and the column, nothing
written), upload the corrected file, check the preview and confirm; then record a contact.
City staff read the same ledger with phones masked and nothing to change.

Why a thread: the browser tests' session fixture (tests/browser/conftest.py) keeps a Playwright
event loop running in the main thread for the rest of the run, and Playwright refuses to start
a second one there. These tests live beside the ledger's other tests, so they start their own
Chromium in a thread of their own, where the same phone profile and CSP check apply.
"""

import datetime
import io
import re
import threading
import zipfile

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect, sync_playwright

from accounts.models import Role
from ledger.excel import XLSX_TYPE, headers
from ledger.models import ContactLog, Entry, ImportJob
from tests.browser import conftest as browser_tests
from tests.factories import PASSWORD, staff
from tests.ledger.xlsx_files import entry, person, phone, xlsx_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = {1: "陈思远", 2: "李嘉欣", 3: "王浩然"}
CONTACT_DAY = datetime.date(2026, 9, 18)

# The browser tests' rule for a missing Chromium: skipped on a developer machine, failed in CI.
chromium_path = browser_tests.chromium_path


@pytest.fixture
def county_staff(gd):
    return staff(Role.COUNTY, region=gd.yuexiu, username="yuexiu", name="越秀区团委")


@pytest.fixture
def city_staff(gd):
    return staff(Role.CITY, region=gd.guangzhou, username="gz_city", name="广州团市委")


@pytest.fixture
def in_browser(chromium_path):
    """Run `scenario(open_page)` in a thread with its own Playwright and Chromium; re-raise
    whatever it raised here. `open_page()` opens a page in a fresh phone-sized context (its own
    cookies); anything the Content Security Policy blocked fails the test."""

    def run(scenario) -> None:
        failure = []

        def target() -> None:
            try:
                with sync_playwright() as playwright:
                    browser = playwright.chromium.launch(
                        executable_path=chromium_path,
                        headless=True,
                        args=browser_tests.CHROMIUM_ARGS,
                    )
                    blocked = []
                    try:
                        scenario(lambda: _phone_page(browser, blocked))
                    finally:
                        browser.close()
                    assert not blocked, blocked
            except BaseException as error:  # noqa: BLE001 - handed to the test's thread
                failure.append(error)

        thread = threading.Thread(target=target, name="ledger-browser")
        thread.start()
        thread.join()
        if failure:
            raise failure[0]

    return run


def _phone_page(browser, blocked: list):
    context = browser.new_context(**browser_tests.PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and blocked.append(message.text),
    )
    return page


def log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}/")


def open_ledger_from_menu(page, url: str) -> None:
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))  # fully open
    page.get_by_role("link", name="台账人员", exact=True).click()
    expect(page).to_have_url(f"{url}/ledger/")


def upload(page, content: bytes) -> None:
    page.set_input_files(
        "#id_file", files=[{"name": "越秀区台账.xlsx", "mimeType": XLSX_TYPE, "buffer": content}]
    )
    page.get_by_role("button", name="上传并检查", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ledger/import/\d+/$"))


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def row(n: int, name: str, **cells) -> dict:
    """Person n of 越秀区 as a row of the file, never contacted yet."""
    return person(n, name=name, last_contact=None, **cells)


def test_county_staff_import_the_ledger_from_excel_on_a_phone(
    live_server, in_browser, county_staff
):
    good = [row(n, name) for n, name in NAMES.items()]
    with_bad_phone = [*good, row(4, "赵一鸣", phone="12345")]

    def scenario(open_page) -> None:
        url = live_server.url
        page = open_page()
        log_in(page, url, "yuexiu")
        open_ledger_from_menu(page, url)
        expect(page.locator("#ledger-table")).to_contain_text("没有符合条件的人员")
        page.get_by_role("link", name="Excel 导入", exact=True).click()

        with page.expect_download() as download_info:
            page.get_by_role("link", name="下载导入模板", exact=True).click()
        download = download_info.value
        assert download.suggested_filename == "联系台账导入模板.xlsx"
        template = io.BytesIO(download.path().read_bytes())
        assert zipfile.is_zipfile(template)
        sheet = load_workbook(template).worksheets[0]
        assert [cell.value for cell in sheet[1]] == headers()

        # One bad phone: the whole file is refused, naming row 5 (the header is row 1).
        upload(page, xlsx_bytes(with_bad_phone))
        errors = page.locator("#import-errors tbody tr")
        expect(errors).to_have_count(1)
        expect(errors.locator("td")).to_have_text(["5", "手机号", re.compile("12345")])
        expect(page.locator("#import-preview")).to_have_count(0)
        expect(page.get_by_role("button", name="确认导入")).to_have_count(0)
        assert no_horizontal_scroll(page), "the import errors scroll sideways on a phone"
        page.get_by_role("link", name="返回台账", exact=True).click()
        expect(page.locator("#ledger-table")).to_contain_text("没有符合条件的人员")

        # The corrected file: a preview of three new people, written only once confirmed.
        page.get_by_role("link", name="Excel 导入", exact=True).click()
        upload(page, xlsx_bytes(good))
        preview = page.locator("#import-preview tbody tr")
        expect(preview).to_have_count(3)
        for index, (n, name) in enumerate(NAMES.items()):
            cells = preview.nth(index).locator("td")
            expect(cells.nth(0)).to_have_text(str(index + 2))  # the file's row number
            expect(cells.nth(1)).to_have_text("新增")
            expect(cells.nth(2)).to_have_text(name)
            expect(preview.nth(index)).not_to_contain_text(phone(n))
        assert no_horizontal_scroll(page), "the import preview scrolls sideways on a phone"
        page.get_by_role("button", name="确认导入", exact=True).click()
        expect(page.locator("#import-status")).to_contain_text("已导入")
        expect(page.get_by_role("alert")).to_contain_text("新增 3 人")

        page.get_by_role("link", name="返回台账", exact=True).click()
        table = page.locator("#ledger-table tbody tr")
        expect(table).to_have_count(3)
        for name in NAMES.values():
            expect(page.locator("#ledger-table").get_by_role("link", name=name)).to_be_visible()
        assert no_horizontal_scroll(page), "the ledger list scrolls sideways on a phone"

    in_browser(scenario)

    assert sorted(ImportJob.objects.values_list("status", flat=True)) == ["done", "invalid"]
    assert sorted(Entry.objects.values_list("name", flat=True)) == sorted(NAMES.values())


def test_county_staff_record_a_contact_and_city_staff_read_the_ledger_masked(
    live_server, in_browser, gd, county_staff, city_staff
):
    person_1 = entry(gd.yuexiu, 1, name=NAMES[1])
    entry(gd.yuexiu, 2, name=NAMES[2])
    full_phone = phone(1)
    masked_phone = f"{full_phone[:3]}****{full_phone[-4:]}"

    def scenario(open_page) -> None:
        url = live_server.url
        county = open_page()
        log_in(county, url, "yuexiu")
        open_ledger_from_menu(county, url)
        expect(county.get_by_role("link", name="登记人员")).to_be_visible()
        county.locator("#ledger-table").get_by_role("link", name=NAMES[1]).click()
        expect(county).to_have_url(f"{url}/ledger/{person_1.pk}/")
        last_contact = county.locator("#entry-fields dt:has-text('最近联系') + dd")
        expect(last_contact).to_have_text("—")
        expect(county.get_by_role("link", name="修改")).to_be_visible()

        county.fill("#id_date", CONTACT_DAY.isoformat())
        county.select_option("#id_method", "phone")
        county.fill("#id_content", "电话了解返乡意向，寒假回越秀。")
        county.get_by_role("button", name="记录联系", exact=True).click()
        expect(county.get_by_role("alert")).to_contain_text("已记录联系")
        expect(last_contact).to_have_text(CONTACT_DAY.isoformat())
        expect(county.locator("#contact-log")).to_contain_text("电话了解返乡意向")
        assert no_horizontal_scroll(county), "the ledger entry scrolls sideways on a phone"

        city = open_page()
        log_in(city, url, "gz_city")
        open_ledger_from_menu(city, url)
        expect(city.locator("#ledger-table tbody tr")).to_have_count(2)
        expect(city.get_by_role("link", name="登记人员")).to_have_count(0)
        expect(city.get_by_role("link", name="Excel 导入")).to_have_count(0)
        city.locator("#ledger-table").get_by_role("link", name=NAMES[1]).click()
        expect(city).to_have_url(f"{url}/ledger/{person_1.pk}/")
        fields = city.locator("#entry-fields")
        expect(fields).to_contain_text(masked_phone)
        expect(fields).not_to_contain_text(full_phone)
        expect(city.locator(f"a[href='tel:{full_phone}']")).to_have_count(0)
        expect(city.get_by_role("link", name="修改")).to_have_count(0)
        expect(city.get_by_role("button", name="删除")).to_have_count(0)
        expect(city.get_by_role("button", name="记录联系")).to_have_count(0)
        expect(city.locator("#entry-fields dt:has-text('最近联系') + dd")).to_have_text(
            CONTACT_DAY.isoformat()
        )
        expect(city.locator("#contact-log")).to_contain_text("电话了解返乡意向")
        assert no_horizontal_scroll(city), "the read-only entry scrolls sideways on a phone"

    in_browser(scenario)

    person_1.refresh_from_db()
    assert person_1.last_contact == CONTACT_DAY
    assert ContactLog.objects.get().by == county_staff
