"""A hometown correction racing the student's own clicks (PostgreSQL, real transactions): both
lock the student's row first, so the student never ends up with an open choice or a new place
in the county they were moved away from."""

import pytest

from students import services
from students.models import Application, Placement, Student
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region, staff
from tests.race import OK, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _world(n: int = 0):
    yuexiu, tianhe = region("440104"), region("440106")
    county_staff = staff("county", region=yuexiu, username=f"yuexiu{n}")
    student = StudentFactory(hometown=yuexiu)
    return county_staff, student, PostFactory(host_unit=HostUnitFactory(county=yuexiu)), tianhe


def _move(county_staff, student, tianhe):
    return lambda: services.student_identity_correct(
        actor=county_staff, student=student, hometown=tianhe, reason="户籍在天河"
    )


def test_an_application_racing_a_move_never_stays_open_in_the_old_county():
    for n in range(3):
        county_staff, student, post, tianhe = _world(n)
        outcomes = race(
            [
                lambda s=student, p=post: services.application_submit(
                    student=s, post=p, actor=None
                ),
                _move(county_staff, student, tianhe),
            ]
        )
        assert outcomes[1] == OK
        assert Student.objects.get(pk=student.pk).hometown == tianhe
        assert not Application.objects.filter(
            student=student, status__in=services.OPEN_CHOICES
        ).exists()
        Application.objects.all().delete()


def test_a_confirmation_racing_a_move_gives_one_of_the_two_never_both():
    county_staff, student, post, tianhe = _world()
    offer = services.application_submit(student=student, post=post, actor=None)
    services.application_offer(application=offer, actor=None)
    outcomes = race(
        [
            lambda: services.offer_confirm(application=offer, actor=None),
            _move(county_staff, student, tianhe),
        ]
    )
    moved = Student.objects.get(pk=student.pk).hometown == tianhe
    placed = Placement.objects.filter(student=student).exists()
    assert moved != placed, outcomes
