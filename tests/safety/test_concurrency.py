"""Races on PostgreSQL: one emergency contact per student and one insurance record per placement,
however many saves arrive at once."""

import pytest

from safety import services
from safety.models import EmergencyContact, Insurance
from tests.race import race
from tests.safety.conftest import placement_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_saves_of_a_contact_at_once_leave_one_contact(world):
    placement = placement_for(world, name="越秀并发生")
    # Confirming needed a contact: start again from none.
    EmergencyContact.objects.all().delete()
    student = placement.student

    outcomes = race(
        [
            lambda p=phone: services.emergency_contact_save(
                student=student, name="王芳", relation="mother", phone=p, actor=None
            )
            for phone in ("13800138001", "13800138002", "13800138003")
        ]
    )

    assert outcomes == ["ok"] * 3
    assert EmergencyContact.objects.filter(student=student).count() == 1


def test_two_records_of_one_placements_insurance_at_once_leave_one(world):
    placement = placement_for(world)
    post = placement.post

    outcomes = race(
        [
            lambda n=n: services.insurance_save(
                placement=placement,
                insurer="保险公司",
                policy_number=f"P{n}",
                starts_on=post.starts_on,
                ends_on=post.ends_on,
                actor=None,
            )
            for n in range(3)
        ]
    )

    assert outcomes == ["ok"] * 3
    assert Insurance.objects.filter(placement=placement).count() == 1
