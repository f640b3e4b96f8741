"""Reading the calendar, scoped: a unit's own staff and the levels above it read; the province
writes dates, extensions and excuses; the level directly above reviews plans."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Max, Min, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Access, capabilities_for
from accounts.models import Role
from fanjiaxiang.params import year_param
from fanjiaxiang.todo import Todo
from positions.models import Region
from schedule.models import (
    CountyQuota,
    Milestone,
    Plan,
    ProgrammeYear,
    ProgressReport,
    Season,
    UnitMilestone,
    year_in_force,
    years_enforced,
)
from students.models import Student, University

CALENDAR_ROLES = (Role.PROVINCE, Role.CITY, Role.COUNTY)


def require_calendar_reader(user) -> None:
    if user.role not in CALENDAR_ROLES or user.region_id is None:
        raise Http404


def user_province(user) -> Region:
    region = user.region
    while region.level != "province":
        region = region.parent
    return region


def reaches(user, region: Region) -> bool:
    """The user's own unit or a unit below it."""
    if user.role not in CALENDAR_ROLES or user.region_id is None:
        return False
    return user.region_id in (region.pk, region.parent_id) or (
        region.parent is not None and region.parent.parent_id == user.region_id
    )


def programme_years_for_user(user):
    require_calendar_reader(user)
    return ProgrammeYear.objects.filter(province=user_province(user)).order_by("-year")


def current_programme_year(user, year: str | None = None) -> ProgrammeYear | None:
    """The year asked for, else the one in force (a year runs from its plans in spring to its
    summary the next March), else the latest."""
    years = programme_years_for_user(user)
    if year:
        number = year_param(year)
        return get_object_or_404(years, year=number) if number is not None else None
    return years.filter(year=year_in_force(timezone.localdate())).first() or years.first()


def get_programme_year_for_user(user, pk: int) -> tuple[ProgrammeYear, Access]:
    programme_year = get_object_or_404(programme_years_for_user(user), pk=pk)
    return programme_year, Access(can_write=capabilities_for(user).can_edit_calendar)


def is_own_unit(user, unit: UnitMilestone) -> bool:
    """The unit is the user's own committee: its region's staff, or its university's."""
    if unit.university_id is not None:
        return user.role == Role.UNIVERSITY and user.university_id == unit.university_id
    return user.role in CALENDAR_ROLES and user.region_id == unit.region_id


def get_unit_for_user(user, pk: int) -> tuple[UnitMilestone, Access]:
    """A unit's standing on a milestone: read by the unit and the levels above (a university's
    by its province); the province may extend or excuse it; the unit itself marks a province's
    own milestone done."""
    unit = get_object_or_404(
        UnitMilestone.objects.select_related(
            "region__parent__parent", "university", "milestone__programme_year"
        ),
        pk=pk,
    )
    own = is_own_unit(user, unit)
    if unit.university_id is not None:
        province_id = unit.milestone.programme_year.province_id
        visible = own or (user.role == Role.PROVINCE and user.region_id == province_id)
    else:
        visible = unit.region is not None and reaches(user, unit.region)
    if not visible:
        raise Http404
    open_ = unit.status in (UnitMilestone.Status.PENDING, UnitMilestone.Status.OVERDUE)
    return unit, Access(
        can_write=capabilities_for(user).can_edit_calendar,
        can_mark_done=own and unit.milestone.is_custom and open_,
    )


def get_custom_milestone_for_user(user, pk: int) -> tuple[Milestone, Access]:
    """A province's own milestone: read by the province's committees, edited by the province."""
    years = programme_years_for_user(user)
    milestone = get_object_or_404(
        Milestone.objects.select_related("programme_year__province").filter(
            programme_year__in=years, code=Milestone.Code.CUSTOM
        ),
        pk=pk,
    )
    return milestone, Access(can_write=capabilities_for(user).can_edit_calendar)


def get_plan_for_user(user, pk: int) -> tuple[Plan, Access]:
    """A plan is read by its unit and the levels above; reviewed by the level directly above."""
    plan = get_object_or_404(
        Plan.objects.select_related("region__parent__parent", "programme_year", "reviewed_by"),
        pk=pk,
    )
    if not reaches(user, plan.region):
        raise Http404
    return plan, Access(can_review=user.region_id == plan.region.parent_id)


