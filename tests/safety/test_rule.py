"""The province's rule: when the year requires the 行前安全教育, an offer is confirmed only once
the student's university has recorded it, and the student is told which university."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from safety import services
from safety.models import SafetyRule
from students import services as students
from students.models import Placement
from tests.safety.conftest import offer_for

pytestmark = pytest.mark.django_db


def _require(world, on=True):
    return services.safety_rule_set(
        programme_year=world.post_yx.season.programme_year,
        training_required=on,
        actor=world.province_staff,
    )


def test_the_province_sets_the_rule_for_its_year_and_it_is_audited(client, world):
    year = world.post_yx.season.programme_year
    client.force_login(world.province_staff)

    response = client.post(reverse("safety:rule", args=[year.pk]), {"training_required": "on"})

    assert response.status_code == 302
    assert SafetyRule.objects.get(programme_year=year).training_required
    event = AuditEvent.objects.get(action="safety.rule")
    assert event.actor == world.province_staff and event.data["training_required"] is True


def test_the_sidebar_link_opens_the_year_in_force(client, world):
    client.force_login(world.province_staff)

    response = client.get(reverse("safety:rule_current"))

    year = world.post_yx.season.programme_year
    assert response.status_code == 302
    assert response["Location"] == reverse("safety:rule", args=[year.pk])


@pytest.mark.parametrize("who, status", [("gz_staff", 403), ("yx_staff", 403), ("uni_staff", 404)])
def test_only_the_province_changes_it(client, world, who, status):
    year = world.post_yx.season.programme_year
    client.force_login(getattr(world, who))

    response = client.post(reverse("safety:rule", args=[year.pk]), {"training_required": "on"})

    assert response.status_code == status
    assert not SafetyRule.objects.exists()


def test_when_required_confirming_waits_for_the_universitys_record(world):
    _require(world)
    offer = offer_for(world)

    with pytest.raises(ValidationError) as refused:
        students.offer_confirm(application=offer, actor=None)

    assert "行前安全教育" in str(refused.value) and "中山大学" in str(refused.value)
    students.clearance_record(
        student=offer.student, season=offer.season, safety=True, actor=world.uni_staff
    )
    assert students.offer_confirm(application=offer, actor=None).status == "confirmed"


def test_the_student_is_told_before_clicking(client, world):
    _require(world)
    offer = offer_for(world)
    client.force_login(offer.student.user)

    html = client.get(reverse("students:me")).content.decode()

    assert "中山大学尚未记录你的培训" in html
    assert reverse("students:confirm", args=[offer.pk]) not in html


def test_when_not_required_the_training_is_not_asked(world):
    _require(world, on=False)
    offer = offer_for(world)

    students.offer_confirm(application=offer, actor=None)

    assert Placement.objects.filter(application=offer).exists()
