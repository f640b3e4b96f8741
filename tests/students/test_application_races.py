"""A student's choices under real concurrency (PostgreSQL): clicks that arrive together keep the
ranked-choice limit, make no duplicate and no 500, and a host unit deciding on one choice while
the student confirms another does not deadlock."""

import pytest

from students import services
from students.models import Application, Placement
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region
from tests.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _active(student):
    return list(
        Application.objects.filter(student=student, status="applied")
        .order_by("rank")
        .values_list("rank", flat=True)
    )


def test_six_choices_sent_at_once_keep_the_limit_of_three():
    county = region("440104")
    unit = HostUnitFactory(county=county)
    posts = [PostFactory(host_unit=unit) for _ in range(6)]
    for _ in range(3):
        student = StudentFactory(hometown=county)
        outcomes = race(
            [
                lambda p=p, s=student: services.application_submit(student=s, post=p, actor=None)
                for p in posts
            ]
        )
        assert outcomes.count("ok") == 3
        assert outcomes.count("每个实践季最多填报 3 个意向。") == 3
        assert _active(student) == [1, 2, 3]


def test_one_post_sent_five_times_at_once_is_one_application():
    county = region("440104")
    post = PostFactory(host_unit=HostUnitFactory(county=county))
    student = StudentFactory(hometown=county)
    outcomes = race(
        [lambda: services.application_submit(student=student, post=post, actor=None)] * 5
    )
    assert sorted(outcomes) == ["ok"] + ["已经报名过这个岗位。"] * 4
    assert Application.objects.filter(student=student, post=post).count() == 1


def test_many_students_on_one_post_at_once_each_get_their_application():
    county = region("440104")
    post = PostFactory(host_unit=HostUnitFactory(county=county), headcount=2)
    students = [StudentFactory(hometown=county) for _ in range(20)]
    outcomes = race(
        [
            lambda s=s: services.application_submit(student=s, post=post, actor=None)
            for s in students
        ]
    )
    assert outcomes == ["ok"] * 20
    assert Application.objects.filter(post=post, rank=1).count() == 20


def test_a_rejection_while_the_student_confirms_another_offer_does_not_deadlock():
    """Confirming withdraws the student's other choices; rejecting one of them renumbers the
    rest. Each took the other's rows in the opposite order, so PostgreSQL could abort one as a
    deadlock (a 500); both now queue on the student first."""
    county = region("440104")
    unit = HostUnitFactory(county=county)
    for _ in range(8):
        student = StudentFactory(hometown=county)
        offer = services.application_offer(
            actor=None,
            application=services.application_submit(
                student=student, post=PostFactory(host_unit=unit), actor=None
            ),
        )
        other = services.application_submit(
            student=student, post=PostFactory(host_unit=unit), actor=None
        )
        outcomes = race(
            [
                lambda o=offer: services.offer_confirm(application=o, actor=None),
                lambda x=other: services.application_reject(application=x, actor=None),
            ]
        )
        assert outcomes[0] == "ok"
        assert outcomes[1] in ("ok", "该报名已有结果。")
        assert Placement.objects.filter(student=student).count() == 1
        assert Application.objects.get(pk=other.pk).status in ("rejected", "withdrawn")


def test_a_withdrawal_while_the_host_unit_rejects_another_choice_does_not_deadlock():
    county = region("440104")
    unit = HostUnitFactory(county=county)
    for _ in range(8):
        student = StudentFactory(hometown=county)
        first, second, third = (
            services.application_submit(
                student=student, post=PostFactory(host_unit=unit), actor=None
            )
            for _ in range(3)
        )
        outcomes = race(
            [
                lambda a=first: services.application_withdraw(application=a, actor=None),
                lambda a=third: services.application_reject(application=a, actor=None),
            ]
        )
        assert outcomes == ["ok", "ok"]
        assert _active(student) == [1]
        assert Application.objects.get(pk=second.pk).rank == 1
