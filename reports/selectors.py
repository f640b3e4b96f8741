"""Who reads which 简报/简讯 (reports/models.py). One helper per object: outsiders get 404, a reader
who may not change it 403 (views call `require_write`).

- The author unit (a county, a city or a university) reads its own, drafts included, and edits
  a draft until it submits it.
- A county's submitted report: its city and its province. A city's: its province. A
  university's: the province of the programme year it was submitted for (the university chooses
  it among its own province and the provinces its students come from).
- No other county, city, university or province reads it; host units and students read none.
"""

from django.db.models import Count, Min, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Access, capabilities_for
from accounts.models import Role
from fanjiaxiang.todo import Todo
from positions.models import Region
from reports.models import Report, ReportPhoto
from schedule.models import ProgrammeYear, year_in_force
from students.models import Student

REPORT_ROLES = (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.UNIVERSITY)
SUBMITTED = Report.Status.SUBMITTED


def require_report_reader(user) -> None:
    if not user.is_authenticated or user.role not in REPORT_ROLES or user.scope is None:
        raise Http404


def reports_for_user(user) -> QuerySet[Report]:
    """Every report the user reads: their own unit's (drafts too) and the submitted ones of the
    units they read."""
    require_report_reader(user)
    reports = Report.objects.all()
    if user.role == Role.PROVINCE:
        return reports.filter(status=SUBMITTED, programme_year__province=user.region_id)
    if user.role == Role.CITY:
        return reports.filter(
            Q(region=user.region_id) | Q(region__parent=user.region_id, status=SUBMITTED)
        )
    if user.role == Role.COUNTY:
        return reports.filter(region=user.region_id)
    return reports.filter(university=user.university_id)


def is_author(user, report: Report) -> bool:
    """The user works for the unit that wrote the report."""
    if user.role == Role.UNIVERSITY:
        return report.university_id is not None and report.university_id == user.university_id
    return report.region_id is not None and report.region_id == user.region_id


