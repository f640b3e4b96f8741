"""What a dashboard shows, scoped: a region's figures by the units one level below it.

Every dashboard, national or county, is the same few queries whatever the number of counties
or students: the recounted season figures (`CountySeasonStats`), the quotas, and the milestone
standings, each grouped in the database or read as one row per county.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from dashboards.models import FUNNEL, CountySeasonStats
from positions.models import Region
from schedule.models import CountyQuota, Milestone, ProgrammeYear, UnitMilestone, year_in_force
from summary import five

NATIONAL = "national"
DASHBOARD_ROLES = (Role.PROVINCE, Role.CITY, Role.COUNTY)
CHILD_LEVEL = {None: "province", "province": "city", "city": "county", "county": None}
# Which quota standings count as which colour on the chart.
QUOTA_STATES = ("met", "on_track", "at_risk", "short")


def require_dashboard_reader(user) -> None:
    if not (user.is_superuser or (user.role in DASHBOARD_ROLES and user.region_id)):
        raise Http404


def home_code(user) -> str:
    require_dashboard_reader(user)
    if user.role in DASHBOARD_ROLES and user.region_id:
        return user.region.code
    return NATIONAL


def get_region_for_user(user, code: str) -> Region | None:
    """The region a dashboard is about (None: the whole country); 404 outside the user's reach."""
    require_dashboard_reader(user)
    if code == NATIONAL:
        if not user.is_superuser:
            raise Http404
        return None
    region = get_object_or_404(Region.objects.select_related("parent__parent"), code=code)
    if user.is_superuser:
        return region
    own = user.region_id
    if own not in (region.pk, region.parent_id) and not (
        region.parent and region.parent.parent_id == own
    ):
        raise Http404
    return region


def in_region(region: Region | None, path: str) -> Q:
    """Rows whose county (at `path`) lies in the region."""
    if region is None:
        return Q()
    depth = {"county": "", "city": "__parent", "province": "__parent__parent"}[region.level]
    return Q(**{f"{path}{depth}": region.pk})


def years_for(region: Region | None) -> list[int]:
    years = ProgrammeYear.objects.all()
    if region is not None:
        years = years.filter(province=_province_of(region))
    return sorted(set(years.values_list("year", flat=True)), reverse=True)


def _province_of(region: Region) -> Region:
    while region.level != "province" and region.parent is not None:
        region = region.parent
    return region


def default_year(years: list[int], today: datetime.date | None = None) -> int | None:
    """The programme year in force (it runs from April to the next March), else the latest."""
    in_force = year_in_force(today or timezone.localdate())
    return in_force if in_force in years else (years[0] if years else None)