def require_reviewer(can_review: bool) -> None:
    if not can_review:
        raise PermissionDenied


def units_in_view(user, programme_year: ProgrammeYear, city: Region | None = None):
    """The rows of the compliance matrix: the user's own unit and every unit below it."""
    region = user.region
    if user.role == Role.COUNTY:
        return [region]
    if user.role == Role.CITY:
        return [region, *Region.objects.filter(parent=region, level="county").order_by("code")]
    cities = list(Region.objects.filter(parent=region, level="city").order_by("code"))
    if city is not None:
        cities = [each for each in cities if each.pk == city.pk]
    counties: dict[int | None, list[Region]] = {each.pk: [] for each in cities}
    for county in Region.objects.filter(parent__in=cities, level="county").order_by("code"):
        counties[county.parent_id].append(county)
    rows = [region]
    for each in cities:
        rows += [each, *counties[each.pk]]
    return rows


def matrix(programme_year: ProgrammeYear, regions: list[Region]) -> tuple[list, list]:
    """Units × milestones: (milestones, [(region, [UnitMilestone | None per milestone])])."""
    milestones = list(programme_year.milestones.order_by("due", "id"))
    found = {
        (u.milestone_id, u.region_id): u
        for u in UnitMilestone.objects.filter(
            milestone__programme_year=programme_year, region__in=[r.pk for r in regions]
        ).select_related("milestone")
    }
    rows = []
    for region in regions:
        cells = []
        for milestone in milestones:
            applies = milestone.applies and region.level in milestone.levels
            cells.append(
                (milestone, found.get((milestone.pk, region.pk)) if applies else None, applies)
            )
        rows.append((region, cells))
    return milestones, rows


def university_matrix(programme_year: ProgrammeYear) -> tuple[list, list]:
    """The universities × their milestones (quarterly reports, the province's own for
    universities), for the province: the universities with a row, by name. Two queries."""
    milestones = [
        m
        for m in programme_year.milestones.order_by("due", "id")
        if m.applies and "university" in m.levels
    ]
    found: dict[int | None, dict[int, UnitMilestone]] = {}
    universities = {}
    for unit in (
        UnitMilestone.objects.filter(milestone__in=[m.pk for m in milestones])
        .exclude(university=None)
        .select_related("university")
    ):
        if unit.university is None:
            continue
        universities[unit.university_id] = unit.university
        found.setdefault(unit.university_id, {})[unit.milestone_id] = unit
    rows = [
        (university, [(m, found[university.pk].get(m.pk), True) for m in milestones])
        for university in sorted(universities.values(), key=lambda u: u.name)
    ]
    return milestones, rows


def quotas_in_view(user, programme_year: ProgrammeYear):
    quotas = CountyQuota.objects.filter(programme_year=programme_year).select_related(
        "region__parent"
    )
    if user.role == Role.COUNTY:
        return quotas.filter(region=user.region)
    if user.role == Role.CITY:
        return quotas.filter(region__parent=user.region)
    return quotas.filter(region__parent__parent=user.region)


def plans_to_review(user, programme_year: ProgrammeYear):
    return (
        Plan.objects.filter(programme_year=programme_year, region__parent=user.region)
        .select_related("region")
        .order_by("status", "region__code")
    )


def _below(user) -> Q:
    """The units below a committee; for the province, the universities of its programme too
    (every unit of a year of its province is of its programme)."""
    below = Q(region__parent=user.region_id) | Q(region__parent__parent=user.region_id)
    if user.role == Role.PROVINCE:
        below |= Q(university__isnull=False)
    return below


def milestone_codes() -> list:
    return list(Milestone.Code)


