"""The whole programme, in a real browser, only by clicking and typing.

越秀区团委 publishes a post; a student registers on a phone and applies to it; the county runs
the matching (人岗匹配) and publishes it; the student confirms, reports with the host unit's
报到码 and keeps a practice log; the host unit confirms the hours and the county evaluates
jointly (期满鉴定); the student opens the certificate and a visitor verifies it at /verify/;
中山大学 downloads its credit export with the student in it; 团省委 drills down its dashboard
from the province to the city to the county.

Each person has their own browser context: staff on an office screen (1366×768), the student
and the visitor on a phone (390×844). page.goto opens only each person's first page; every
other page is reached by a click. Every page seen shows no English and logs no console error
(the fixtures fail the test on one). Locators are ids, URLs and data attributes rather than
button texts, which may be reworded.
"""

import datetime
import re

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Role
from dashboards.services import stats_refresh_all
from positions.models import Post, Region
from students.models import Application, Placement, PracticeLog, Student, University
from tests.browser.checks import assert_chinese_only
from tests.browser.test_registration_university import pick_university
from tests.browser.test_student_journey import (
    HOST_PASSWORD,
    STAFF_PASSWORD,
    UNIT,
    log_in,
    no_horizontal_scroll,
    world,
)
from tests.factories import PASSWORD, staff, valid_id_number

TITLE = "社区图书角管理员"
STUDENT_PASSWORD = "Zhongda-Fanjiaxiang-2027"
ID_NUMBER = valid_id_number(7)
NAME = "林晓雯"
STUDENT_NUMBER = "23300077"
SCREENSHOTS = settings.BASE_DIR / "var" / "screenshots"  # not committed


def seen(page) -> None:
    """What every page in the journey must be: Chinese only."""
    page.wait_for_load_state()
    assert_chinese_only(page)


def succeeded(page) -> None:
    """The step's success message shows (beside any notice that mail waits for its broker)."""
    expect(page.locator("[role=alert].alert-success")).to_be_visible()


def button(page, action: str):
    """The submit button of the form that posts to `action`."""
    return page.locator(f"form[action='{action}'] [type=submit]")


def follow(page, path: str) -> None:
    """Click the visible link to `path`, opening the collapsed menu first on a phone."""
    link = page.locator(f"a[href='{path}']:visible").first
    if not link.count():
        page.locator(
            "[data-bs-toggle='collapse']:visible, [data-bs-toggle='offcanvas']:visible"
        ).first.click()
        expect(link).to_be_visible()
        expect(page.locator(".collapsing")).to_have_count(0)  # the menu has finished opening
    link.click()
    page.wait_for_load_state()
    seen(page)


def register(page, university: str) -> None:
    """Fill in the registration form, the fields it has (its list is being shortened)."""
    values = {
        "#id_username": "xiaowen",
        "#id_password": STUDENT_PASSWORD,
        "#id_password2": STUDENT_PASSWORD,
        "#id_name": NAME,
        "#id_id_number": ID_NUMBER,
        "#id_phone": "13900139077",
        "#id_email": "xiaowen@mail2.sysu.edu.cn",
        "#id_student_number": STUDENT_NUMBER,
        "#id_college": "信息管理学院",
        "#id_major": "图书馆学",
        "#id_grade": "2023",
        "#id_graduation_year": "2027",
    }
    for selector, value in values.items():
        if page.locator(selector).count():
            page.fill(selector, value)
    for selector, value in (("#id_degree", "bachelor"), ("#id_politics", "league_member")):
        if page.locator(selector).count():
            page.select_option(selector, value)
    pick_university(page, "中山", university)
    page.select_option("#id_hometown_province", "440000")
    expect(page.locator("#id_hometown_city option[value='440100']")).to_have_count(1)
    page.select_option("#id_hometown_city", "440100")
    expect(page.locator("#id_hometown option[value='440104']")).to_have_count(1)
    page.select_option("#id_hometown", "440104")
    page.check("#id_consent")
    assert no_horizontal_scroll(page), "the registration page scrolls sideways on a phone"
    page.locator("form:has(#id_username) [type=submit]").click()


def complete_profile(page) -> None:
    """What registration left for later and an application waits for, on the profile page."""
    page.fill("#id_email", "xiaowen@mail2.sysu.edu.cn")
    page.fill("#id_college", "信息管理学院")
    page.select_option("#id_degree", "bachelor")
    page.fill("#id_graduation_year", "2027")
    page.select_option("#id_politics", "league_member")
    page.locator("form:has(#id_college) [type=submit]").click()


