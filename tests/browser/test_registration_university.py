"""On a phone: a student of 北京大学 from 越秀区 registers, choosing the university by typing its
pinyin initials into the type-ahead and picking it with the keyboard (issue 15)."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from positions.regions import regions_load
from students.models import Student
from students.register import universities_load
from tests.factories import valid_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Beida-Fanjiaxiang-2027"
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"


def pick_university(page, typed: str, name: str, screenshot: str = "") -> None:
    """Type into 就读高校, then choose `name` from the list with the arrow keys and Enter."""
    control = page.get_by_role("combobox", name="就读高校")
    control.click()
    control.press_sequentially(typed, delay=30)
    dropdown = page.locator(".ts-dropdown")
    expect(dropdown.locator(".option", has_text=name).first).to_be_visible()
    if screenshot:  # the list as the student sees it (var/screenshots, not committed)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / screenshot))
    for _ in range(15):
        if dropdown.locator(".option.active").first.inner_text().split("\n")[0] == name:
            break
        control.press("ArrowDown")
    control.press("Enter")
    expect(page.locator(".ts-control .item")).to_have_text(name)


def test_a_peking_university_student_registers_for_yuexiu_on_a_phone(live_server, phone_page):
    regions_load()
    universities_load()
    page = phone_page()
    page.goto(f"{live_server.url}/register/")
    assert page.locator("#id_university option").count() == 0  # the register is not in the page
    page.fill("#id_username", "beida2024")
    page.fill("#id_password", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.fill("#id_name", "王北大")
    page.fill("#id_id_number", valid_id_number(7))
    page.fill("#id_phone", "13900139007")
    pick_university(page, "bjdx", "北京大学", screenshot="register_university_phone.png")
    page.fill("#id_student_number", "2400012345")
    page.fill("#id_major", "物理学")
    page.fill("#id_grade", "2024")
    page.select_option("#id_hometown_province", label="广东省")
    expect(page.locator("#id_hometown_city option", has_text="广州市")).to_have_count(1)
    page.select_option("#id_hometown_city", label="广州市")
    expect(page.locator("#id_hometown option", has_text="越秀区")).to_have_count(1)
    page.select_option("#id_hometown", label="越秀区")
    page.check("#id_consent")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="注册", exact=True).click()

    expect(page).to_have_url(f"{live_server.url}/me/")
    expect(page.locator("main")).to_contain_text("北京大学")
    student = Student.objects.get(user__username="beida2024")
    assert (student.university.name, student.hometown.name) == ("北京大学", "越秀区")


def test_the_type_ahead_on_a_desktop_screen(live_server, chromium):
    regions_load()
    universities_load()
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server.url}/register/")
    pick_university(page, "武汉", "武汉大学", screenshot="register_university_desktop.png")
    expect(page.locator("#id_university")).to_have_value("武汉大学")
    context.close()
