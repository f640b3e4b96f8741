"""On a phone: a student registers, applies, is selected, reports, is evaluated and verified.

The whole student journey through the real pages, each person in their own browser context:
the student registers (hometown chosen through the htmx cascade) and ranks two posts; the host
unit ranks the student; 越秀区团委 offers the place; the student confirms (the other choice is
withdrawn) and reports with the code the host unit shows; the host unit confirms the practice
hours and evaluates; the student opens the certificate and a stranger verifies its code.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from positions.models import Post, Region
from positions.regions import regions_load
from positions.services import host_unit_create, post_create, post_publish
from schedule.models import Season
from schedule.services import programme_year_create
from students.models import Application, Placement, Student, University
from tests.browser.test_registration_university import pick_university
from tests.factories import valid_id_number

STUDENT_PASSWORD = "Zhongda-Fanjiaxiang-2027"
STAFF_PASSWORD = "Yuexiu-Tuanwei-2025"
HOST_PASSWORD = "Yuexiu-Tushuguan-2025"
UNIT = "越秀区图书馆"
TITLE_A = "少儿阅览室志愿者"
TITLE_B = "古籍整理助理"
ID_NUMBER = valid_id_number(5)
SCREENSHOT = settings.BASE_DIR / "var" / "screenshots" / "certificate_phone.png"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def log_in(page, url: str, username: str, password: str, next_path: str) -> None:
    page.goto(f"{url}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}{next_path}")


def choice(page, title: str):
    """The student's 意向 on /me/ for the post with this title."""
    return page.locator(".list-group-item", has=page.get_by_role("link", name=title, exact=True))


