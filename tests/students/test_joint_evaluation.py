"""联合用人单位: county staff record check-in, confirm hours and do the 期满鉴定 for any placement of
their county, jointly with the host unit or on behalf of one without an account; the certificate,
the verification page and the credit export say who evaluated."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Notice, Role
from positions.models import Post
from schedule.models import Season
from students import services
from students.exporters import CreditsExporter
from students.models import Placement, PracticeLog
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region, staff
from tests.race import race


def _running_now(post):
    """The post's practice ran from 5 days ago to today: report, log and evaluate are open."""
    today = timezone.localdate()
    Season.objects.filter(pk=post.season_id).update(
        practice_starts=today - datetime.timedelta(days=60)
    )
    Post.objects.filter(pk=post.pk).update(
        starts_on=today - datetime.timedelta(days=5), ends_on=today
    )


def _placement(post, name="越秀学生", university=None):
    """A confirmed placement of a student of the post's county, its practice running today."""
    extra = {"university": university} if university else {}
    student = StudentFactory(hometown=post.host_unit.county, name=name, **extra)
    application = services.application_submit(actor=None, student=student, post=post)
    services.application_offer(actor=None, application=application)
    placement = services.offer_confirm(actor=None, application=application)
    _running_now(post)
    return Placement.objects.get(pk=placement.pk)


def _reported_with_hours(post, **kwargs):
    placement = _placement(post, **kwargs)
    services.placement_report(actor=None, placement=placement)
    PracticeLog.objects.create(
        placement=placement, day=timezone.localdate(), hours=8, content="入户走访"
    )
    return Placement.objects.get(pk=placement.pk)


@pytest.fixture
def village(world):
    """越秀's village committee: registered by the county, no account of its own."""
    unit = HostUnitFactory(county=world.yuexiu, name="越秀某村民委员会")
    world.village_post = PostFactory(host_unit=unit, title="村委会乡村振兴助理")
    return world


def test_the_county_evaluates_for_a_host_unit_without_an_account(client, village):
    placement = _reported_with_hours(village.village_post, university=village.university)
    client.force_login(village.yx_staff)
    log = placement.logs.get()
    client.post(reverse("students:log_confirm", args=[log.pk]))
    page = client.get(
        reverse("students:post_applicants", args=[village.village_post.pk])
    ).content.decode()
    assert "本次鉴定将记为：县级团委代为鉴定（用人单位未开通账号）" in page
    client.post(
        reverse("students:placement_evaluate", args=[placement.pk]),
        {"rating": "good", "comment": "走访认真"},
    )
    placement.refresh_from_db()
    assert placement.status == "completed" and placement.hours == 8
    assert placement.evaluated_by == Placement.Evaluator.ON_BEHALF
    assert placement.certificate_code
    client.force_login(placement.student.user)
    certificate = client.get(reverse("students:certificate", args=[placement.pk]))
    assert "鉴定方式：县级团委代为鉴定（用人单位未开通账号）" in certificate.content.decode()
    client.logout()
    verified = client.get(reverse("students:verify"), {"code": placement.certificate_code})
    assert "县级团委代为鉴定" in verified.content.decode()
    event = AuditEvent.objects.get(action="placement.evaluate")
    assert event.actor == village.yx_staff and event.data["evaluated_by"] == "on_behalf"
    row = list(CreditsExporter(village.uni_staff).rows())[0]
    assert (
        row[0] == placement.student.student_number
        and row[-1] == "县级团委代为鉴定（用人单位未开通账号）"
    )


def test_the_county_evaluates_jointly_when_the_host_unit_has_an_account(client, world):
    placement = _reported_with_hours(world.post_yx)
    services.practice_log_confirm(actor=world.yx_host, log=placement.logs.get())
    client.force_login(world.yx_staff)
    client.post(reverse("students:placement_evaluate", args=[placement.pk]), {"rating": "pass"})
    placement.refresh_from_db()
    assert placement.evaluated_by == Placement.Evaluator.JOINT
    assert Notice.objects.filter(user=world.yx_host, text__contains="会同你单位").exists()
    client.force_login(world.yx_host)
    page = client.get(reverse("students:post_applicants", args=[world.post_yx.pk]))
    assert "县级团委与用人单位联合鉴定" in page.content.decode()


def test_a_host_unit_whose_accounts_are_switched_off_is_evaluated_on_its_behalf(client, world):
    placement = _reported_with_hours(world.post_yx)
    world.yx_host.is_active = False
    world.yx_host.save()
    services.practice_log_confirm(actor=world.yx_staff, log=placement.logs.get())
    services.placement_evaluate(actor=world.yx_staff, placement=placement, rating="excellent")
    placement.refresh_from_db()
    assert placement.evaluated_by == Placement.Evaluator.ON_BEHALF


