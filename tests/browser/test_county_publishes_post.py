"""On a phone: 越秀区团委 registers a host unit and publishes a post; a visitor finds it.

The whole path a county's staff and a student take, through the real pages, htmx included:
log in, register a host unit (fixing a wrong phone number on the way), create a post, publish
it, log out, then search by province → city → county as an anonymous visitor and open the post.
"""

import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from positions.models import Region
from positions.regions import regions_load
from schedule.services import programme_year_create

PASSWORD = "Yuexiu-Tuanwei-2025"
UNIT = "广州越秀智慧农业科技有限公司"
UNIT_PHONE = "13900139000"
TITLE = "乡村振兴调研助理"
POST_PHONE = "13800138000"
SCREENSHOT = settings.BASE_DIR / "var" / "screenshots" / "public_post_phone.png"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_county_publishes_post_and_visitor_finds_it_on_phone(live_server, phone_page):
    regions_load()
    year = timezone.localdate().year + 1  # its summer (7/1–8/31) is still ahead
    programme_year_create(province=Region.objects.get(code="440000"), year=year)
    staff = User(
        username="yuexiu",
        name="越秀区团委",
        role="county",
        region=Region.objects.get(code="440104"),
    )
    staff.set_password(PASSWORD)
    staff.save()
    url = live_server.url
    page = phone_page()

    # Log in.
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "yuexiu")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}/")

    # Register a host unit; a wrong phone number is refused and nothing typed is lost.
    page.goto(f"{url}/manage/host-units/new/")
    page.select_option("#id_kind", "enterprise")
    page.fill("#id_name", UNIT)
    page.fill("#id_credit_code", "9144030071526726XG")
    page.fill("#id_address", "广州市越秀区解放北路 1 号")
    page.fill("#id_contact_name", "王经理")
    page.fill("#id_contact_phone", "12345")
    page.fill("#id_description", "从事智慧农业技术服务的企业。")
    page.get_by_role("button", name="保存", exact=True).click()

    phone_field = page.locator("div.mb-3", has=page.locator("#id_contact_phone"))
    expect(phone_field.locator(".invalid-feedback")).to_contain_text(re.compile("电话|手机"))
    expect(page.locator("#id_contact_phone")).to_have_class(re.compile("is-invalid"))
    expect(page.locator("#id_name")).to_have_value(UNIT)
    expect(page.locator("#id_kind")).to_have_value("enterprise")
    expect(page.locator("#id_description")).to_have_value("从事智慧农业技术服务的企业。")

    page.fill("#id_contact_phone", UNIT_PHONE)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page).to_have_url(re.compile(r"/manage/host-units/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text(f"已登记用人单位：{UNIT}")

    # Create the post for this year's summer season; it is saved as a draft.
    page.goto(f"{url}/manage/posts/new/")
    page.select_option("#id_host_unit", label=UNIT)
    summer = page.locator("#id_season option", has_text="暑假")
    expect(summer).to_have_count(1)
    page.select_option("#id_season", summer.get_attribute("value"))
    page.fill("#id_title", TITLE)
    page.select_option("#id_category", "rural")
    page.fill("#id_headcount", "3")
    page.fill("#id_description", "走访越秀区周边的农业合作社，整理调研资料。")
    page.fill("#id_duties", "协助问卷调查、访谈记录和数据整理。")
    page.fill("#id_place", "广州市越秀区解放北路 1 号")
    page.fill("#id_starts_on", f"{year}-07-06")
    page.fill("#id_ends_on", f"{year}-08-14")
    page.fill("#id_hours", "周一至周五 9:00-17:30")
    page.fill("#id_contact_name", "李老师")
    page.fill("#id_contact_phone", POST_PHONE)
    page.get_by_role("button", name="保存", exact=True).click()

    expect(page).to_have_url(re.compile(r"/manage/posts/\d+/$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(TITLE)
    expect(heading).to_contain_text("草稿")

    page.get_by_role("button", name="发布", exact=True).click()
    expect(heading).to_contain_text("已发布")
    expect(page.get_by_role("alert")).to_contain_text("岗位已发布")

    # Log out through the collapsed phone menu.
    # Wait until the menu has finished opening: a click during Bootstrap's collapse
    # transition can land on nothing when the machine is busy.
    page.get_by_role("button", name="菜单").click()
    expect(page.locator("#nav")).to_have_class(re.compile(r"\bshow\b"))
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page).to_have_url(f"{url}/")
    page.get_by_role("button", name="菜单").click()
    expect(page.get_by_role("link", name="登录", exact=True)).to_be_visible()

    # As a visitor: province → city → county, the lower selects filled by htmx.
    page.goto(f"{url}/posts/")
    page.select_option("#id_province", label="广东省")
    expect(page.locator("#id_city option", has_text="广州市")).to_have_count(1)
    page.select_option("#id_city", label="广州市")
    expect(page.locator("#id_county option", has_text="越秀区")).to_have_count(1)
    page.select_option("#id_county", label="越秀区")
    page.get_by_role("button", name="查询", exact=True).click()

    result = page.locator("#results a.post-card", has_text=TITLE)
    expect(result).to_be_visible()
    expect(result).to_contain_text(UNIT)
    assert no_horizontal_scroll(page), "the search page scrolls sideways on a phone"
    result.click()

    expect(page).to_have_url(re.compile(r"/posts/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    main = page.locator("main")
    expect(main).to_contain_text(UNIT)
    expect(main).to_contain_text("138****8000")
    expect(main).not_to_contain_text(POST_PHONE)
    expect(main).not_to_contain_text(UNIT_PHONE)
    assert no_horizontal_scroll(page), "the post page scrolls sideways on a phone"

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
