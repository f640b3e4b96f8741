"""The demo covers every role and every post state, and running it again adds nothing."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.urls import reverse

from accounts.models import Role, User
from positions.models import HostUnit, Post, Region
from schedule.models import CountyQuota, ProgrammeYear, Season
from students.models import Application, MatchingRound, Placement, Student, University
from tests.demo.test_identity_numbers import scale_id_numbers_refused


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
    # 联合用人单位: a unit without an account, its placement evaluated by the county, certified.
    on_behalf = Placement.objects.filter(status="completed", evaluated_by="on_behalf")
    assert on_behalf.filter(certificate_code__isnull=False).exists()
    assert not User.objects.filter(host_unit=on_behalf.first().post.host_unit).exists()
    # A post open to everyone, chosen by a student from another county who lives in 越秀.
    outside = Application.objects.exclude(student__hometown=F("post__host_unit__county")).get(
        post__audience="anyone"
    )
    assert outside.student.hometown.name == "天河区" and outside.student.residence.name == "越秀区"
    assert outside.post.host_unit.county.name == "越秀区"


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


def _scale_counts():
    scaled = Student.objects.filter(user__username__startswith="scale_")
    applications = Application.objects.filter(student__in=scaled)
    placements = Placement.objects.filter(student__in=scaled)
    return {
        "students": scaled.count(),
        "counties": scaled.values("hometown").distinct().count(),
        "provinces": scaled.values("hometown__parent__parent").distinct().count(),
        "applications": dict(
            applications.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
        "winter": applications.filter(season__kind="winter").count(),
        "placements": dict(
            placements.values_list("status").annotate(n=Count("id")).order_by("status")
        ),
    }


def test_seed_demo_scale_spreads_a_national_season_over_every_province(db):
    """Students go round the 3,056 counties by code; what each gets depends on its number
    alone, so the counts are the same on every database and every day."""
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", "--scale", "400", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _scale_counts() == {
        "students": 400,
        "counties": 400,
        "provinces": 5,
        "applications": {
            "applied": 36,
            "confirmed": 251,
            "declined": 156,
            "expired": 71,
            "offered": 19,
            "rejected": 194,
            "shortlisted": 31,
            "withdrawn": 212,
        },
        "winter": 135,
        "placements": {"completed": 114, "confirmed": 73, "dropped": 12, "reported": 64},
    }
    # Every province has the demo year, and every county a scale host unit with posts.
    assert ProgrammeYear.objects.count() == Region.objects.filter(level="province").count()
    assert Season.objects.count() == 2 * ProgrammeYear.objects.count()
    counties = Region.objects.filter(level="county")
    assert HostUnit.objects.filter(name__endswith="返家乡实践服务中心").count() == counties.count()
    assert University.objects.filter(code__startswith="49").count() == 60
    completed = Placement.objects.filter(
        status="completed", student__user__username__startswith="scale_"
    )
    assert not completed.filter(Q(rating="") | Q(hours__isnull=True) | Q(completed_at__isnull=True))
    assert not completed.filter(Q(hours__lt=8) | Q(hours__gt=200) | Q(reported_at__isnull=True))
    assert completed.values("certificate_code").distinct().count() == completed.count()
    # No post holds more than its headcount; the quotas count the students who reported.
    over = Post.objects.annotate(
        held=Count("placements", filter=~Q(placements__status="dropped"))
    ).filter(held__gt=F("headcount"))
    assert not over.exists()
    reported = Placement.objects.filter(reported_at__isnull=False)
    assert CountyQuota.objects.aggregate(n=Sum("reported"))["n"] == reported.count()
    quota = CountyQuota.objects.get(region=Student.objects.get(user__username="scale_3").hometown)
    assert quota.reported == reported.filter(post__host_unit__county=quota.region).count()
    # Every ID number passes the portal's own check: the first 400 counties by code include
    # Beijing's and Tianjin's districts newer than their people's birthdays (issue 23).
    assert scale_id_numbers_refused() == []

    call_command("seed_demo", "--scale", "400", stdout=open("/dev/null", "w"))  # noqa: SIM115
    again = _scale_counts()
    assert again["students"] == 800 and again["counties"] == 800
    assert sum(again["applications"].values()) > 970
    assert sum(again["placements"].values()) > 263
    assert Student.objects.filter(user__username="scale_799").exists()
    assert CountyQuota.objects.aggregate(n=Sum("reported"))["n"] == reported.count()