def open_applicants(page, post: Post) -> None:
    """Staff: 岗位管理 → the post → its applicants and placements."""
    follow(page, reverse("positions:post_list"))
    follow(page, reverse("positions:post_detail", args=[post.pk]))
    follow(page, reverse("students:post_applicants", args=[post.pk]))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_whole_programme_by_clicking_from_a_new_post_to_credits_and_the_dashboard(
    live_server, phone_page, office_page, tmp_path
):
    world()  # 越秀区团委, 越秀区图书馆 with its account, 中山大学, a summer open today
    today = timezone.localdate()
    summer = Post.objects.first().season
    province = staff(Role.PROVINCE, region=Region.objects.get(code="440000"), username="gd")
    university = University.objects.get(name="中山大学")
    sysu = staff(Role.UNIVERSITY, university=university, username="sysu")
    url = live_server.url

    # 1. 越秀区团委 creates the post (from yesterday but one to today) and publishes it.
    county = office_page()
    county.on("dialog", lambda dialog: dialog.accept())
    log_in(county, url, "yuexiu", STAFF_PASSWORD, reverse("home"))
    seen(county)
    follow(county, reverse("positions:post_list"))
    follow(county, reverse("positions:post_create"))
    county.select_option("#id_host_unit", label=UNIT)
    county.select_option("#id_season", str(summer.pk))
    county.fill("#id_title", TITLE)
    county.select_option("#id_category", "community")
    county.fill("#id_headcount", "1")
    county.fill("#id_description", "在社区图书角整理图书、组织亲子阅读。")
    county.fill("#id_duties", "图书上架、借还登记、活动签到。")
    county.fill("#id_place", "广州市越秀区北京街")
    county.fill("#id_starts_on", (today - datetime.timedelta(days=2)).isoformat())
    county.fill("#id_ends_on", today.isoformat())
    county.fill("#id_hours", "周一至周五 9:00-17:00")
    county.fill("#id_contact_name", "陈老师")
    county.fill("#id_contact_phone", "13800138000")
    county.locator("form:has(#id_title) [type=submit]").click()
    expect(county).to_have_url(re.compile(r"/manage/posts/\d+/$"))
    seen(county)
    post = Post.objects.get(title=TITLE)
    button(county, reverse("positions:post_publish", args=[post.pk])).click()
    succeeded(county)
    seen(county)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED

    # 2. A student registers on a phone, finds the post among the hometown's and applies.
    student = phone_page()
    student.goto(f"{url}{reverse('home')}")
    seen(student)
    follow(student, reverse("students:register"))
    register(student, "中山大学")
    expect(student).to_have_url(f"{url}{reverse('students:me')}")
    seen(student)
    # The short form leaves the rest of the profile for later; the page leads there first.
    student.locator("#profile-missing a").click()
    expect(student).to_have_url(re.compile(reverse("students:profile")))
    complete_profile(student)
    expect(student).to_have_url(f"{url}{reverse('students:me')}")
    expect(student.locator("#profile-missing")).to_have_count(0)
    seen(student)
    student.locator("main a[href^='/posts/?']").first.click()  # the hometown's posts
    card = student.locator("#results a", has_text=TITLE)
    expect(card).to_be_visible()
    seen(student)
    card.click()
    expect(student).to_have_url(f"{url}{reverse('positions:public_detail', args=[post.pk])}")
    seen(student)
    student.fill("#id_statement", "我学图书馆学，想为家乡的社区读者服务。")
    assert no_horizontal_scroll(student), "the post page scrolls sideways on a phone"
    button(student, reverse("students:apply", args=[post.pk])).click()
    expect(student).to_have_url(f"{url}{reverse('students:me')}")
    seen(student)
    application = Application.objects.get(post=post, student__name=NAME)

    # 3. The county runs the matching round, looks at the preview and publishes it.
    follow(county, reverse("students:matching"))
    button(county, reverse("students:matching_run")).click()
    publish = county.locator("form[action$='/publish/'][action^='/manage/matching/'] button")
    expect(publish).to_be_visible()
    expect(county.locator("main")).to_contain_text(NAME)
    seen(county)
    publish.click()
    succeeded(county)
    seen(county)
    application.refresh_from_db()
    assert application.status == Application.Status.OFFERED

    # 4. The student gives an emergency contact (issue 18) and confirms the offer.
    follow(student, reverse("students:me"))
    student.locator(f"#application-{application.pk} a[href^='/me/emergency-contact/']").click()
    student.fill("#id_name", "王秀英")
    student.select_option("#id_relation", "mother")
    student.fill("#id_phone", "13800138001")
    student.locator("main form[method=post] [type=submit]").click()
    succeeded(student)
    seen(student)
    button(student, reverse("students:confirm", args=[application.pk])).click()
    succeeded(student)
    seen(student)
    placement = Placement.objects.get(application=application)

    # 5. The host unit shows its 报到码; the student types it in and reports.
    host = office_page()
    log_in(host, url, "yuexiu_host", HOST_PASSWORD, reverse("home"))
    seen(host)
    open_applicants(host, post)
    expect(host.locator("main")).to_contain_text(placement.checkin_code)
    student.fill(
        f"form[action='{reverse('students:checkin', args=[placement.pk])}'] input[name=code]",
        placement.checkin_code,
    )
    button(student, reverse("students:checkin", args=[placement.pk])).click()
    succeeded(student)
    seen(student)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.REPORTED

    # 6. A practice log for yesterday.
    log_form = student.locator(f"form[action='{reverse('students:log_add', args=[placement.pk])}']")
    log_form.locator("input[name=day]").fill((today - datetime.timedelta(days=1)).isoformat())
    log_form.locator("input[name=hours]").fill("6")
    log_form.locator("textarea[name=content]").fill("整理社区图书角的童书")
    log_form.locator("[type=submit]").click()
    succeeded(student)
    expect(student.locator("main")).to_contain_text("整理社区图书角的童书")
    seen(student)
    log = PracticeLog.objects.get(placement=placement)

    # 7. The joint evaluation: the host unit confirms the hours, the county evaluates.
    open_applicants(host, post)
    button(host, reverse("students:log_confirm", args=[log.pk])).click()
    succeeded(host)
    seen(host)
    open_applicants(county, post)
    evaluation = county.locator(
        f"form[action='{reverse('students:placement_evaluate', args=[placement.pk])}']"
    )
    evaluation.locator("select[name=rating]").select_option("excellent")
    evaluation.locator("input[name=comment]").fill("认真负责，读者好评。")
    evaluation.locator("[type=submit]").click()
    succeeded(county)
    seen(county)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.COMPLETED
    assert placement.hours == 6 and placement.certificate_code

    # 8. The student opens the certificate; a visitor verifies its code.
    follow(student, reverse("students:me"))
    follow(student, reverse("students:certificate", args=[placement.pk]))
    expect(student.locator("main")).to_contain_text(placement.certificate_code)
    expect(student.locator("main")).to_contain_text(TITLE)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    student.screenshot(path=str(SCREENSHOTS / "journey_certificate_phone.png"), full_page=True)
    visitor = phone_page()
    visitor.goto(f"{url}{reverse('students:verify')}")
    seen(visitor)
    visitor.fill("main input[name=code]", placement.certificate_code)
    visitor.locator("main form [type=submit]").click()
    expect(visitor.locator("main")).to_contain_text(f"{NAME}（中山大学）")
    seen(visitor)

    # 9. 中山大学 downloads its credit export: the student is in it.
    school = office_page()
    log_in(school, url, sysu.username, PASSWORD, reverse("home"))
    seen(school)
    follow(school, reverse("students:credits"))
    expect(school.locator("main table")).to_contain_text(NAME)
    export = school.locator(
        f"a[href^='{reverse('students:credits_export')}']:not([href*='format=csv'])"
    )
    with school.expect_download() as download:
        export.click()
    workbook = tmp_path / "credits.xlsx"
    download.value.save_as(workbook)
    rows = openpyxl.load_workbook(workbook, read_only=True).active.iter_rows(values_only=True)
    cells = {str(cell) for row in rows for cell in row if cell is not None}
    assert {STUDENT_NUMBER, NAME, placement.certificate_code} <= cells

    # 10. 团省委 drills down its dashboard: 广东省 → 广州市 → 越秀区 (the figures are the
    # recount Celery beat makes every ten minutes).
    stats_refresh_all()
    board = office_page()
    log_in(board, url, province.username, PASSWORD, reverse("home"))
    seen(board)
    board.locator(f"a[href='{reverse('dashboards:home')}']:visible").first.click()
    expect(board).to_have_url(re.compile(r"/dashboard/440000/"))
    seen(board)
    for code in ("440100", "440104"):
        board.locator(
            f"#units-table a[href^='{reverse('dashboards:region', args=[code])}']"
        ).click()
        expect(board).to_have_url(re.compile(rf"/dashboard/{code}/"))
        seen(board)
    expect(board.get_by_role("heading", level=1)).to_contain_text("越秀区")
    expect(board.locator("[data-figure=completed]")).to_have_text("1")
    board.screenshot(path=str(SCREENSHOTS / "journey_county_dashboard.png"), full_page=True)

    student_row = Student.objects.get(name=NAME)
    assert student_row.university == university and student_row.hometown.code == "440104"