def world():
    regions_load()
    province = Region.objects.get(code="440000")
    yuexiu = Region.objects.get(code="440104")
    # The practice runs from five days ago to today, so the student can report and keep a log
    # and the host unit can already evaluate (the services refuse both outside the dates).
    today = timezone.localdate()
    summer = programme_year_create(province=province, year=today.year).seasons.get(kind="summer")
    Season.objects.filter(pk=summer.pk).update(
        practice_starts=today - datetime.timedelta(days=30),
        practice_ends=today + datetime.timedelta(days=30),
    )
    summer.refresh_from_db()
    # Posts and selection still open: the calendar's locks would refuse them otherwise.
    summer.milestones.exclude(code="summer_practice").update(
        due=today + datetime.timedelta(days=20)
    )
    University.objects.create(name="中山大学", code="4144010558", province=province)

    county_staff = User(username="yuexiu", name="越秀区团委", role="county", region=yuexiu)
    county_staff.set_password(STAFF_PASSWORD)
    county_staff.save()

    unit = host_unit_create(
        actor=None,
        county=yuexiu,
        kind="institution",
        name=UNIT,
        contact_name="陈老师",
        contact_phone="13800138000",
    )
    host = User(username="yuexiu_host", name="陈老师", role="host", host_unit=unit)
    host.set_password(HOST_PASSWORD)
    host.save()

    posts = []
    for title, starts, ends in (
        (TITLE_A, today - datetime.timedelta(days=5), today),
        (TITLE_B, today - datetime.timedelta(days=3), today + datetime.timedelta(days=10)),
    ):
        post = post_create(
            host_unit=unit,
            season=summer,
            actor=county_staff,
            title=title,
            category=Post.Category.CULTURE,
            description="在越秀区图书馆参与读者服务。",
            duties="协助借阅、整理书架、组织阅读活动。",
            headcount=2,
            place="广州市越秀区文德路",
            starts_on=starts,
            ends_on=ends,
            hours="周二至周六 9:00-17:00",
            contact_name="陈老师",
            contact_phone="13800138000",
        )
        posts.append(post_publish(actor=None, post=post, today=timezone.localdate()))
    return posts


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_student_journey_from_registration_to_verified_certificate_on_phone(
    live_server, phone_page
):
    post_a, post_b = world()
    url = live_server.url
    applicants = f"/manage/posts/{post_a.pk}/applicants/"

    # 1. The student registers; the hometown comes from the province → city → county cascade.
    student = phone_page()
    student.goto(f"{url}/register/")
    student.fill("#id_username", "xiaoming")
    student.fill("#id_password", STUDENT_PASSWORD)
    student.fill("#id_password2", STUDENT_PASSWORD)
    student.fill("#id_name", "李小明")
    student.fill("#id_id_number", ID_NUMBER)
    student.fill("#id_phone", "13900139000")
    pick_university(student, "中山", "中山大学")
    student.fill("#id_student_number", "23300001")
    student.fill("#id_major", "图书馆学")
    student.fill("#id_grade", "2023")
    student.select_option("#id_hometown_province", label="广东省")
    expect(student.locator("#id_hometown_city option", has_text="广州市")).to_have_count(1)
    student.select_option("#id_hometown_city", label="广州市")
    expect(student.locator("#id_hometown option", has_text="越秀区")).to_have_count(1)
    student.select_option("#id_hometown", label="越秀区")
    student.check("#id_consent")
    assert no_horizontal_scroll(student), "the registration page scrolls sideways on a phone"
    student.get_by_role("button", name="注册", exact=True).click()

    expect(student).to_have_url(f"{url}/me/")
    expect(student.get_by_role("alert")).to_contain_text("注册成功")
    main = student.locator("main")
    expect(student.get_by_role("heading", level=1)).to_have_text("李小明")
    expect(main).to_contain_text(f"{ID_NUMBER[:4]}**********{ID_NUMBER[-4:]}")
    expect(main).to_contain_text("广州市越秀区")
    assert ID_NUMBER not in student.content(), "the full ID number reaches the page"
    registered = Student.objects.get(user__username="xiaoming")
    assert registered.hometown.code == "440104" and registered.university.name == "中山大学"

    # The short form left the rest of the profile for later: the page says what an application
    # waits for and leads to the profile.
    missing = student.locator("#profile-missing")
    expect(missing).to_contain_text("学院、学历层次、政治面貌")
    missing.get_by_role("link", name="去填写个人信息").click()
    student.fill("#id_email", "xiaoming@mail2.sysu.edu.cn")
    student.fill("#id_college", "信息管理学院")
    student.select_option("#id_degree", "bachelor")
    student.fill("#id_graduation_year", "2027")
    student.select_option("#id_politics", "league_member")
    student.get_by_role("button", name="保存", exact=True).click()
    expect(student).to_have_url(f"{url}/me/")
    expect(student.locator("#profile-missing")).to_have_count(0)

    # 2. Apply to A, then B: A is the first choice, B the second.
    for post, statement, rank in (
        (post_a, "我学图书馆学，想为家乡的小读者服务。", 1),
        (post_b, "对古籍修复和整理很感兴趣。", 2),
    ):
        student.goto(f"{url}/posts/{post.pk}/")
        expect(student.get_by_role("heading", level=1)).to_have_text(post.title)
        student.fill("textarea[name=statement]", statement)
        assert no_horizontal_scroll(student), "the post page scrolls sideways on a phone"
        student.get_by_role("button", name="报名这个岗位", exact=True).click()
        expect(student).to_have_url(f"{url}/me/")
        expect(student.get_by_role("alert")).to_contain_text(f"第 {rank} 意向")

    expect(choice(student, TITLE_A)).to_contain_text("第 1 意向")
    expect(choice(student, TITLE_B)).to_contain_text("第 2 意向")
    expect(choice(student, TITLE_A).get_by_role("button", name="上移")).to_have_count(0)

    # B moves up above A, then A moves back up.
    choice(student, TITLE_B).get_by_role("button", name="上移", exact=True).click()
    expect(student.get_by_role("alert")).to_contain_text("意向顺序已调整")
    expect(choice(student, TITLE_B)).to_contain_text("第 1 意向")
    expect(choice(student, TITLE_A)).to_contain_text("第 2 意向")
    choice(student, TITLE_A).get_by_role("button", name="上移", exact=True).click()
    expect(choice(student, TITLE_A)).to_contain_text("第 1 意向")
    expect(choice(student, TITLE_B)).to_contain_text("第 2 意向")
    assert no_horizontal_scroll(student), "/me/ scrolls sideways on a phone"

    # 3. The host unit ranks the student first for post A.
    host = phone_page()
    log_in(host, url, "yuexiu_host", HOST_PASSWORD, applicants)
    applicant = host.locator(".list-group-item", has_text="李小明")
    expect(applicant).to_contain_text("第 1 意向")
    expect(applicant).to_contain_text("未排序")
    expect(applicant).to_contain_text("139****9000")
    expect(applicant.get_by_role("button", name="录用")).to_have_count(0)  # the county decides
    applicant.get_by_role("spinbutton", name="排序").fill("1")
    applicant.get_by_role("button", name="保存排序", exact=True).click()
    expect(host.get_by_role("alert")).to_contain_text("已保存排序")
    expect(applicant).to_contain_text("排第 1")
    assert no_horizontal_scroll(host), "the applicants page scrolls sideways on a phone"

    # 4. 越秀区团委 offers the place.
    county = phone_page()
    log_in(county, url, "yuexiu", STAFF_PASSWORD, applicants)
    applicant = county.locator(".list-group-item", has_text="李小明")
    expect(applicant).to_contain_text("排第 1")
    applicant.get_by_role("button", name="录用", exact=True).click()
    expect(county.get_by_role("alert")).to_contain_text("已发出录用")
    expect(applicant).to_contain_text("待确认录用")

    # 5. The student, signed in again on a fresh page, confirms; choice B is withdrawn.
    student = phone_page()
    log_in(student, url, "xiaoming", STUDENT_PASSWORD, "/me/")
    expect(choice(student, TITLE_A)).to_contain_text("待确认录用")
    expect(student.locator("main")).to_contain_text(f"你被“{TITLE_A}”录用")  # the notice
    # Issue 18: confirming needs an emergency contact; the offer says so and links to its form.
    choice(student, TITLE_A).get_by_role("link", name="填写紧急联系人").click()
    student.get_by_label("紧急联系人姓名").fill("王秀英")
    student.get_by_label("与本人关系").select_option(label="母亲")
    student.get_by_label("紧急联系人电话").fill("13800138001")
    student.get_by_role("button", name="保存紧急联系人").click()
    expect(student.get_by_role("alert")).to_contain_text("紧急联系人已保存")
    choice(student, TITLE_A).get_by_role("button", name="确认录用", exact=True).click()
    expect(student.get_by_role("alert")).to_contain_text("已确认录用")
    placement_card = student.locator(".card", has_text=TITLE_A)
    expect(placement_card).to_contain_text("待报到")
    expect(choice(student, TITLE_A)).to_contain_text("已确认")
    expect(choice(student, TITLE_B)).to_contain_text("已撤回")
    expect(choice(student, TITLE_B)).not_to_contain_text("意向 ·")  # no rank once withdrawn

    # 6. The host unit shows the 报到码; the student types it in.
    host.reload()
    placement_row = host.locator(".list-group-item", has_text="待报到")
    expect(placement_row).to_contain_text("报到码")
    code = re.search(r"报到码\s*([0-9A-Z]{6})", placement_row.inner_text()).group(1)
    placement = Placement.objects.get(post=post_a)
    assert code == placement.checkin_code

    student.get_by_role("textbox", name="报到码").fill(code.lower())  # typed on a phone
    student.get_by_role("button", name="报到", exact=True).click()
    expect(student.get_by_role("alert")).to_contain_text("报到成功")
    expect(placement_card).to_contain_text("已报到")

    # The student writes a practice log for yesterday.
    placement_card.get_by_label("日期").fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    placement_card.get_by_label("时长（小时）").fill("6")
    placement_card.get_by_label("实践内容").fill("整理图书")
    placement_card.get_by_role("button", name="写日志", exact=True).click()
    expect(student.get_by_role("alert")).to_contain_text("日志已保存")
    expect(placement_card).to_contain_text("整理图书")
    expect(placement_card).to_contain_text("待确认")

    host.reload()
    placement_row = host.locator(".list-group-item", has_text="整理图书")
    placement_row.get_by_role("button", name="确认时长", exact=True).click()
    expect(host.get_by_role("alert")).to_contain_text("已确认实践时长")
    expect(placement_row).to_contain_text("已确认")
    placement_row.get_by_role("combobox", name="鉴定等次").select_option(label="优秀")
    placement_row.get_by_role("textbox", name="鉴定意见").fill("认真负责，深受小读者喜爱。")
    assert no_horizontal_scroll(host), "the applicants page scrolls sideways on a phone"
    placement_row.get_by_role("button", name="期满鉴定", exact=True).click()
    expect(host.get_by_role("alert")).to_contain_text("已保存")
    done = host.locator(".list-group-item", has_text="已完成")
    expect(done).to_contain_text("优秀 6 小时")

    # 7. The student opens the certificate and reads its verification code.
    student.reload()
    expect(placement_card).to_contain_text("优秀")
    expect(placement_card).to_contain_text("6 小时")
    placement_card.get_by_role("link", name="查看证书").click()
    expect(student).to_have_url(re.compile(r"/certificates/\d+/$"))
    certificate = student.locator("main")
    expect(student.get_by_role("heading", level=1)).to_contain_text("社会实践证书")
    expect(certificate).to_contain_text("李小明同学（中山大学）")
    expect(certificate).to_contain_text(TITLE_A)
    expect(certificate).to_contain_text("累计 6 小时")
    expect(certificate).to_contain_text("共青团广州市越秀区委员会")
    found = re.search(r"证书编号：\s*([0-9A-Z]{12})\b", certificate.inner_text())
    assert found, "no 12-character 证书编号 on the certificate"
    certificate_code = found.group(1)
    placement.refresh_from_db()
    assert certificate_code == placement.certificate_code
    assert no_horizontal_scroll(student), "the certificate scrolls sideways on a phone"
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    student.screenshot(path=str(SCREENSHOT), full_page=True)

    # Anyone can verify it; a code never issued is not found, a mistyped one (0 and O are
    # never issued) is explained.
    visitor = phone_page()
    for typed, verdict in (
        (certificate_code, "证书真实有效"),
        ("FAKE22222222", "查无此证书"),
        ("F0O0O0O0O0O0", "证书编号有误"),
    ):
        visitor.goto(f"{url}/verify/")
        visitor.get_by_role("textbox", name="证书编号").fill(typed)
        visitor.get_by_role("button", name="查验", exact=True).click()
        expect(visitor.locator("main .alert")).to_contain_text(verdict)
    expect(visitor.locator("main")).not_to_contain_text("李小明")

    visitor.goto(f"{url}/verify/?code={certificate_code.lower()}")
    result = visitor.locator("main .alert")
    expect(result).to_contain_text("证书真实有效")
    expect(result).to_contain_text("李小明（中山大学）")
    expect(result).to_contain_text(f"{UNIT}，鉴定等次优秀，6 小时")

    assert Application.objects.get(post=post_b).status == Application.Status.WITHDRAWN
