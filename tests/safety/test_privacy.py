"""Erasure and retention empty the emergency contact and the insurance; the data download holds
both."""

import json

import pytest
from django.urls import reverse

from safety import services
from safety.models import EmergencyContact, Insurance
from students import privacy
from students.models import Placement, Student
from tests.factories import PASSWORD
from tests.safety.conftest import placement_for

pytestmark = pytest.mark.django_db


def _insured(world) -> Placement:
    placement = placement_for(world, name="越秀注销生")
    post = placement.post
    services.insurance_save(
        placement=placement,
        insurer="越秀保险",
        policy_number="YXP0001",
        starts_on=post.starts_on,
        ends_on=post.ends_on,
        actor=world.yx_staff,
    )
    return placement


def test_the_data_download_holds_the_contact_and_the_insurance(client, world):
    placement = _insured(world)
    client.force_login(placement.student.user)

    data = json.loads(b"".join([client.get(reverse("students:my_data")).content]))

    assert data["紧急联系人"]["姓名"] == "越秀注销生家长"
    assert data["实践安排"][0]["意外伤害保险"]["保单号"] == "YXP0001"


def test_erasure_empties_the_contact_and_the_insurance(world):
    placement = _insured(world)
    Placement.objects.filter(pk=placement.pk).update(status="dropped", drop_reason="退出")
    student = Student.objects.get(pk=placement.student_id)

    privacy.student_erase(student=student, password=PASSWORD, actor=student.user)

    assert not EmergencyContact.objects.filter(student=student).exists()
    assert not Insurance.objects.filter(placement__student=student).exists()


def test_retention_empties_them_too(world):
    placement = _insured(world)
    Placement.objects.filter(pk=placement.pk).update(
        status="completed", rating="good", hours=20, certificate_code="SAFETYRET001"
    )

    privacy._anonymise(placement.student, action="retention.anonymise", actor=None)

    assert not EmergencyContact.objects.exists()
    assert not Insurance.objects.exists()
