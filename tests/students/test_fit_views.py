"""专业对口 in the portal: a student's page and the search suggest the posts they can apply to
that best fit them, saying why; the county and the host unit see each applicant's fit on the
post's applicant list. Nobody else sees either."""

import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from demo.fit import STOCK_GRADE, STOCK_SKILLS, seed_fit
from positions.models import Post
from schedule.models import Milestone
from students import fit, services
from students.models import Student
from tests.factories import PASSWORD, HostUnitFactory, PostFactory, StudentFactory, region

SUGGESTIONS = "为你推荐的岗位"
IT_NEEDS = {"majors": "计算机、软件等相关专业", "skills": "会 Python", "grade": "大二及以上"}


@pytest.fixture
def fit_world(world):
    """越秀's software student (2027 entry: 大三 in the summer of 2030), and posts: one that
    fits (企业实践), one for 研究生 only, one the student applied to already, a full one, a
    draft; 天河's post for its own students and one opened to anyone."""
    world.coder = StudentFactory(
        hometown=world.yuexiu,
        major="软件工程",
        skills="Python、摄影",
        grade=2027,
        graduation_year=2031,
        name="越秀程序员",
    )
    world.it_post = PostFactory(
        host_unit=world.unit_yx, title="越秀软件开发实习生", category="enterprise", **IT_NEEDS
    )
    world.graduate_post = PostFactory(
        host_unit=world.unit_yx, title="越秀研究生岗位", grade="研究生"
    )
    world.chosen_post = PostFactory(host_unit=world.unit_yx, title="越秀已报名岗位", **IT_NEEDS)
    services.application_submit(actor=None, student=world.coder, post=world.chosen_post)
    world.full_post = PostFactory(host_unit=world.unit_yx, title="越秀满员岗位", headcount=1)
    services.application_offer(
        actor=None,
        application=services.application_submit(
            actor=None, student=StudentFactory(hometown=world.yuexiu), post=world.full_post
        ),
    )
    PostFactory(host_unit=world.unit_yx, title="越秀草稿岗位二", status="draft", **IT_NEEDS)
    world.open_th = PostFactory(
        host_unit=world.unit_th, title="天河开放岗位", audience=Post.Audience.ANYONE, **IT_NEEDS
    )
    return world


def _me(client, student) -> str:
    client.force_login(student.user)
    return client.get(reverse("students:me")).content.decode()


def test_a_student_is_suggested_the_posts_that_fit_best_with_the_reasons(client, fit_world):
    page = _me(client, fit_world.coder)
    assert SUGGESTIONS in page
    block = page.split(SUGGESTIONS)[1]
    assert block.index("越秀软件开发实习生") < block.index("越秀图书馆阅读推广员")
    assert "专业对口：软件工程 符合 计算机类" in block
    assert "技能相符：Python" in block and "年级符合：大三" in block


def test_only_posts_the_student_can_apply_to_are_suggested(client, fit_world):
    block = _me(client, fit_world.coder).split(SUGGESTIONS)[1]
    assert "天河开放岗位" in block  # another county's post opened to anyone
    for title in ("越秀研究生岗位", "越秀已报名岗位", "越秀满员岗位", "越秀草稿岗位二"):
        assert title not in block, title
    assert "天河图书馆阅读推广员" not in block  # 天河's own students only


def test_a_residence_county_opens_its_resident_posts_to_suggestions(client, fit_world):
    PostFactory(
        host_unit=fit_world.unit_th,
        title="天河常住岗位",
        audience=Post.Audience.RESIDENTS,
        **IT_NEEDS,
    )
    assert "天河常住岗位" not in _me(client, fit_world.coder).split(SUGGESTIONS)[1]
    Student.objects.filter(pk=fit_world.coder.pk).update(residence=fit_world.tianhe)
    assert "天河常住岗位" in _me(client, fit_world.coder).split(SUGGESTIONS)[1]


def test_a_confirmed_place_ends_the_seasons_suggestions(client, fit_world):
    application = services.application_submit(
        actor=None, student=fit_world.coder, post=fit_world.it_post
    )
    services.application_offer(actor=None, application=application)
    services.offer_confirm(actor=None, application=application)
    block = _me(client, fit_world.coder).split(SUGGESTIONS)[1]
    assert "暂时没有可以报名的推荐岗位" in block


def test_a_locked_selection_or_a_past_post_is_not_suggested(client, fit_world):
    post = fit_world.it_post
    with time_machine.travel(post.ends_on + datetime.timedelta(days=1)):
        assert "越秀软件开发实习生" not in _me(client, fit_world.coder).split(SUGGESTIONS)[1]
    match = Milestone.objects.get(season=post.season, code="summer_match")
    Milestone.objects.filter(pk=match.pk).update(hard_lock=True)
    with time_machine.travel(match.due + datetime.timedelta(days=1)):
        assert "越秀软件开发实习生" not in _me(client, fit_world.coder).split(SUGGESTIONS)[1]


def test_the_students_page_with_suggestions_costs_a_bounded_number_of_queries(
    client, fit_world, django_assert_max_num_queries
):
    for n in range(30):
        PostFactory(host_unit=fit_world.unit_yx, title=f"批量岗位{n}", **IT_NEEDS)
    client.force_login(fit_world.coder.user)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("students:me"))
    assert (
        response.content.decode().split(SUGGESTIONS)[1].count('class="list-group-item suggestion"')
        == 5
    )


