"""The year's figures per county, per city and per university, each from a few grouped queries whatever the
number of units (a province has ~180 county-level units, the country ~3,000): never a query per
unit. The arithmetic on them is in summary/scoring.py."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Sum

from accounts.models import User
from ledger.models import Channel, ContactLog, Entry, ExchangeEvent, ReturnRegistration
from positions.models import Post, Region
from schedule.models import CountyQuota, Milestone, Plan, ProgrammeYear, UnitMilestone
from students.models import (
    RATING_ORDER,
    Application,
    Clearance,
    Placement,
    Student,
    University,
)
from summary.models import CityActivity

DONE = UnitMilestone.Status.DONE
EXCUSED = UnitMilestone.Status.EXCUSED


def _grouped(queryset, key: str) -> dict[int, dict]:
    return {row.pop(key): row for row in queryset}


def county_figures(
    programme_year: ProgrammeYear,
    *,
    as_of: datetime.date,
    counties: Iterable[int] | QuerySet | None = None,
) -> dict[int, dict]:
    """{county id: figures} for every county-level unit of the year's province, or for those of
    `counties` (ids) that lie in it: one county's page reads the same code path as the matrix."""
    province = programme_year.province_id
    units = Region.objects.filter(level="county", parent__parent=province)
    if counties is not None:
        # A queryset stays a subquery (no query of its own); ids are taken as a list.
        units = units.filter(pk__in=counties if isinstance(counties, QuerySet) else list(counties))
    counties = list(units.values_list("pk", flat=True))
    quotas = {
        region: (quota, reported, finalised)
        for region, quota, reported, finalised in CountyQuota.objects.filter(
            programme_year=programme_year
        ).values_list("region_id", "quota", "reported", "finalised_on")
    }
    placements = _placements(programme_year)
    milestones = _milestones(programme_year, province, as_of)
    posts = _posts(programme_year)
    exchanges = _exchanges(programme_year, as_of)
    channels = _channels(province)
    ledger = _ledger(programme_year, province, as_of)
    returns = _returns(programme_year, province)
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
            "as_of": as_of.isoformat(),
            **_or_zero(returns.get(county), RETURN_FIGURES),
            **_or_zero(posts.get(county), POST_FIGURES),
            **_or_zero(exchanges.get(county), EXCHANGE_FIGURES),
            **_or_zero(channels.get(county), CHANNEL_FIGURES),
            **_or_zero(ledger.get(county), LEDGER_FIGURES),
            **milestones(county),
        }
    return figures


# The five tasks' (五个一) figures beside the placements: every page that shows a county's five
# tasks (its own page, the matrix, the dashboard, the score) reads them from county_figures.
POST_FIGURES = ("posts_published", "posts_headcount")
EXCHANGE_FIGURES = ("exchanges", "exchanges_planned", "exchange_attendance", "exchange_last")
CHANNEL_FIGURES = ("channels", "channel_members")
LEDGER_FIGURES = ("ledger_entries", "ledger_beyond_participants", "ledger_contacted")
RETURN_FIGURES = ("returns_verified", "returns_pending")


def _or_zero(row: dict | None, keys: tuple[str, ...]) -> dict:
    """The figures a county has no rows for are 0; a date is kept as text (Score.figures is
    JSON): the last exchange's day, or None."""
    row = row or {}
    figures = {key: row.get(key) or 0 for key in keys}
    if "exchange_last" in figures:
        last = row.get("exchange_last")
        figures["exchange_last"] = last.isoformat() if last else None
    return figures


def year_window(programme_year: ProgrammeYear) -> tuple[datetime.date, datetime.date]:
    """The days a programme year runs (schedule.models.year_in_force): April to the next March."""
    year = programme_year.year
    return datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31)


def _posts(programme_year: ProgrammeYear) -> dict[int, dict]:
    """1. 开发一批实践岗位: posts of the year's seasons that were published (closed ones too)."""
    return _grouped(
        Post.objects.filter(
            season__programme_year=programme_year,
            status__in=(Post.Status.PUBLISHED, Post.Status.CLOSED),
        )
        .values("host_unit__county_id")
        .annotate(posts_published=Count("id"), posts_headcount=Sum("headcount"))
        .order_by(),
        "host_unit__county_id",
    )


