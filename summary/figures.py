"""The year's figures per county and per university, each from a few grouped queries whatever the
number of units (a province has ~180 county-level units, the country ~3,000): never a query per
unit. The arithmetic on them is in summary/scoring.py."""

import datetime

from django.db.models import Count, Exists, OuterRef, Q

from accounts.models import User
from ledger.models import Entry, ReturnRegistration
from positions.models import Region
from schedule.models import CountyQuota, Milestone, ProgrammeYear, UnitMilestone
from students.models import Clearance, Placement, Student, University

DONE = UnitMilestone.Status.DONE
EXCUSED = UnitMilestone.Status.EXCUSED


def _grouped(queryset, key: str) -> dict[int, dict]:
    return {row.pop(key): row for row in queryset}


def county_figures(programme_year: ProgrammeYear, *, as_of: datetime.date) -> dict[int, dict]:
    """{county id: figures} for every county-level unit of the year's province."""
    province = programme_year.province_id
    counties = list(
        Region.objects.filter(level="county", parent__parent=province).values_list("pk", flat=True)
    )
    quotas = {
        region: (quota, reported, finalised)
        for region, quota, reported, finalised in CountyQuota.objects.filter(
            programme_year=programme_year
        ).values_list("region_id", "quota", "reported", "finalised_on")
    }
    placements = _placements(programme_year)
    milestones = _milestones(programme_year, province, as_of)
    ledger = dict(
        Entry.objects.filter(county__parent__parent=province)
        .values_list("county_id")
        .annotate(n=Count("id"))
    )
    returns = dict(
        ReturnRegistration.objects.filter(
            entry__county__parent__parent=province,
            year=programme_year.year,
            status=ReturnRegistration.Status.VERIFIED,
        )
        .values_list("entry__county_id")
        .annotate(n=Count("id"))
    )
    figures = {}
    for county in counties:
        quota, frozen, finalised = quotas.get(county, (programme_year.quota_per_county, 0, None))
        counts = placements.get(county, {})
        figures[county] = {
            "quota": quota,
            # Once the calendar froze the year's quota row, its figure is the official one.
            "reported": frozen if finalised else counts.get("reported", 0),
            "placements": counts.get("placements", 0),
            "completed": counts.get("completed", 0),
            "dropped": counts.get("dropped", 0),
            "ledger_entries": ledger.get(county, 0),
            "returns_verified": returns.get(county, 0),
            "as_of": as_of.isoformat(),
            **milestones(county),
        }
    return figures


def _placements(programme_year: ProgrammeYear) -> dict[int, dict]:
    """Per county of the post: placements, completed, dropped, and students reported (counted
    once each, as the calendar's quota does)."""
    return _grouped(
        Placement.objects.filter(season__programme_year=programme_year)
        .values("post__host_unit__county_id")
        .annotate(
            placements=Count("id"),
            completed=Count("id", filter=Q(status=Placement.Status.COMPLETED)),
            dropped=Count("id", filter=Q(status=Placement.Status.DROPPED)),
            reported=Count("student_id", distinct=True, filter=Q(reported_at__isnull=False)),
        )
        .order_by(),
        "post__host_unit__county_id",
    )


def _milestones(programme_year: ProgrammeYear, province: int, as_of: datetime.date):
    """A function giving a county's milestones due and done on time.

    A county milestone counts when it is done (early counts too) or when its date (the
    extended one, if granted) is before `as_of`; excused ones never count. A milestone whose
    unit row was never made is counted as not done once its date has passed."""
    # Only the milestones counties must meet: not the summary, the cities' and universities'
    # quarterly reports, nor a province's own milestone not meant for counties.
    applicable = (
        Milestone.objects.filter(programme_year=programme_year, applies=True)
        .exclude(code=Milestone.Code.SUMMARY)
        .exclude(code__startswith="progress_")
        .exclude(code=Milestone.Code.CUSTOM, for_county=False)
    )
    past = sum(1 for due in applicable.values_list("due", flat=True) if due < as_of)
    past_due = Q(extended_to__lt=as_of) | Q(extended_to__isnull=True, milestone__due__lt=as_of)
    rows = _grouped(
        UnitMilestone.objects.filter(
            milestone__in=applicable, region__level="county", region__parent__parent=province
        )
        .values("region_id")
        .annotate(
            done=Count("id", filter=Q(status=DONE)),
            on_time=Count("id", filter=Q(status=DONE, overdue_since__isnull=True)),
            open_past_due=Count("id", filter=~Q(status__in=[DONE, EXCUSED]) & past_due),
            present_past=Count("id", filter=Q(milestone__due__lt=as_of)),
        )
        .order_by(),
        "region_id",
    )

    def of(county: int) -> dict:
        row = rows.get(county, {})
        missing = past - row.get("present_past", 0)
        return {
            "milestones_due": row.get("done", 0) + row.get("open_past_due", 0) + missing,
            "milestones_on_time": row.get("on_time", 0),
        }

    return of


def university_figures(programme_year: ProgrammeYear) -> dict[int, dict]:
    """{university id: figures} for every university of the year's province that takes part:
    it has students on the portal or a 高校团委 account (the national register lists 150-odd
    per province, most of which never appear). Its students' placements count wherever they
    practised in that calendar year (a student from another province practises in their own
    home county)."""
    taking_part = Exists(Student.objects.filter(university=OuterRef("pk"))) | Exists(
        User.objects.filter(university=OuterRef("pk"), is_active=True)
    )
    universities = list(
        University.objects.filter(taking_part, province=programme_year.province_id).values_list(
            "pk", flat=True
        )
    )
    cleared = Clearance.objects.filter(
        student=OuterRef("student_id"),
        season=OuterRef("season_id"),
        performance_certified_at__date__lte=OuterRef("post__starts_on"),
        safety_trained_at__date__lte=OuterRef("post__starts_on"),
    )
    active = ~Q(status=Placement.Status.DROPPED)
    counts = _grouped(
        Placement.objects.filter(
            season__programme_year__year=programme_year.year,
            student__university__province=programme_year.province_id,
        )
        .values("student__university_id")
        .annotate(
            placements=Count("id"),
            completed=Count("id", filter=Q(status=Placement.Status.COMPLETED)),
            excellent=Count(
                "id",
                filter=Q(status=Placement.Status.COMPLETED, rating=Placement.Rating.EXCELLENT),
            ),
            participants=Count("student_id", distinct=True, filter=active),
            clearance_due=Count("id", filter=active),
            cleared_on_time=Count("id", filter=active & Q(Exists(cleared))),
        )
        .order_by(),
        "student__university_id",
    )
    most = max((row["participants"] for row in counts.values()), default=0)
    empty = {
        "placements": 0,
        "completed": 0,
        "excellent": 0,
        "participants": 0,
        "clearance_due": 0,
        "cleared_on_time": 0,
    }
    return {
        university: {**empty, **counts.get(university, {}), "max_participants": most}
        for university in universities
    }