def home_standing(user, today: datetime.date | None = None) -> dict | None:
    """What a committee's home page says about the calendar of the year in force: its own
    milestones that are late (逾期) or were done late (逾期完成), its next date, and for a city
    or the province how many units below are late on each milestone. None for other roles."""
    if user.role not in CALENDAR_ROLES or user.region_id is None:
        return None
    today = today or timezone.localdate()
    programme_year = ProgrammeYear.objects.filter(
        province=user_province(user), year=year_in_force(today)
    ).first()
    if programme_year is None:
        return None
    in_force = UnitMilestone.objects.filter(
        milestone__programme_year=programme_year, milestone__applies=True
    ).select_related("milestone")
    own = list(in_force.filter(region_id=user.region_id).order_by("milestone__due", "pk"))
    late = [u for u in own if u.status == UnitMilestone.Status.OVERDUE or u.done_late]
    upcoming = [u for u in own if u.status == UnitMilestone.Status.PENDING and u.due >= today]
    below = []
    if capabilities_for(user).can_see_compliance:
        finished_late = Q(status=UnitMilestone.Status.DONE, overdue_since__isnull=False)
        counted = (
            in_force.filter(_below(user))
            .values("milestone_id")
            .annotate(
                overdue=Count("pk", filter=Q(status=UnitMilestone.Status.OVERDUE)),
                finished_late=Count("pk", filter=finished_late),
            )
            .filter(Q(overdue__gt=0) | Q(finished_late__gt=0))
            .order_by()
        )
        milestones = programme_year.milestones.in_bulk([row["milestone_id"] for row in counted])
        below = sorted(
            (
                (milestones[row["milestone_id"]], row["overdue"], row["finished_late"])
                for row in counted
            ),
            key=lambda item: (item[0].due, item[0].pk),
        )
    return {
        "programme_year": programme_year,
        "late": late,
        "next": min(upcoming, key=lambda u: u.due) if upcoming else None,
        "below": below,
        "today": today,
    }


def stage_due(
    *, season: Season, stage: str, county_id: int, locked_only: bool = False
) -> datetime.date | None:
    """The date by which `county_id` is to finish `stage` (posts or match) of `season`: the
    milestone's date or the county's extension; None when the season has no such milestone in
    force (or, with `locked_only`, none the province locked)."""
    milestones = Milestone.objects.filter(
        season=season, code=f"{season.kind}_{stage}", applies=True
    )
    if locked_only:
        milestones = milestones.filter(hard_lock=True)
    milestone = milestones.only("pk", "due").first()
    if milestone is None:
        return None
    extended = (
        UnitMilestone.objects.filter(milestone=milestone, region_id=county_id)
        .values_list("extended_to", flat=True)
        .first()
    )
    return extended or milestone.due


def stage_due_expression(
    stage: str, *, season: str = "season", county: str = "county", locked_only: bool = False
):
    """stage_due as an expression over rows that name a season and a county (a post:
    season="season", county="host_unit__county"), so a list shows each row's date in one
    query: the county's extension, else the milestone's date; None without the milestone
    (or, with `locked_only`, without one the province locked)."""
    code = Concat(OuterRef(f"{season}__kind"), Value(f"_{stage}"), output_field=CharField())
    locked = {"hard_lock": True} if locked_only else {}
    milestone = Milestone.objects.filter(season=OuterRef(season), code=code, applies=True, **locked)
    extension = UnitMilestone.objects.filter(
        milestone__season=OuterRef(season),
        milestone__code=code,
        milestone__applies=True,
        **{f"milestone__{k}": v for k, v in locked.items()},
        region=OuterRef(county),
        extended_to__isnull=False,
    ).values("extended_to")[:1]
    return Coalesce(Subquery(extension), Subquery(milestone.values("due")[:1]))


def stage_late_since(
    *, season, stage: str, county_id: int, today: datetime.date | None = None
) -> datetime.date | None:
    """The date `county_id` was to finish `stage` of `season` by, when that date has passed
    (work done now is late: accepted, and the calendar shows the county 逾期); else None."""
    today = today or timezone.localdate()
    due = stage_due(season=season, stage=stage, county_id=county_id)
    return due if due is not None and today > due else None


# The home page's to-do list (工作台) -----------------------------------------------------------


