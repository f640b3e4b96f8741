"""Residence (常住地) and open posts (面向对象): a county opens a post to its residents or to
anyone; such students find it, apply, are matched and are seen by that county only; the ranked
choice limit counts every choice of the practice period, in any county or province."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from positions.models import Post
from students import rounds, services
from students.models import Application, Student
from tests.factories import (
    PASSWORD,
    HostUnitFactory,
    PostFactory,
    StudentFactory,
    region,
    registration_form,
    season,
)

ANYONE, RESIDENTS = Post.Audience.ANYONE, Post.Audience.RESIDENTS


@pytest.fixture
def open_world(world):
    """越秀's posts: one for anyone, one for residents; a 天河 student with no tie to 越秀, and
    one whose family lives in 越秀 (常住地)."""
    world.open_post = PostFactory(host_unit=world.unit_yx, title="越秀开放岗位", audience=ANYONE)
    world.resident_post = PostFactory(
        host_unit=world.unit_yx, title="越秀常住岗位", audience=RESIDENTS
    )
    world.outsider = StudentFactory(hometown=world.tianhe, name="天河外来生", phone="13712340001")
    world.resident = StudentFactory(
        hometown=world.tianhe, residence=world.yuexiu, name="天河常住越秀生"
    )
    return world


def test_a_student_from_another_county_finds_and_applies_to_an_open_post(client, open_world):
    client.force_login(open_world.outsider.user)
    search = client.get(reverse("positions:search"), {"county": "440104", "city": "440100"})
    page = search.content.decode()
    assert "越秀开放岗位" in page and "面向所有在外高校学子" in page
    detail = client.get(reverse("positions:public_detail", args=[open_world.open_post.pk]))
    assert "面向所有在外高校学子" in detail.content.decode()
    response = client.post(
        reverse("students:apply", args=[open_world.open_post.pk]), {"statement": "想去越秀"}
    )
    assert response.status_code == 302
    assert Application.objects.get(student=open_world.outsider).post == open_world.open_post


def test_a_post_not_open_to_the_student_says_so_instead_of_offering_the_form(client, open_world):
    client.force_login(open_world.outsider.user)
    closed = client.get(reverse("positions:public_detail", args=[open_world.post_yx.pk]))
    page = closed.content.decode()
    assert "该岗位仅面向本县生源学生" in page and "报名这个岗位" not in page
    residents = client.get(reverse("positions:public_detail", args=[open_world.resident_post.pk]))
    assert "仅面向本县生源及常住本县的学生" in residents.content.decode()
    client.force_login(open_world.resident.user)
    page = client.get(reverse("positions:public_detail", args=[open_world.resident_post.pk]))
    assert "报名这个岗位" in page.content.decode()


def test_a_hometown_only_post_refuses_them_and_keeps_the_statement(client, open_world):
    client.force_login(open_world.outsider.user)
    response = client.post(
        reverse("students:apply", args=[open_world.post_yx.pk]), {"statement": "我的陈述"}
    )
    page = response.content.decode()
    assert "该岗位仅面向本县生源学生" in page and "我的陈述" in page
    assert not Application.objects.filter(student=open_world.outsider).exists()


def test_a_residents_post_takes_residents_and_refuses_others(open_world):
    application = services.application_submit(
        actor=None, student=open_world.resident, post=open_world.resident_post
    )
    assert application.rank == 1
    with pytest.raises(ValidationError, match="仅面向本县生源及常住本县的学生"):
        services.application_submit(
            actor=None, student=open_world.outsider, post=open_world.resident_post
        )
    home = StudentFactory(hometown=open_world.yuexiu)  # its own students, as always
    services.application_submit(actor=None, student=home, post=open_world.resident_post)


def test_the_choice_limit_counts_choices_in_both_counties(open_world):
    student = open_world.outsider
    home_posts = [PostFactory(host_unit=open_world.unit_th) for _ in range(2)]
    for post in home_posts:
        services.application_submit(actor=None, student=student, post=post)
    third = services.application_submit(actor=None, student=student, post=open_world.open_post)
    assert third.rank == 3
    with pytest.raises(ValidationError, match="最多填报 3 个意向"):
        services.application_submit(
            actor=None, student=student, post=PostFactory(host_unit=open_world.unit_th)
        )
    with pytest.raises(ValidationError, match="最多填报 3 个意向"):
        services.application_submit(
            actor=None,
            student=student,
            post=PostFactory(host_unit=open_world.unit_yx, audience=ANYONE),
        )
    # Withdrawing the first renumbers across both counties.
    first = Application.objects.get(student=student, rank=1)
    services.application_withdraw(actor=None, application=first)
    third.refresh_from_db()
    assert third.rank == 2


def test_a_post_of_another_province_counts_in_the_same_summer(open_world):
    nanning = HostUnitFactory(county=region("450102"))
    far = PostFactory(host_unit=nanning, season=season("summer", "450000"), audience=ANYONE)
    student = open_world.outsider
    for post in (open_world.open_post, PostFactory(host_unit=open_world.unit_th)):
        services.application_submit(actor=None, student=student, post=post)
    application = services.application_submit(actor=None, student=student, post=far)
    assert application.rank == 3
    services.application_offer(actor=None, application=application)
    services.offer_confirm(actor=None, application=application)
    others = Application.objects.filter(student=student).exclude(pk=application.pk)
    assert set(others.values_list("status", flat=True)) == {"withdrawn"}  # closed everywhere


def test_the_county_sees_the_outside_applicant_masked_and_the_hometown_county_does_not(
    client, open_world
):
    services.application_submit(actor=None, student=open_world.outsider, post=open_world.open_post)
    client.force_login(open_world.yx_staff)
    page = client.get(
        reverse("students:post_applicants", args=[open_world.open_post.pk])
    ).content.decode()
    assert "天河外来生" in page and "外县生源" in page and "13712340001" not in page
    client.force_login(open_world.th_staff)
    url = reverse("students:post_applicants", args=[open_world.open_post.pk])
    assert client.get(url).status_code == 404
    assert "天河外来生" not in client.get(reverse("students:placement_list")).content.decode()


def test_the_county_round_matches_applicants_from_outside(open_world):
    application = services.application_submit(
        actor=None, student=open_world.outsider, post=open_world.open_post
    )
    matching_round = rounds.round_run(
        county=open_world.yuexiu, season=open_world.open_post.season, actor=open_world.yx_staff
    )
    outcome = matching_round.outcomes.get(application=application)
    assert outcome.placed
    rounds.round_publish(matching_round=matching_round, actor=open_world.yx_staff)
    application.refresh_from_db()
    assert application.status == "offered"


def test_registration_leaves_the_residence_to_the_profile(client, world):
    assert 'name="residence"' not in client.get(reverse("students:register")).content.decode()
    client.force_login(StudentFactory(hometown=world.yuexiu).user)
    assert 'name="residence"' in client.get(reverse("students:profile")).content.decode()


def test_a_residence_outside_the_chosen_city_is_refused_with_the_input_kept(client, world):
    student = StudentFactory(hometown=world.yuexiu)
    client.force_login(student.user)
    form = {"phone": student.phone, "major": "物理学", "grade": student.grade}
    place = {"residence_province": "440000", "residence_city": "441400", "residence": "440106"}
    page = client.post(reverse("students:profile"), form | place).content.decode()
    assert "常住地与所选的省份、地市不一致" in page and 'value="物理学"' in page
    student.refresh_from_db()
    assert student.residence is None and student.major != "物理学"


def test_registration_without_a_residence_still_works(client, world):
    client.post(reverse("students:register"), registration_form(world.university))
    assert Student.objects.get(user__username="xiaoming").residence is None


def test_a_student_sets_and_clears_the_residence_on_the_profile(client, world):
    student = StudentFactory(hometown=world.yuexiu)
    client.force_login(student.user)
    form = {
        "phone": student.phone,
        "email": student.email,
        "college": student.college,
        "major": student.major,
        "degree": student.degree,
        "grade": student.grade,
        "graduation_year": student.graduation_year,
        "politics": student.politics,
    }
    place = {"residence_province": "440000", "residence_city": "440100", "residence": "440106"}
    client.post(reverse("students:profile"), form | place)
    student.refresh_from_db()
    assert student.residence == world.tianhe
    page = client.get(reverse("students:profile")).content.decode()
    assert 'value="440106" selected' in page
    client.post(reverse("students:profile"), form)
    student.refresh_from_db()
    assert student.residence is None


def test_the_residence_cascade_answers_with_counties(client, world):
    response = client.get(reverse("positions:region_options"), {"residence_city": "440100"})
    page = response.content.decode()
    assert "越秀区" in page and "选择县（市、区）或镇街" in page


def test_the_county_opens_a_post_with_the_audience_field(client, world):
    client.force_login(world.yx_staff)
    page = client.get(reverse("positions:post_create")).content.decode()
    for label in ("仅本县生源学生", "本县生源及常住本县学生", "面向所有在外高校学子"):
        assert label in page
    client.post(
        reverse("positions:post_edit", args=[world.draft_yx.pk]),
        {
            "host_unit": world.unit_yx.pk,
            "season": world.draft_yx.season_id,
            "title": world.draft_yx.title,
            "category": "rural",
            "headcount": "2",
            "description": "简介",
            "duties": "职责",
            "place": "地点",
            "starts_on": world.draft_yx.starts_on.isoformat(),
            "ends_on": world.draft_yx.ends_on.isoformat(),
            "hours": "9:00-17:00",
            "contact_name": "陈老师",
            "contact_phone": "13800138000",
            "audience": "residents",
        },
    )
    world.draft_yx.refresh_from_db()
    assert world.draft_yx.audience == RESIDENTS


def test_the_residence_is_in_the_data_download_and_gone_after_erasure(client, open_world):
    student = open_world.resident
    client.force_login(student.user)
    data = json.loads(client.get(reverse("students:my_data")).content)
    assert data["个人信息"]["常住地"].endswith("越秀区")
    client.post(reverse("students:erase"), {"password": PASSWORD, "confirm": "on"})
    student.refresh_from_db()
    assert student.anonymised_at is not None and student.residence is None


def test_two_offers_in_two_provinces_give_one_placement(open_world):
    nanning = HostUnitFactory(county=region("450102"))
    far = PostFactory(host_unit=nanning, season=season("summer", "450000"), audience=ANYONE)
    student = open_world.outsider
    offers = [
        services.application_offer(
            actor=None,
            application=services.application_submit(actor=None, student=student, post=post),
        )
        for post in (open_world.open_post, far)
    ]
    services.offer_confirm(actor=None, application=offers[0])
    with pytest.raises(ValidationError, match="没有待确认的录用"):
        services.offer_confirm(actor=None, application=offers[1])
    assert student.placements.count() == 1