@dataclass
class Row:
    """One unit's line on a dashboard: the funnel, the quotas and the ledger."""

    region: Region | None
    funnel: dict = field(default_factory=lambda: dict.fromkeys(FUNNEL, 0))
    contacts: int = 0
    ledger_size: int = 0
    returns: int = 0
    quota: int = 0
    quota_reported: int = 0
    counties: int = 0
    quota_states: dict = field(default_factory=lambda: dict.fromkeys(QUOTA_STATES, 0))

    @property
    def attainment(self) -> int | None:
        """Reported students against the quota, in percent (None without a quota)."""
        return round(100 * self.quota_reported / self.quota) if self.quota else None

    def add(self, other: "Row") -> None:
        for key in FUNNEL:
            self.funnel[key] += other.funnel[key]
        for key in QUOTA_STATES:
            self.quota_states[key] += other.quota_states[key]
        for name in ("contacts", "ledger_size", "returns", "quota", "quota_reported", "counties"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


def quota_state(quota) -> str:
    """met / short (final and below) / at_risk (the projection falls short) / on_track."""
    if quota["reported"] >= quota["quota"]:
        return "met"
    if quota["finalised_on"] is not None:
        return "short"
    return "at_risk" if quota["at_risk"] else "on_track"


@dataclass
class Dashboard:
    region: Region | None
    year: int | None
    season: str
    years: list[int]
    rows: list[Row]
    total: Row
    counties: list[dict]
    milestones: list[tuple[str, str]]
    matrix: list[tuple[Region | None, str, list[dict]]]
    refreshed_at: datetime.datetime | None

    @property
    def child_level(self) -> str | None:
        return CHILD_LEVEL[self.region.level if self.region else None]


def dashboard(region: Region | None, *, year: int | None, season: str = "") -> Dashboard:
    years = years_for(region)
    if year not in years:
        year = default_year(years)
    child_level = CHILD_LEVEL[region.level if region else None]
    children = _children(region, child_level)
    counties, refreshed_at = _county_figures(region, year, season)
    rows = {child.pk: Row(region=child) for child in children}
    total = Row(region=region)
    for county in counties:
        row = Row(
            region=None,
            funnel={key: county[key] for key in FUNNEL},
            contacts=county["contacts"],
            ledger_size=county["ledger_size"],
            returns=county["returns"],
            quota=county["quota"],
            quota_reported=county["quota_reported"],
            counties=1,
        )
        if county["quota_state"]:
            row.quota_states[county["quota_state"]] += 1
        total.add(row)
        key = county["child"]
        if key in rows:
            rows[key].add(row)
    milestones, matrix = _milestone_matrix(region, year, children)
    return Dashboard(
        region=region,
        year=year,
        season=season,
        years=years,
        rows=list(rows.values()),
        total=total,
        counties=counties,
        milestones=milestones,
        matrix=matrix,
        refreshed_at=refreshed_at,
    )


def _children(region: Region | None, level: str | None) -> list[Region]:
    if level is None:
        return [region] if region is not None else []
    found = Region.objects.filter(level=level)
    if region is not None:
        found = found.filter(parent=region)
    return list(found.order_by("code"))


CHILD_PATH = {None: "county__parent__parent_id", "province": "county__parent_id"}


def _county_figures(region, year, season) -> tuple[list[dict], datetime.datetime | None]:
    """Every county of the region: its figures summed over the chosen seasons, its quota and
    which child unit of the dashboard it belongs to. Two queries."""
    level = region.level if region else None
    child = CHILD_PATH.get(level, "county_id")
    stats = CountySeasonStats.objects.filter(
        in_region(region, "county"), season__programme_year__year=year
    )
    if season:
        stats = stats.filter(season__kind=season)
    sums = {key: Sum(key) for key in (*FUNNEL, "contacts")}
    # The ledger and return counts are per county (and year), repeated on each season's row.
    found = stats.values("county_id").annotate(
        **sums,
        ledger_size=Max("ledger_size"),
        returns=Max("returns"),
        refreshed_at=Min("refreshed_at"),
        child=F(child),
        code=F("county__code"),
        name=F("county__name"),
        city=F("county__parent__name"),
    )
    counties = {row["county_id"]: row for row in found.order_by("county__code")}
    quotas = CountyQuota.objects.filter(in_region(region, "region"), programme_year__year=year)
    for quota in quotas.values(
        "region_id",
        "quota",
        "reported",
        "at_risk",
        "finalised_on",
        child=F(child.replace("county", "region", 1)),
        code=F("region__code"),
        name=F("region__name"),
        city=F("region__parent__name"),
    ):
        row = counties.setdefault(
            quota["region_id"],
            {
                **dict.fromkeys((*FUNNEL, "contacts", "ledger_size", "returns"), 0),
                "county_id": quota["region_id"],
                "refreshed_at": None,
                "child": quota["child"],
                "code": quota["code"],
                "name": quota["name"],
                "city": quota["city"],
            },
        )
        row.update(quota=quota["quota"], quota_reported=quota["reported"])
        row["quota_state"] = quota_state(quota)
    for row in counties.values():
        row.setdefault("quota", 0)
        row.setdefault("quota_reported", 0)
        row.setdefault("quota_state", "")
    moments = [row["refreshed_at"] for row in counties.values() if row["refreshed_at"]]
    ordered = sorted(counties.values(), key=lambda row: row["code"])
    # The oldest count shown: a season or province whose recount keeps failing shows as stale.
    return ordered, min(moments) if moments else None


MATRIX_KEY = {
    None: {
        "province": "region_id",
        "city": "region__parent_id",
        "county": "region__parent__parent_id",
    },
    "province": {"province": "region_id", "city": "region_id", "county": "region__parent_id"},
    "city": {"city": "region_id", "county": "region_id"},
    "county": {"county": "region_id"},
}


def _milestone_matrix(region, year, children):
    """Units below the region × milestones: how many units are done (on time or late),
    overdue, pending or excused in each cell. The region's own row (本级) comes first where it has milestones."""
    level = region.level if region else None
    keys = MATRIX_KEY[level]
    units = UnitMilestone.objects.filter(
        milestone__programme_year__year=year, milestone__applies=True
    )
    if region is not None:
        units = units.filter(
            Q(region=region) | Q(region__parent=region) | Q(region__parent__parent=region)
        )
    key = Case(
        *[When(region__level=lvl, then=F(path)) for lvl, path in keys.items()],
        output_field=IntegerField(),
    )
    # A unit done after being flagged counts as 逾期完成, apart from those done on time.
    standing = Case(
        When(status="done", overdue_since__isnull=False, then=Value("done_late")),
        default=F("status"),
        output_field=CharField(),
    )
    cells: dict[tuple, dict] = {}
    codes = set()
    for found in (
        units.filter(region__level__in=list(keys))
        .annotate(unit_key=key, standing=standing)
        .values("unit_key", "milestone_id", "standing")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        codes.add(found["milestone_id"])
        cell = cells.setdefault(
            (found["unit_key"], found["milestone_id"]),
            {"done": 0, "done_late": 0, "overdue": 0, "pending": 0, "excused": 0},
        )
        cell[found["standing"]] += found["n"]
    # By milestone, not code: a province's own milestones share one code.
    milestones = [
        (m.pk, m.get_code_display())
        for m in Milestone.objects.filter(pk__in=codes).order_by("due", "pk")
    ]
    rows = []
    heads = [(region, _("本级"))] if region is not None and level != "county" else []
    for unit, label in [*heads, *[(child, child.name) for child in children]]:
        pk = unit.pk if unit else None
        line = [cells.get((pk, code)) for code, _label in milestones]
        if unit is region and not any(line):
            continue
        rows.append((unit, label, line))
    return milestones, rows


@dataclass
class FivePanel:
    """The dashboard's 五个一 panel: for a province or a city, how many of its counties stand
    where on each task; for a county, its own five tasks. Read through summary.five, so the
    figures are those of the matrix, the county's page and the scores."""

    programme_year: ProgrammeYear
    counties: int
    counts: dict[str, dict[str, int]]
    tasks: list  # a county's own five tasks (summary.five.Task)
    city_code: str = ""  # the matrix's city filter for a city's dashboard


def five_panel(region: Region | None, year: int | None) -> FivePanel | None:
    if region is None or year is None:
        return None
    programme_year = ProgrammeYear.objects.filter(province=_province_of(region), year=year).first()
    if programme_year is None:
        return None
    # The province's counties are county_figures' own; a city's go in as a subquery.
    counties: list[int] | QuerySet | None = None
    if region.level == "county":
        counties = [region.pk]
    elif region.level == "city":
        counties = Region.objects.filter(level="county", parent=region.pk).values("pk")
    found = five.year_tasks(programme_year, as_of=timezone.localdate(), counties=counties)
    rows = [tasks for _figures, tasks in found.values()]
    return FivePanel(
        programme_year=programme_year,
        counties=len(rows),
        counts=five.counts(rows),
        tasks=rows[0] if region.level == "county" and rows else [],
        city_code=region.code if region.level == "city" else "",
    )