def stage_due_nearest(
    *, season_ids, stage: str, region_id: int | None = None
) -> datetime.date | None:
    """The earliest date by which `stage` (posts or match) of these seasons is to be done: each
    milestone's date, or the county's extension of it. Two queries whatever the seasons."""
    milestones = {
        m.pk: m.due
        for m in Milestone.objects.filter(
            season__in=list(season_ids),
            code__in=[f"{kind}_{stage}" for kind in Season.Kind.values],
            applies=True,
        ).only("pk", "due")
    }
    if not milestones:
        return None
    if region_id is not None:
        extended = UnitMilestone.objects.filter(
            milestone__in=list(milestones), region_id=region_id, extended_to__isnull=False
        ).values_list("milestone_id", "extended_to")
        milestones.update({pk: day for pk, day in extended if day is not None})
    return min(milestones.values())


def _years_enforced_of(user, today: datetime.date):
    return ProgrammeYear.objects.filter(
        province=user_province(user), year__in=years_enforced(today)
    )


def todos_for_committee(user, today: datetime.date) -> list[Todo]:
    """A committee's own calendar work: its plan to submit (or to redo), its late milestones;
    and for a city or the province, the units below that are late and the plans waiting for
    its review. Empty for other roles."""
    if user.role not in CALENDAR_ROLES or user.region_id is None:
        return []
    years = _years_enforced_of(user, today)
    own = UnitMilestone.objects.filter(
        milestone__programme_year__in=years, region_id=user.region_id
    )
    todos = [
        *_plan_todos(user, years),
        *_onboarding_todos(user, years),
        *_own_overdue_todos(user, years),
        *_unit_work_todos(own, today),
    ]
    if capabilities_for(user).can_review_plans:
        todos += _review_todos(user, years)
    return todos


WORK_AHEAD_DAYS = 14  # a quarterly report or a province's own date shows up two weeks ahead


def todos_for_university_calendar(user, today: datetime.date) -> list[Todo]:
    """A university's quarterly reports and the province's own milestones for universities, in
    every province whose programme it takes part in. Empty for other roles."""
    if user.role != Role.UNIVERSITY or user.university_id is None:
        return []
    own = UnitMilestone.objects.filter(
        milestone__programme_year__year__in=years_enforced(today),
        university_id=user.university_id,
    )
    return _unit_work_todos(own, today)


def _unit_work_todos(units, today: datetime.date) -> list[Todo]:
    """One item per quarterly report to submit and per province's own milestone to mark done:
    late ones, and those due within WORK_AHEAD_DAYS."""
    soon = today + datetime.timedelta(days=WORK_AHEAD_DAYS)
    due = Coalesce("extended_to", "milestone__due")
    found = (
        units.filter(
            Q(milestone__code__startswith="progress_") | Q(milestone__code=Milestone.Code.CUSTOM),
            milestone__applies=True,
            status__in=(UnitMilestone.Status.PENDING, UnitMilestone.Status.OVERDUE),
        )
        .annotate(unit_due=due)
        .filter(Q(status=UnitMilestone.Status.OVERDUE) | Q(unit_due__lte=soon))
        .select_related("milestone__programme_year__province")
        .order_by("unit_due", "pk")
    )
    todos = []
    for unit in found:
        milestone = unit.milestone
        if milestone.is_progress:
            title = _("报送%(year)s%(quarter)s项目推进表") % {
                "year": milestone.programme_year,
                "quarter": milestone.short_name,
            }
            url = reverse(
                "schedule:progress_edit", args=[milestone.programme_year_id, milestone.quarter]
            )
            action = _("填写推进表")
        else:
            title = _("完成“%(milestone)s”后标记完成") % {"milestone": milestone.get_code_display()}
            url = reverse("schedule:unit_done", args=[unit.pk])
            action = _("标记完成")
        if unit.university_id:
            title = f"{milestone.programme_year.province.name}：{title}"
        todos.append(
            Todo(
                key=f"unit_work_{unit.pk}",
                title=title,
                count=1,
                url=url,
                action=action,
                due=unit.due,
                due_label=_("截止"),
                urgent=unit.status == UnitMilestone.Status.OVERDUE or unit.due <= today,
            )
        )
    return todos