def test_the_search_suggests_for_a_signed_in_student_only(
    client, fit_world, django_assert_max_num_queries
):
    url = reverse("positions:search")
    anonymous = client.get(url).content.decode()
    assert SUGGESTIONS not in anonymous and "越秀软件开发实习生" in anonymous
    client.force_login(fit_world.yx_staff)
    assert SUGGESTIONS not in client.get(url).content.decode()
    client.force_login(fit_world.coder.user)
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert SUGGESTIONS in page and "专业对口：软件工程 符合 计算机类" in page
    fragment = client.get(url, {"q": "越秀"}, HTTP_HX_REQUEST="true").content.decode()
    assert SUGGESTIONS not in fragment  # the results only, as before


def _applicants(client, user, post, **query) -> str:
    client.force_login(user)
    return client.get(reverse("students:post_applicants", args=[post.pk]), query).content.decode()


@pytest.fixture
def applied(fit_world):
    """Two applicants to 越秀's software post: the software student and a 汉语言文学 one."""
    writer = StudentFactory(
        hometown=fit_world.yuexiu, name="越秀写手", grade=2027, graduation_year=2031
    )
    for student in (writer, fit_world.coder):
        services.application_submit(actor=None, student=student, post=fit_world.it_post)
    return fit_world


def test_the_county_and_the_host_unit_see_each_applicants_fit(client, applied):
    for user in (applied.yx_staff, applied.yx_host):
        page = _applicants(client, user, applied.it_post)
        assert "很对口" in page and "专业对口：软件工程 符合 计算机类" in page
        assert "专业不对口：岗位要求 计算机、软件等相关专业" in page
        assert "特长/技能：Python、摄影" in page


def test_applicants_are_sorted_by_fit_on_request(client, applied):
    page = _applicants(client, applied.yx_staff, applied.it_post)
    assert page.index("越秀写手") < page.index("越秀程序员")  # in the order they applied
    by_fit = _applicants(client, applied.yx_staff, applied.it_post, sort="fit")
    assert by_fit.index("越秀程序员") < by_fit.index("越秀写手")
    assert "按用人单位排序" in by_fit


def test_other_counties_and_host_units_see_no_fit(client, applied):
    for user in (applied.th_staff, applied.th_host):
        client.force_login(user)
        url = reverse("students:post_applicants", args=[applied.it_post.pk])
        assert client.get(url, {"sort": "fit"}).status_code == 404


def test_a_student_records_skills_on_the_profile_and_erasure_empties_them(client, fit_world):
    client.force_login(fit_world.coder.user)
    data = {
        "phone": "13800138000",
        "email": "s@example.edu.cn",
        "college": "计算机学院",
        "major": "软件工程",
        "skills": "Python、视频剪辑",
        "degree": "bachelor",
        "grade": "2024",
        "graduation_year": "2028",
        "politics": "league_member",
    }
    assert client.post(reverse("students:profile"), data).status_code == 302
    student = Student.objects.get(pk=fit_world.coder.pk)
    assert student.skills == "Python、视频剪辑"
    download = client.get(reverse("students:my_data")).content.decode()
    assert "Python、视频剪辑" in download
    too_long = client.post(reverse("students:profile"), data | {"skills": "长" * 201})
    assert "特长/技能" in too_long.content.decode()
    services.application_withdraw(application=student.applications.get(), actor=None)
    client.post(reverse("students:erase"), {"password": PASSWORD, "confirm": "on"})
    assert Student.objects.get(pk=student.pk).skills == ""


def test_the_demo_fills_stock_requirements_and_blank_skills_once(world):
    unit = HostUnitFactory(county=region("440106"), name="天河青年之家")
    stock = PostFactory(
        host_unit=unit, title="企业运营实习生", skills=STOCK_SKILLS, grade=STOCK_GRADE
    )
    edited = PostFactory(host_unit=unit, title="企业运营实习生", skills="会开车", grade="不限")
    student = StudentFactory(major="新闻学", skills="")
    seed_fit()
    seed_fit()
    stock.refresh_from_db()
    edited.refresh_from_db()
    assert stock.majors.startswith("计算机") and stock.grade == "大二及以上"
    assert edited.skills == "会开车"
    assert Student.objects.get(pk=student.pk).skills == "摄影、视频剪辑、公众号运营"


def test_the_applicants_export_carries_the_fit(client, applied):
    client.force_login(applied.yx_staff)
    url = reverse("students:post_applicants_export", args=[applied.it_post.pk])
    response = client.get(url, {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][-3:] == ["特长/技能", "专业对口", "对口说明"]
    coder = next(row for row in rows if row[0] == "越秀程序员")
    assert coder[-3] == "Python、摄影" and int(coder[-2]) >= 75
    assert "专业对口：软件工程 符合 计算机类" in coder[-1]


def test_posts_open_to_anyone_elsewhere_never_crowd_out_the_home_county(
    client, fit_world, monkeypatch
):
    monkeypatch.setattr(fit, "CANDIDATES", 3)
    for n in range(4):  # newer than 越秀's posts, and fitting as well
        PostFactory(
            host_unit=fit_world.unit_th,
            title=f"天河新开放岗位{n}",
            audience=Post.Audience.ANYONE,
            category="enterprise",
            **IT_NEEDS,
        )
    block = _me(client, fit_world.coder).split(SUGGESTIONS)[1]
    assert "越秀软件开发实习生" in block