def get_report_for_user(user, pk: int) -> tuple[Report, Access]:
    """A report, whether the user may edit and submit it (its unit, while a draft) and whether
    they may mark it (the province, or a county's city, once submitted)."""
    report = (
        reports_for_user(user)
        .select_related(
            "programme_year__province",
            "region__parent",
            "university",
            "created_by",
            "submitted_by",
            "province_marked_by",
            "city_read_by",
            "briefing",
        )
        .filter(pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    author = is_author(user, report)
    caps = capabilities_for(user)
    return report, Access(
        can_write=author and caps.can_submit_reports and report.status == Report.Status.DRAFT,
        can_review=not author and caps.can_mark_reports and report.status == SUBMITTED,
    )


def get_photo_for_user(user, report_pk: int, pk: int) -> tuple[ReportPhoto, Access]:
    report, access = get_report_for_user(user, report_pk)
    photo = report.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404
    return photo, access


def report_provinces_for_user(user) -> QuerySet[Region]:
    """The provinces the user's unit reports to: a county's or city's own; a university's own
    and every province its students come from (their hometown counties' provinces)."""
    require_report_reader(user)
    if user.role != Role.UNIVERSITY:
        province = user.region
        while province is not None and province.level != Region.Level.PROVINCE:
            province = province.parent
        return Region.objects.filter(pk__in=[province.pk] if province else [])
    homes = Student.objects.filter(university=user.university_id).values("hometown__parent__parent")
    return Region.objects.filter(
        Q(pk=user.university.province_id) | Q(pk__in=homes), level=Region.Level.PROVINCE
    )


def report_years_for_user(user) -> QuerySet[ProgrammeYear]:
    """The programme years a unit may report for, the one in force first, then newest."""
    return (
        ProgrammeYear.objects.filter(province__in=report_provinces_for_user(user))
        .select_related("province")
        .order_by("-year", "province__code")
    )


def default_year(years: QuerySet[ProgrammeYear]) -> ProgrammeYear | None:
    return years.filter(year=year_in_force(timezone.localdate())).first() or years.first()


def get_report_year_for_user(user, pk: int) -> ProgrammeYear:
    return get_object_or_404(report_years_for_user(user), pk=pk)


def unread_for_user(user) -> QuerySet[Report]:
    """The submitted reports waiting for the user's mark: the province's unmarked ones, a
    city's counties' not yet read by the city."""
    reports = reports_for_user(user).filter(status=SUBMITTED)
    if user.role == Role.PROVINCE:
        return reports.filter(province_mark=Report.Mark.UNREAD)
    if user.role == Role.CITY:
        return reports.filter(region__parent=user.region_id, city_read_at__isnull=True)
    return reports.none()


def filter_reports(user, reports: QuerySet[Report], params) -> QuerySet[Report]:
    """The list's filters; unknown values are ignored (never a 500)."""
    level = params.get("level", "")
    if level == "university":
        reports = reports.filter(university__isnull=False)
    elif level in ("city", "county"):
        reports = reports.filter(region__level=level)
    city = params.get("city", "")
    if city.isdigit():
        reports = reports.filter(Q(region__code=city) | Q(region__parent__code=city))
    if params.get("kind") in Report.Kind.values:
        reports = reports.filter(kind=params["kind"])
    if params.get("status") in Report.Status.values:
        reports = reports.filter(status=params["status"])
    mark = params.get("mark", "")
    if mark == "unread":
        reports = reports.filter(pk__in=unread_for_user(user).values("pk"))
    elif user.role == Role.CITY and mark == "read":
        reports = reports.filter(city_read_at__isnull=False)
    elif mark in Report.Mark.values:
        reports = reports.filter(province_mark=mark)
    return reports


def report_list(user, params) -> QuerySet[Report]:
    """The list page's rows, filtered, with what each row shows in one query."""
    return (
        filter_reports(user, reports_for_user(user), params)
        .select_related("programme_year__province", "region__parent", "university", "briefing")
        .annotate(photo_count=Count("photos"))
        .order_by("-submitted_at", "-updated_at", "-pk")
    )


def cities_for_filter(user) -> QuerySet[Region]:
    if user.role != Role.PROVINCE:
        return Region.objects.none()
    return Region.objects.filter(parent=user.region_id, level=Region.Level.CITY).order_by("code")


def compilable_for_user(user) -> QuerySet[Report]:
    """What the province may compile into a briefing: its submitted reports not yet compiled."""
    if not capabilities_for(user).can_compile_reports:
        return Report.objects.none()
    return reports_for_user(user).filter(briefing__isnull=True)


def todos_for_reports(user) -> list[Todo]:
    """The province's and a city's unread reports; an author unit's (a city's too) drafts not
    yet submitted. One query each."""
    caps = capabilities_for(user)
    return [
        *(_unread_todo(user) if caps.can_mark_reports else []),
        *(_drafts_todo(user) if caps.can_submit_reports else []),
    ]


def _unread_todo(user) -> list[Todo]:
    waiting = unread_for_user(user).aggregate(count=Count("pk"), first=Min("submitted_at"))
    if not waiting["count"]:
        return []
    return [
        Todo(
            key="reports_unread",
            title=_("阅处下级上报的工作简报、简讯"),
            count=waiting["count"],
            url=f"{reverse('reports:list')}?mark=unread",
            action=_("阅处简报"),
            due=waiting["first"],
            due_label=_("最早上报于"),
        )
    ]


def _drafts_todo(user) -> list[Todo]:
    drafts = (
        reports_for_user(user)
        .filter(status=Report.Status.DRAFT)
        .aggregate(count=Count("pk"), first=Min("created_at"))
    )
    if not drafts["count"]:
        return []
    return [
        Todo(
            key="reports_draft",
            title=_("上报简报、简讯草稿（上报前上级看不到）"),
            count=drafts["count"],
            url=f"{reverse('reports:list')}?status=draft",
            action=_("查看草稿"),
            due=drafts["first"],
            due_label=_("最早起草于"),
        )
    ]