def _onboarding_todos(user, years) -> list[Todo]:
    """入驻: the county confirms it is on the portal with named staff, on its own page."""
    if not capabilities_for(user).can_confirm_onboarding:
        return []
    unit = (
        UnitMilestone.objects.filter(
            milestone__programme_year__in=years,
            milestone__code=Milestone.Code.ONBOARD,
            milestone__applies=True,
            region_id=user.region_id,
            status__in=(UnitMilestone.Status.PENDING, UnitMilestone.Status.OVERDUE),
        )
        .select_related("milestone__programme_year")
        .order_by("milestone__due")
        .first()
    )
    if unit is None:
        return []
    return [
        Todo(
            key="onboard",
            title=_("确认入驻平台：核对工作人员和联系方式"),
            count=1,
            url=f"{reverse('schedule:onboarding')}?year={unit.milestone.programme_year.year}",
            action=_("确认入驻"),
            due=unit.due,
            due_label=_("截止"),
            urgent=unit.status == UnitMilestone.Status.OVERDUE,
        )
    ]


def _plan_todos(user, years) -> list[Todo]:
    if not capabilities_for(user).can_submit_plan:
        return []
    due_units = list(
        UnitMilestone.objects.filter(
            milestone__programme_year__in=years,
            milestone__code=Milestone.Code.PLAN,
            milestone__applies=True,
            region_id=user.region_id,
            status__in=(UnitMilestone.Status.PENDING, UnitMilestone.Status.OVERDUE),
        ).select_related("milestone__programme_year")
    )
    returned = list(
        Plan.objects.filter(
            programme_year__in=years, region_id=user.region_id, status=Plan.Status.RETURNED
        ).select_related("programme_year")
    )
    todos = []
    if due_units:
        unit = min(due_units, key=lambda u: u.due)
        year = unit.milestone.programme_year.year
        todos.append(
            Todo(
                key="plan_submit",
                title=_("提交%(year)s年度实施方案") % {"year": year},
                count=len(due_units),
                url=f"{reverse('schedule:plan')}?year={year}",
                action=_("上传实施方案"),
                due=unit.due,
                due_label=_("截止"),
                urgent=unit.status == UnitMilestone.Status.OVERDUE,
            )
        )
    for plan in returned:
        year = plan.programme_year.year
        todos.append(
            Todo(
                key="plan_returned",
                title=_("实施方案被退回，按审核意见修改后重新提交"),
                count=1,
                url=f"{reverse('schedule:plan')}?year={year}",
                action=_("查看审核意见"),
                due=plan.reviewed_at,
                due_label=_("退回于"),
                urgent=True,
            )
        )
    return todos


def _own_overdue_todos(user, years) -> list[Todo]:
    late = UnitMilestone.objects.filter(
        milestone__programme_year__in=years,
        milestone__applies=True,
        region_id=user.region_id,
        status=UnitMilestone.Status.OVERDUE,
    ).select_related("milestone__programme_year")
    # The quarterly reports and the province's own milestones have their own items.
    late = late.exclude(milestone__code__startswith="progress_").exclude(
        milestone__code=Milestone.Code.CUSTOM
    )
    caps = capabilities_for(user)
    if caps.can_submit_plan:  # the plan has its own item, shown late in red
        late = late.exclude(milestone__code=Milestone.Code.PLAN)
    if caps.can_confirm_onboarding:  # and so has 入驻
        late = late.exclude(milestone__code=Milestone.Code.ONBOARD)
    overdue = list(late)
    if not overdue:
        return []
    first = min(overdue, key=lambda u: u.due)
    names = "、".join(u.milestone.get_code_display() for u in sorted(overdue, key=lambda u: u.due))
    return [
        Todo(
            key="own_overdue",
            title=_("逾期未完成的工作节点：%(names)s") % {"names": names},
            count=len(overdue),
            url=f"{reverse('schedule:calendar')}?year={first.milestone.programme_year.year}",
            action=_("查看工作日程"),
            due=first.due,
            due_label=_("应于"),
            urgent=True,
        )
    ]