def _exchanges(programme_year: ProgrammeYear, as_of: datetime.date) -> dict[int, dict]:
    """2. 开展一次集中交流: events of the year held by `as_of`, those registered for a later
    day (planned), and the people who attended the held ones: the ledger's people (each once)
    and the others the county counted (leaders, departments: `attendance_extra`)."""
    events = ExchangeEvent.objects.filter(season__programme_year=programme_year)
    held = Q(date__lte=as_of)
    rows = _grouped(
        events.values("county_id")
        .annotate(
            exchanges=Count("id", filter=held),
            exchanges_planned=Count("id", filter=~held),
            attendance_extra=Sum("attendance_extra", filter=held),
            exchange_last=Max("date", filter=held),
        )
        .order_by(),
        "county_id",
    )
    people = dict(
        ExchangeEvent.attendees.through.objects.filter(exchangeevent__in=events.filter(held))
        .values_list("exchangeevent__county_id")
        .annotate(n=Count("entry_id", distinct=True))
        .order_by()
    )
    for county, row in rows.items():
        row["exchange_attendance"] = people.get(county, 0) + (row.pop("attendance_extra") or 0)
    return rows


def _channels(province: int) -> dict[int, dict]:
    """3. 建立一套联系机制: channels that reach someone, and the people they reach."""
    return _grouped(
        Channel.objects.filter(county__parent__parent=province, members__isnull=False)
        .values("county_id")
        .annotate(
            channels=Count("id", distinct=True), channel_members=Count("members", distinct=True)
        )
        .order_by(),
        "county_id",
    )


def _ledger(programme_year: ProgrammeYear, province: int, as_of: datetime.date) -> dict:
    """4. 建立一本联系台账: entries, those reached beyond the participants (who enter the ledger
    by themselves), and those contacted during the year."""
    starts, ends = year_window(programme_year)
    contacted = ContactLog.objects.filter(
        entry=OuterRef("pk"), date__gte=starts, date__lte=min(ends, as_of)
    )
    return _grouped(
        Entry.objects.filter(county__parent__parent=province)
        .values("county_id")
        .annotate(
            ledger_entries=Count("id"),
            ledger_beyond_participants=Count("id", filter=Q(student__isnull=True)),
            ledger_contacted=Count("id", filter=Q(Exists(contacted))),
        )
        .order_by(),
        "county_id",
    )


