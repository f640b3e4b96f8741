"""The demo covers every role and every post state, and running it again adds nothing."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, User
from demo.posts import seed_posts
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
    # The demo's audit events are on their chains and verify (verify_audit exits 1 otherwise).
    call_command("verify_audit")
    assert "广东省（440000）：完好" in capsys.readouterr().out


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
        # The draws depend on how many universities there are: the demo's four in Guangdong,
        # its three in other provinces (issue 15) and the 60 of the scale data.
        "applications": {
            "applied": 36,
            "confirmed": 252,
            "declined": 154,
            "expired": 74,
            "offered": 18,
            "rejected": 197,
            "shortlisted": 31,
            "withdrawn": 214,
        },
        "winter": 137,
        "placements": {"completed": 113, "confirmed": 75, "dropped": 11, "reported": 64},
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


def test_the_demo_has_students_at_universities_in_other_provinces(db, client, capsys, tmp_path):
    """北京大学 (a university of 北京市) reads its student from 越秀区: the completed placement,
    the credit and its export; 武汉大学 and 复旦大学 have students of 天河区 and 梅县区."""
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo")
    assert "pku" in capsys.readouterr().out
    away = {
        code: (name, province)
        for code, name, province in University.objects.filter(
            code__in=["4111010001", "4142010486", "4131010246"]
        ).values_list("code", "name", "province__name")
    }
    assert away == {
        "4111010001": ("北京大学", "北京市"),
        "4142010486": ("武汉大学", "湖北省"),
        "4131010246": ("复旦大学", "上海市"),
    }
    pku_student = Student.objects.get(user__username="yuexiu_pku")
    assert pku_student.hometown.name == "越秀区"
    assert pku_student.university.code == "4111010001"
    assert Student.objects.filter(university__province__name="湖北省", hometown__name="天河区")
    # The Guangdong demo students stay at the demo's Guangdong universities.
    assert not Student.objects.filter(user__username__regex=r"_s\d+$").exclude(
        university__province__name="广东省"
    )
    client.post(reverse("accounts:login"), {"username": "pku", "password": "Demo@2026fjx"})
    credits = client.get(reverse("students:credits")).content.decode()
    assert pku_student.name in credits and "广州市越秀区" in credits, credits[-3000:]
    output = tmp_path / "pku.xlsx"
    call_command("export_credits", "--university", "4111010001", "--output", str(output))
    assert load_workbook(output).active.max_row == 2  # the header and 越秀's student


def test_seed_demo_posts_tops_the_published_posts_up_and_they_can_be_found(db, client):
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = Post.objects.filter(status="published")
    target = published.count() + 40
    call_command("seed_demo", "--posts", str(target), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert published.count() == target
    assert seed_posts(count=target) == 0  # a second run adds nothing
    page = client.get(reverse("positions:search"), {"q": "（岗位演示）"}).content.decode()
    assert "共 40 个岗位" in page