def _review_todos(user, years) -> list[Todo]:
    """Units below that are late, and the plans of the level directly below to review."""
    todos = []
    late = (
        UnitMilestone.objects.filter(
            _below(user),
            milestone__programme_year__in=years,
            milestone__applies=True,
            status=UnitMilestone.Status.OVERDUE,
        )
        .order_by()
        .aggregate(
            units=Count("region", distinct=True),
            first=Min("milestone__due"),
            year=Max("milestone__programme_year__year"),
        )
    )
    if late["units"]:
        todos.append(
            Todo(
                key="below_overdue",
                title=_("下级单位有工作节点逾期，督促其完成"),
                count=late["units"],
                url=f"{reverse('schedule:calendar')}?year={late['year']}&status=overdue",
                action=_("查看逾期单位"),
                due=late["first"],
                due_label=_("最早应于"),
                urgent=True,
            )
        )
    plans = list(
        Plan.objects.filter(
            programme_year__in=years,
            region__parent=user.region_id,
            status=Plan.Status.SUBMITTED,
        )
        .select_related("programme_year")
        .order_by("submitted_at", "pk")
    )
    if plans:
        first = plans[0]
        url = (
            reverse("schedule:plan_detail", args=[first.pk])
            if len(plans) == 1
            else f"{reverse('schedule:calendar')}?year={first.programme_year.year}#plans-to-review"
        )
        todos.append(
            Todo(
                key="plans_review",
                title=_("审核下级单位提交的实施方案"),
                count=len(plans),
                url=url,
                action=_("审核实施方案"),
                due=first.submitted_at,
                due_label=_("最早提交于"),
            )
        )
    return todos


# Quarterly progress reports (项目推进表) --------------------------------------------------------


def programme_universities(province_id: int):
    """The universities taking part in a province's programme: those located in the province
    and those where students from the province (by 生源地) have registered. One query."""
    from_province = Student.objects.filter(hometown__parent__parent_id=province_id)
    return University.objects.filter(
        Q(province_id=province_id) | Q(pk__in=from_province.values("university_id"))
    )


def university_programme_years(user):
    """The programme years a university takes part in: its own province's and those of the
    provinces its registered students come from. One query."""
    if user.role != Role.UNIVERSITY or user.university_id is None:
        raise Http404
    university = user.university
    provinces = Student.objects.filter(university=university).values("hometown__parent__parent_id")
    return ProgrammeYear.objects.filter(
        Q(province_id=university.province_id) | Q(province_id__in=provinces)
    ).select_related("province")


def _report_reader(user, report: ProgressReport) -> tuple[bool, bool]:
    """(may read, is the reporting unit)."""
    if user.role == Role.PROVINCE:
        return user.region_id == report.programme_year.province_id, False
    if user.role == Role.CITY and report.region_id is not None:
        own = user.region_id == report.region_id
        return own, own
    if user.role == Role.UNIVERSITY and report.university_id is not None:
        own = user.university_id == report.university_id
        return own, own
    return False, False


def get_progress_report_for_user(user, pk: int) -> tuple[ProgressReport, Access]:
    """A progress report: read by its unit and the province; the unit edits it until it is
    submitted. Outsiders (another city, another university, counties) get 404."""
    report = get_object_or_404(
        ProgressReport.objects.select_related(
            "programme_year__province", "region", "university", "submitted_by"
        ),
        pk=pk,
    )
    readable, own = _report_reader(user, report)
    if not readable:
        raise Http404
    return report, Access(can_write=own and report.status == ProgressReport.Status.DRAFT)


def get_progress_slot_for_user(user, programme_year_pk: int, quarter: str) -> dict:
    """The unit's report for a quarter of a programme year, to fill in: only a city of the
    year's province or a university taking part may; the province reads (403); others 404.
    Returns programme_year, region, university and the report so far (or None)."""
    if quarter not in ProgressReport.Quarter.values:
        raise Http404
    programme_year = get_object_or_404(
        ProgrammeYear.objects.select_related("province"), pk=programme_year_pk
    )
    region = university = None
    if user.role == Role.CITY and user.region_id is not None:
        if user.region.parent_id != programme_year.province_id:
            raise Http404
        region = user.region
    elif user.role == Role.UNIVERSITY and user.university_id is not None:
        if (
            not programme_universities(programme_year.province_id)
            .filter(pk=user.university_id)
            .exists()
        ):
            raise Http404
        university = user.university
    elif user.role == Role.PROVINCE and user.region_id == programme_year.province_id:
        raise PermissionDenied  # the province reads the units' reports; it files none
    else:
        raise Http404
    report = (
        ProgressReport.objects.filter(
            programme_year=programme_year, quarter=quarter, region=region, university=university
        )
        .prefetch_related("rows")
        .first()
    )
    return {
        "programme_year": programme_year,
        "region": region,
        "university": university,
        "report": report,
        "quarter": quarter,
    }