def _returns(programme_year: ProgrammeYear, province: int) -> dict[int, dict]:
    """5. 落实一批返乡就业: the year's registrations the county verified, and those waiting."""
    status = ReturnRegistration.Status
    return _grouped(
        ReturnRegistration.objects.filter(
            entry__county__parent__parent=province, year=programme_year.year
        )
        .values("entry__county_id")
        .annotate(
            returns_verified=Count("id", filter=Q(status=status.VERIFIED)),
            returns_pending=Count("id", filter=Q(status=status.PENDING)),
        )
        .order_by(),
        "entry__county_id",
    )


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
    per province, most of which never appear). Its students count wherever they applied and
    practised in that calendar year (a student from another province practises in their own
    home county).

    applicants: its students who applied this year (宣传动员); clearance_due / cleared_on_time:
    placements not dropped, and those whose student had the school-performance certificate and
    the safety training by the post's first day; completed / credited: completed placements,
    and those earning credits under a rule the university set itself (学分认定)."""
    taking_part = Exists(Student.objects.filter(university=OuterRef("pk"))) | Exists(
        User.objects.filter(university=OuterRef("pk"), is_active=True)
    )
    universities = list(
        University.objects.filter(taking_part, province=programme_year.province_id).values_list(
            "pk", flat=True
        )
    )
    counts = _university_placements(programme_year)
    applicants = dict(
        Application.objects.filter(
            season__programme_year__year=programme_year.year,
            student__university__province=programme_year.province_id,
        )
        .values_list("student__university_id")
        .annotate(n=Count("student_id", distinct=True))
        .order_by()
    )
    empty = dict.fromkeys(("placements", "completed", "credited", "clearance_due"), 0)
    return {
        university: {
            **empty,
            "cleared_on_time": 0,
            **counts.get(university, {}),
            "applicants": applicants.get(university, 0),
        }
        for university in universities
    }


def _credited() -> Q:
    """A completed placement that earns credits under its university's own rule (CreditRule:
    at least half a credit's hours, a rating not below the rule's lowest)."""
    rule = "student__university__credit_rule__"
    ratings = Q()
    for position, lowest in enumerate(RATING_ORDER):
        if lowest != "fail":
            ratings |= Q(**{f"{rule}min_rating": lowest}, rating__in=RATING_ORDER[position:])
    return (
        Q(status=Placement.Status.COMPLETED, **{f"{rule}isnull": False})
        & Q(double_hours__gte=F(f"{rule}hours_per_credit"))
        & ratings
    )


def _university_placements(programme_year: ProgrammeYear) -> dict[int, dict]:
    cleared = Clearance.objects.filter(
        student=OuterRef("student_id"),
        season=OuterRef("season_id"),
        performance_certified_at__date__lte=OuterRef("post__starts_on"),
        safety_trained_at__date__lte=OuterRef("post__starts_on"),
    )
    active = ~Q(status=Placement.Status.DROPPED)
    return _grouped(
        Placement.objects.filter(
            season__programme_year__year=programme_year.year,
            student__university__province=programme_year.province_id,
        )
        .annotate(double_hours=F("hours") * 2)
        .values("student__university_id")
        .annotate(
            placements=Count("id"),
            completed=Count("id", filter=Q(status=Placement.Status.COMPLETED)),
            credited=Count("id", filter=_credited()),
            clearance_due=Count("id", filter=active),
            cleared_on_time=Count("id", filter=active & Q(Exists(cleared))),
        )
        .order_by(),
        "student__university_id",
    )


def city_figures(
    programme_year: ProgrammeYear, *, as_of: datetime.date, county_points: dict[int, Decimal]
) -> dict[int, dict]:
    """{city id: figures} for every city of the year's province, from its counties' computed
    points (the recomputation has them in hand: no query per county) and its own work: its
    plan (实施方案: the calendar's plan milestone done on time, the province's approval) and its
    activities held by `as_of` (示范活动 count; the others are shown)."""
    province = programme_year.province_id
    counties: dict[int, list[int]] = {}
    for county, city in Region.objects.filter(level="county", parent__parent=province).values_list(
        "pk", "parent_id"
    ):
        counties.setdefault(city, []).append(county)
    cities = Region.objects.filter(level="city", parent=province).values_list("pk", flat=True)
    on_time = set(
        UnitMilestone.objects.filter(
            milestone__programme_year=programme_year,
            milestone__code=Milestone.Code.PLAN,
            milestone__applies=True,
            region__parent=province,
            status=DONE,
            overdue_since__isnull=True,
        ).values_list("region_id", flat=True)
    )
    approved = set(
        Plan.objects.filter(
            programme_year=programme_year, region__parent=province, status=Plan.Status.APPROVED
        ).values_list("region_id", flat=True)
    )
    activities = _city_activities(programme_year, as_of)
    figures = {}
    for city in cities:
        own = counties.get(city, [])
        points = sum((county_points.get(c, Decimal(0)) for c in own), Decimal(0))
        figures[city] = {
            "counties": len(own),
            "county_points": float(points),
            "county_points_max": 100 * len(own),
            "plan_on_time": int(city in on_time),
            "plan_approved": int(city in approved),
            "plan_points": int(city in on_time) + int(city in approved),
            "plan_points_max": 2,
            **_or_zero(activities.get(city), ACTIVITY_FIGURES),
            "as_of": as_of.isoformat(),
        }
    return figures


ACTIVITY_FIGURES = ("demonstrations", "homecomings", "other_activities")


def _city_activities(programme_year: ProgrammeYear, as_of: datetime.date) -> dict[int, dict]:
    kinds = CityActivity.Kind
    return _grouped(
        CityActivity.objects.filter(programme_year=programme_year, held_on__lte=as_of)
        .values("city_id")
        .annotate(
            demonstrations=Count("id", filter=Q(kind=kinds.DEMONSTRATION)),
            homecomings=Count("id", filter=Q(kind=kinds.HOMECOMING)),
            other_activities=Count("id", filter=Q(kind=kinds.OTHER)),
        )
        .order_by(),
        "city_id",
    )