def test_the_host_units_own_evaluation_is_recorded_as_its_own(world):
    placement = _reported_with_hours(world.post_yx)
    services.practice_log_confirm(actor=world.yx_host, log=placement.logs.get())
    services.placement_evaluate(actor=world.yx_host, placement=placement, rating="good")
    placement.refresh_from_db()
    assert placement.evaluated_by == Placement.Evaluator.HOST


@pytest.mark.parametrize(
    ("user", "status"),
    [("yx_staff", 302), ("gz_staff", 403), ("province_staff", 403), ("th_staff", 404)],
)
def test_who_may_confirm_hours_and_evaluate_for_the_county(client, village, user, status):
    placement = _reported_with_hours(village.village_post)
    client.force_login(getattr(village, user))
    log = placement.logs.get()
    assert client.post(reverse("students:log_confirm", args=[log.pk])).status_code == status
    PracticeLog.objects.filter(pk=log.pk).update(confirmed_at=timezone.now())
    response = client.post(
        reverse("students:placement_evaluate", args=[placement.pk]), {"rating": "good"}
    )
    assert response.status_code == status
    placement.refresh_from_db()
    assert (placement.status == "completed") is (status == 302)


def test_the_county_records_check_in_from_its_placement_list(client, village):
    placement = _placement(village.village_post)
    client.force_login(village.yx_staff)
    page = client.get(reverse("students:placement_list")).content.decode()
    assert "越秀学生" in page and "用人单位未开通账号" in page and "记录报到" in page
    response = client.post(
        reverse("students:placement_report", args=[placement.pk]), {"back": "list"}
    )
    assert response["Location"] == reverse("students:placement_list")
    placement.refresh_from_db()
    assert placement.status == "reported"
    page = client.get(reverse("students:placement_list"), {"status": "reported"})
    assert "确认时长与期满鉴定" in page.content.decode()


@pytest.mark.parametrize(
    ("user", "sees"),
    [
        ("yx_staff", True),
        ("gz_staff", True),
        ("province_staff", True),
        ("th_staff", False),
        ("th_host", False),
        ("mz_staff", False),
    ],
)
def test_the_placement_list_is_scoped(client, village, user, sees):
    _placement(village.village_post)
    client.force_login(getattr(village, user))
    response = client.get(reverse("students:placement_list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert ("越秀学生" in page) is sees
    assert ("/report/" in page) is (user == "yx_staff")  # the 记录报到 button
    # What only counties do is explained to counties; read-only city and province staff get
    # no to-do tabs for work they cannot do.
    county = user in ("yx_staff", "th_staff")
    read_only = user in ("gz_staff", "province_staff", "mz_staff")
    assert ("县级团委可为本县任何实践安排记录报到" in page) is county
    assert ("?todo=evaluate" in page) is not read_only


@pytest.mark.parametrize("user", ["uni_staff", "student"])
def test_the_placement_list_is_not_for_universities_or_students(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get(reverse("students:placement_list")).status_code == 404


def test_odd_status_values_show_every_placement(client, village):
    _placement(village.village_post)
    client.force_login(village.yx_staff)
    for status in ("²", "x" * 500, "completed\u00a0"):
        response = client.get(reverse("students:placement_list"), {"status": status})
        assert response.status_code == 200 and "越秀学生" in response.content.decode()


def test_the_placement_list_takes_the_same_queries_for_more_rows(client, village):
    _placement(village.village_post, name="甲")
    client.force_login(village.yx_staff)
    url = reverse("students:placement_list")
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        unit = HostUnitFactory(county=village.yuexiu)
        _placement(PostFactory(host_unit=unit), name=f"乙{n}")
    with CaptureQueriesContext(connection) as four:
        client.get(url)
    assert len(four) == len(one)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_host_unit_and_county_evaluating_at_once_keep_one_evaluation():
    county = region("440104")
    unit = HostUnitFactory(county=county)
    host = staff(Role.HOST, host_unit=unit)
    officer = staff(Role.COUNTY, region=county)
    for _ in range(3):
        placement = _reported_with_hours(PostFactory(host_unit=unit))
        PracticeLog.objects.filter(placement=placement).update(confirmed_at=timezone.now())

        def evaluate(actor, rating, placement=placement):
            return services.placement_evaluate(actor=actor, placement=placement, rating=rating)

        outcomes = race([lambda: evaluate(host, "excellent"), lambda: evaluate(officer, "pass")])
        assert sorted(outcomes) == ["ok", "只有已报到、尚未鉴定的安排可以鉴定。"]
        placement.refresh_from_db()
        winner = outcomes.index("ok")
        assert (placement.rating, placement.evaluated_by) == [
            ("excellent", "host"),
            ("pass", "joint"),
        ][winner]
        events = AuditEvent.objects.filter(action="placement.evaluate", target_id=placement.pk)
        assert events.count() == 1
