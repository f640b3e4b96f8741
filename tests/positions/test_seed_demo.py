"""The demo covers every role and every post state, and running it again adds nothing."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from accounts.models import Role, User
from positions.models import HostUnit, Post
from students.models import Application, MatchingRound, Placement, Student


def _counts():
    return User.objects.count(), HostUnit.objects.count(), Post.objects.count()


def test_seed_demo_covers_every_role_category_and_state_and_is_idempotent(db, capsys):
    call_command("load_regions")
    call_command("seed_demo")
    printed = capsys.readouterr().out
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert {Role.PROVINCE, Role.CITY, Role.COUNTY, Role.HOST, Role.UNIVERSITY} <= set(
        User.objects.values_list("role", flat=True)
    )
    assert set(Post.objects.values_list("category", flat=True)) == set(Post.Category.values)
    assert set(Post.objects.values_list("status", flat=True)) >= {"draft", "published", "cancelled"}
    assert set(HostUnit.objects.values_list("kind", flat=True)) == set(HostUnit.Kind.values)
    assert "yuexiu" in printed and "Demo@2026fjx" in printed
    assert User.objects.get(username="humen").region.name == "虎门镇"
    assert set(Application.objects.values_list("status", flat=True)) == set(
        Application.Status.values
    )
    assert set(Placement.objects.values_list("status", flat=True)) == set(Placement.Status.values)
    assert Placement.objects.filter(status="completed", certificate_code__isnull=False).exists()
    assert MatchingRound.objects.filter(status="preview", county__name="天河区").exists()


def test_seed_demo_scale_bulk_inserts_students_that_can_sign_in(db, client):
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", "--scale", "120", stdout=open("/dev/null", "w"))  # noqa: SIM115
    scaled = Student.objects.filter(user__username__startswith="scale_")
    assert scaled.count() == 120
    assert len(set(scaled.values_list("id_number_digest", flat=True))) == 120
    response = client.post(
        reverse("accounts:login"), {"username": "scale_7", "password": "Demo@2026fjx"}
    )
    assert response.status_code == 302
    assert client.get(reverse("students:me")).status_code == 200


@pytest.mark.parametrize(
    "day", ["2027-05-01", "2027-07-15", "2027-08-15", "2027-12-01", "2028-01-20", "2028-02-10"]
)
def test_seed_demo_works_on_any_day_of_the_year(db, day):
    """Mid-season, some demo posts have already ended: they are recorded closed, not published."""
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    with time_machine.travel(f"{day} 10:00 +0800", tick=False):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        today = datetime.date.fromisoformat(day)
        assert not Post.objects.filter(status="published", ends_on__lt=today).exists()
        assert Post.objects.filter(status="published").exists()