def progress_milestones(programme_year: ProgrammeYear) -> list[Milestone]:
    codes = [f"progress_{q}" for q in ProgressReport.Quarter.values]
    return list(programme_year.milestones.filter(code__in=codes).order_by("due"))


def progress_overview(
    programme_year: ProgrammeYear, today: datetime.date, missing_only: bool = False
) -> dict:
    """For the province: every city and every university with a quarterly milestone, × the
    three quarters: the report (or None) and the unit's standing; per quarter how many have
    submitted; with `missing_only`, only the units with a past quarter not submitted. Four
    queries."""
    milestones = progress_milestones(programme_year)
    quarters = [m.quarter for m in milestones]
    reports = {
        (r.region_id, r.university_id, r.quarter): r
        for r in ProgressReport.objects.filter(programme_year=programme_year)
    }
    units: dict[tuple, dict] = {}
    names: dict[tuple, str] = {}
    for unit in (
        UnitMilestone.objects.filter(milestone__in=milestones)
        .select_related("region", "university")
        .order_by("pk")
    ):
        key = (unit.region_id, unit.university_id)
        names[key] = unit.unit_name
        units.setdefault(key, {})[unit.milestone_id] = unit
    cities = Region.objects.filter(parent=programme_year.province, level="city").order_by("code")
    for city in cities:
        names.setdefault((city.pk, None), city.name)

    def row(key):
        return (
            names[key],
            [(m, units.get(key, {}).get(m.pk), reports.get((*key, m.quarter))) for m in milestones],
        )

    def submitted(key, milestone) -> bool:
        report = reports.get((*key, milestone.quarter))
        return report is not None and report.status == ProgressReport.Status.SUBMITTED

    def late(key) -> bool:
        return any(m.due < today and not submitted(key, m) for m in milestones)

    city_keys = [(city.pk, None) for city in cities]
    university_keys = sorted((k for k in names if k[1] is not None), key=lambda k: names[k])
    everyone = city_keys + university_keys
    counts = [
        (m, sum(1 for key in everyone if submitted(key, m)), len(everyone), m.due < today)
        for m in milestones
    ]
    if missing_only:
        city_keys = [key for key in city_keys if late(key)]
        university_keys = [key for key in university_keys if late(key)]
    return {
        "milestones": milestones,
        "quarters": quarters,
        "cities": [row(key) for key in city_keys],
        "universities": [row(key) for key in university_keys],
        "counts": counts,
        "missing_only": missing_only,
    }


def progress_own(user, programme_years) -> list[tuple]:
    """A city's or university's own quarters: (programme_year, milestone, unit, report) for
    each quarterly milestone of the given years, newest year first. Three queries."""
    unit_filter = (
        Q(university_id=user.university_id)
        if user.role == Role.UNIVERSITY
        else Q(region_id=user.region_id)
    )
    codes = [f"progress_{q}" for q in ProgressReport.Quarter.values]
    milestones = list(
        Milestone.objects.filter(programme_year__in=programme_years, code__in=codes)
        .select_related("programme_year__province")
        .order_by("-programme_year__year", "programme_year__province__code", "due")
    )
    units = {
        u.milestone_id: u
        for u in UnitMilestone.objects.filter(unit_filter, milestone__in=milestones)
    }
    reports = {
        (r.programme_year_id, r.quarter): r
        for r in ProgressReport.objects.filter(unit_filter, programme_year__in=programme_years)
    }
    return [
        (m.programme_year, m, units.get(m.pk), reports.get((m.programme_year_id, m.quarter)))
        for m in milestones
    ]
