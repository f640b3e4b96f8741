"""Who reads what of the annual summary. One helper per object, used by every view and export:
outsiders get 404, read-only readers 403 on any change (views call `require_write`).

- Scores: provincial staff read and change their province's; after the commendation is
  published, city staff read their own and their counties', county and university staff their
  own.
- The scoring rule (评分规则): every summary reader of the province reads it (it is how they
  are scored); provincial staff change it until the commendation is published.
- City activities (市级活动): the city's staff record and edit them; the province reads all of
  its cities'. Counties do not: the city reports its own work upward, like its plan.
- The published commendation list: provincial staff and the staff of each commended unit.
- Typical cases: the submitting unit (a county, a city or a university; it edits the case until
  it is reviewed), the city above a county, the province (which reviews).
- Briefings: provincial staff write them; once published, every signed-in user of the province
  reads them (staff of every level, host units, universities, and students by home county).
"""

import datetime
from dataclasses import dataclass

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Greatest, Least
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import READ_ONLY, Access, capabilities_for
from accounts.models import Role
from fanjiaxiang.params import year_param
from fanjiaxiang.todo import Todo
from ledger.models import Channel, ExchangeEvent, ReturnRegistration
from positions.models import Region
from schedule.models import ProgrammeYear, year_in_force
from summary import five, scoring
from summary.models import (
    ActivityPhoto,
    Briefing,
    CasePhoto,
    CaseRule,
    CityActivity,
    Publication,
    Score,
    ScoringRule,
    TypicalCase,
)

SUMMARY_ROLES = (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.UNIVERSITY)


def province_of(user) -> Region | None:
    """The province a signed-in user belongs to, whatever their role; None for the rest."""
    if not user.is_authenticated:
        return None
    region = None
    if user.role in (Role.PROVINCE, Role.CITY, Role.COUNTY) and user.region_id:
        region = Region.objects.select_related("parent__parent").get(pk=user.region_id)
    elif user.role == Role.HOST and user.host_unit_id:
        region = user.host_unit.county
    elif user.role == Role.UNIVERSITY and user.university_id:
        return user.university.province
    elif user.role == Role.STUDENT and hasattr(user, "student"):
        region = user.student.hometown
    while region is not None and region.level != Region.Level.PROVINCE:
        region = region.parent
    return region


def require_summary_reader(user) -> None:
    if user.role not in SUMMARY_ROLES or user.scope is None:
        raise Http404


def programme_years_for_user(user) -> QuerySet[ProgrammeYear]:
    require_summary_reader(user)
    return ProgrammeYear.objects.filter(province=province_of(user)).order_by("-year")


def programme_year_for_user(user, year: str | None = None) -> ProgrammeYear | None:
    """The year asked for (404 if not the user's province's), else the one whose summary is
    due (a year runs from its plans in spring to its summary the next March), else the latest."""
    years = programme_years_for_user(user)
    if year:
        number = year_param(year)
        if number is None:
            raise Http404
        return get_object_or_404(years, year=number)
    return years.filter(year=year_in_force(timezone.localdate())).first() or years.first()


def get_programme_year_for_user(user, pk: int) -> tuple[ProgrammeYear, Access]:
    """A year of the user's province, and whether they may change its scores (the province)."""
    programme_year = get_object_or_404(
        programme_years_for_user(user).select_related("province"), pk=pk
    )
    return programme_year, Access(can_write=capabilities_for(user).can_review_scores)


def publication_of(programme_year: ProgrammeYear | None) -> Publication | None:
    if programme_year is None:
        return None
    return (
        Publication.objects.filter(programme_year=programme_year)
        .select_related("published_by")
        .first()
    )


def _with_final(scores: QuerySet[Score]) -> QuerySet[Score]:
    """`final_points`: computed + adjustment within 0–100, so the database can sort by it."""
    points: DecimalField = DecimalField(max_digits=5, decimal_places=1)
    raw = ExpressionWrapper(F("computed") + F("adjustment"), output_field=points)
    return scores.annotate(
        final_points=Greatest(
            Value(0, output_field=points), Least(Value(100, output_field=points), raw)
        )
    )


def scores_for_user(user, programme_year: ProgrammeYear, *, published: bool) -> QuerySet[Score]:
    """The scores the user may read, best first. Before publication only the province reads."""
    require_summary_reader(user)
    scores = Score.objects.filter(programme_year=programme_year)
    if user.role == Role.PROVINCE:
        scores = scores.filter(programme_year__province=user.region_id)
    elif not published:
        scores = scores.none()
    elif user.role == Role.CITY:
        scores = scores.filter(Q(region__parent=user.region_id) | Q(region=user.region_id))
    elif user.role == Role.COUNTY:
        scores = scores.filter(kind=Score.Kind.COUNTY, region=user.region_id)
    else:
        scores = scores.filter(kind=Score.Kind.UNIVERSITY, university=user.university_id)
    return (
        _with_final(scores)
        .select_related("region__parent", "university", "adjusted_by")
        .order_by("-final_points", "region__code", "university__code")
    )


def get_score_for_user(user, pk: int) -> tuple[Score, Access]:
    """A score and whether the user may change it (provincial staff, before publication)."""
    require_summary_reader(user)
    score = (
        Score.objects.select_related(
            "programme_year__province", "region__parent", "university", "adjusted_by"
        )
        .filter(pk=pk)
        .first()
    )
    if score is None or not _reaches_score(user, score):
        raise Http404
    return score, Access(can_write=capabilities_for(user).can_review_scores)


def _reaches_score(user, score: Score) -> bool:
    if user.role == Role.PROVINCE:
        return score.programme_year.province_id == user.region_id
    if not Publication.objects.filter(programme_year=score.programme_year_id).exists():
        return False
    if user.role == Role.CITY:
        return score.region is not None and user.region_id in (
            score.region_id,
            score.region.parent_id,
        )
    if user.role == Role.COUNTY:
        return score.region_id is not None and score.region_id == user.region_id
    return score.university_id is not None and score.university_id == user.university_id


def commendations_for_user(user, programme_year: ProgrammeYear) -> QuerySet[Score]:
    """The published list, for provincial staff and for the staff of a commended unit."""
    require_summary_reader(user)
    if publication_of(programme_year) is None:
        raise Http404
    commended = Score.objects.filter(programme_year=programme_year, commended=True)
    if user.role != Role.PROVINCE:
        own = (
            commended.filter(region=user.region_id)
            if user.role in (Role.COUNTY, Role.CITY)
            else commended.filter(university=user.university_id)
            if user.role == Role.UNIVERSITY
            else commended.none()
        )
        if not own.exists():
            raise Http404
    return (
        _with_final(commended)
        .select_related("region__parent", "university")
        .order_by("kind", "region__code", "university__code")
    )


def rule_for_user(user, pk: int) -> tuple[ProgrammeYear, Access]:
    """A year's scoring rule: read by the province's summary readers, changed by the province
    before the commendation is published."""
    return get_programme_year_for_user(user, pk)


def year_rules(programme_year: ProgrammeYear) -> dict[str, tuple[scoring.Ruled, ...]]:
    """The year's rule for each kind (the defaults where the province set none): one query."""
    stored = dict(
        ScoringRule.objects.filter(programme_year=programme_year).values_list("kind", "parts")
    )
    return {kind: scoring.ruled(kind, stored.get(kind)) for kind in scoring.PARTS}


def stored_rules(programme_year: ProgrammeYear) -> dict[str, ScoringRule]:
    return {
        rule.kind: rule
        for rule in ScoringRule.objects.filter(programme_year=programme_year).select_related(
            "updated_by"
        )
    }


# City activities -------------------------------------------------------------------------------


def city_activities_for_user(user) -> QuerySet[CityActivity]:
    """The province reads its cities', a city its own; others nothing (404 on an activity)."""
    require_summary_reader(user)
    activities = CityActivity.objects.all()
    if user.role == Role.PROVINCE:
        return activities.filter(city__parent=user.region_id)
    if user.role == Role.CITY:
        return activities.filter(city=user.region_id)
    return activities.none()


def get_city_activity_for_user(user, pk: int) -> tuple[CityActivity, Access]:
    """An activity, and whether the user may change it (its own city's staff)."""
    activity = (
        city_activities_for_user(user)
        .select_related("programme_year", "city", "created_by")
        .filter(pk=pk)
        .first()
    )
    if activity is None:
        raise Http404
    return activity, Access(can_write=capabilities_for(user).can_record_city_activities)


def get_activity_photo_for_user(user, activity_pk: int, pk: int) -> tuple[ActivityPhoto, Access]:
    activity, access = get_city_activity_for_user(user, activity_pk)
    photo = activity.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404
    return photo, access


# Typical cases ---------------------------------------------------------------------------------


def cases_for_user(user) -> QuerySet[TypicalCase]:
    require_summary_reader(user)
    cases = TypicalCase.objects.all()
    if user.role == Role.PROVINCE:
        return cases.filter(programme_year__province=user.region_id)
    if user.role == Role.CITY:
        return cases.filter(Q(region__parent=user.region_id) | Q(region=user.region_id))
    if user.role == Role.COUNTY:
        return cases.filter(region=user.region_id)
    return cases.filter(university=user.university_id)


def is_case_author(user, case: TypicalCase) -> bool:
    """The user works for the unit that submitted the case."""
    if user.role == Role.UNIVERSITY:
        return case.university_id is not None and case.university_id == user.university_id
    return case.region_id is not None and case.region_id == user.region_id


def get_case_for_user(user, pk: int) -> tuple[TypicalCase, Access]:
    """A case, whether the user may edit it (its own unit's staff, before the review) and
    whether they may review it (provincial staff, while it waits)."""
    case = (
        cases_for_user(user)
        .select_related(
            "programme_year", "region__parent", "university", "submitted_by", "reviewed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    waiting = case.status == TypicalCase.Status.SUBMITTED
    caps = capabilities_for(user)
    return case, Access(
        can_write=waiting and caps.can_submit_cases and is_case_author(user, case),
        can_review=waiting and caps.can_review_cases,
    )


def case_rule_for(programme_year: ProgrammeYear) -> CaseRule:
    """The year's rule for typical cases: the province's, else the defaults (not saved)."""
    rule = CaseRule.objects.filter(programme_year=programme_year).first()
    return rule or CaseRule(programme_year=programme_year)


def case_text_length(body: str) -> int:
    """字数 as a reader counts them: every character but spaces and line breaks (the form's
    live count, static/js/portal.js, counts the same way)."""
    return len("".join((body or "").split()))


def can_submit_cases(user) -> bool:
    return capabilities_for(user).can_submit_cases


def get_photo_for_user(user, case_pk: int, pk: int) -> tuple[CasePhoto, Access]:
    """A case's photo, with the case's access."""
    case, access = get_case_for_user(user, case_pk)
    photo = case.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404
    return photo, access


# Briefings -------------------------------------------------------------------------------------


def briefings_for_user(user) -> tuple[QuerySet[Briefing], bool]:
    """(briefings, may write): provincial staff see drafts too and write; others of the
    province read the published ones; users of no province get 404."""
    province = province_of(user)
    if province is None:
        raise Http404
    briefings = Briefing.objects.filter(province=province)
    if user.role == Role.PROVINCE:
        return briefings, True
    return briefings.filter(status=Briefing.Status.PUBLISHED), False


def get_briefing_for_user(user, pk: int) -> tuple[Briefing, Access]:
    briefings, can_write = briefings_for_user(user)
    briefing = briefings.select_related("created_by", "published_by").filter(pk=pk).first()
    if briefing is None:
        raise Http404
    return briefing, Access(can_write=can_write)


def todos_for_reviewer(user) -> list[Todo]:
    """The province's typical cases waiting for its review and its briefing drafts not yet
    published (two queries)."""
    if not capabilities_for(user).can_review_cases:
        return []
    return [*_cases_todo(user), *_briefings_todo(user)]


def _briefings_todo(user) -> list[Todo]:
    briefings, _can_write = briefings_for_user(user)
    drafts = briefings.filter(status=Briefing.Status.DRAFT).aggregate(
        count=Count("pk"), first=Min("created_at"), pk=Min("pk")
    )
    if not drafts["count"]:
        return []
    one = drafts["count"] == 1
    return [
        Todo(
            key="briefings",
            title=_("完成并发布简报草稿"),
            count=drafts["count"],
            url=reverse("summary:briefing_detail", args=[drafts["pk"]])
            if one
            else reverse("summary:briefing_list"),
            action=_("查看简报草稿"),
            due=drafts["first"],
            due_label=_("最早起草于"),
        )
    ]


def _cases_todo(user) -> list[Todo]:
    waiting = (
        cases_for_user(user)
        .filter(status=TypicalCase.Status.SUBMITTED)
        .aggregate(count=Count("pk"), first=Min("submitted_at"))
    )
    if not waiting["count"]:
        return []
    return [
        Todo(
            key="cases_review",
            title=_("审核下级单位和高校提交的典型案例"),
            count=waiting["count"],
            url=f"{reverse('summary:case_list')}?status=submitted",
            action=_("审核典型案例"),
            due=waiting["first"],
            due_label=_("最早提交于"),
        )
    ]


# The five tasks (五个一) -------------------------------------------------------------------------

FIVE_READERS = (Role.PROVINCE, Role.CITY, Role.COUNTY)
FIVE_EVIDENCE_ROWS = 10  # each evidence list on a county's page shows at most this many


def require_five_reader(user) -> None:
    if user.role not in FIVE_READERS or user.region_id is None:
        raise Http404


def five_counties_for_user(user) -> QuerySet[Region]:
    """The counties whose five tasks the user reads: county staff their own, city staff their
    counties, provincial staff the province's; anyone else 404."""
    require_five_reader(user)
    # region_filter's rule, on the counties themselves (their own path is the empty one).
    reach = {
        Role.COUNTY: Q(pk=user.region_id),
        Role.CITY: Q(parent=user.region_id),
        Role.PROVINCE: Q(parent__parent=user.region_id),
    }[user.role]
    return Region.objects.filter(reach, level=Region.Level.COUNTY)


def get_five_county_for_user(user, code: str) -> tuple[Region, Access]:
    """One county's five tasks; the page only reads (the work is done on the ledger's and the
    posts' pages), so everyone who reaches it reads it."""
    county = five_counties_for_user(user).select_related("parent__parent").filter(code=code).first()
    if county is None:
        raise Http404
    return county, READ_ONLY


@dataclass(frozen=True)
class FiveRow:
    county: Region
    figures: dict
    tasks: list[five.Task]


def five_rows(
    user, programme_year: ProgrammeYear, *, as_of: datetime.date, city: Region | None = None
) -> list[FiveRow]:
    """The matrix: the user's counties (of `city`, if given), ordered by city and code, with
    their tasks; the same number of queries for 2 counties as for 180."""
    counties = five_counties_for_user(user).filter(parent__parent=programme_year.province_id)
    if city is not None:
        counties = counties.filter(parent=city)
    found = {c.pk: c for c in counties.select_related("parent").order_by("parent__code", "code")}
    tasks = five.year_tasks(programme_year, as_of=as_of, counties=found)
    return [FiveRow(county, *tasks[pk]) for pk, county in found.items() if pk in tasks]


def five_cities_for_user(user, programme_year: ProgrammeYear) -> QuerySet[Region]:
    """The cities a provincial reader filters the matrix by (none for the others)."""
    if user.role != Role.PROVINCE:
        return Region.objects.none()
    return Region.objects.filter(
        level=Region.Level.CITY, parent=programme_year.province_id
    ).order_by("code")


def five_evidence(county: Region, programme_year: ProgrammeYear) -> dict:
    """What a county's page lists beside its figures, each list bounded: the year's exchanges
    (with their photos and minutes), the channels and their members, and the year's verified
    return registrations. A few queries, whatever the size of the ledger."""
    events = list(
        ExchangeEvent.objects.filter(county=county, season__programme_year=programme_year)
        .annotate(attendance=Count("attendees", distinct=True))
        .select_related("season__programme_year")
        .prefetch_related("materials")
        .order_by("-date", "-pk")[:FIVE_EVIDENCE_ROWS]
    )
    channels = list(
        Channel.objects.filter(county=county)
        .annotate(member_count=Count("members"))
        .order_by("-member_count", "name")[:FIVE_EVIDENCE_ROWS]
    )
    returns = list(
        ReturnRegistration.objects.filter(
            entry__county=county,
            year=programme_year.year,
            status=ReturnRegistration.Status.VERIFIED,
        )
        .select_related("entry")
        .order_by("-started_on", "-pk")[:FIVE_EVIDENCE_ROWS]
    )
    return {"events": events, "channels": channels, "returns": returns}


def todos_for_five(user, today: datetime.date) -> list[Todo]:
    """County staff: their tasks overdue, or not started and due within FIVE_SOON_DAYS."""
    if user.role != Role.COUNTY or user.region_id is None:
        return []
    programme_year = ProgrammeYear.objects.filter(
        province__children__children=user.region_id, year=year_in_force(today)
    ).first()
    if programme_year is None:
        return []
    found = five.year_tasks(programme_year, as_of=today, counties=[user.region_id])
    if user.region_id not in found:
        return []
    soon = today + datetime.timedelta(days=FIVE_SOON_DAYS)
    waiting = [
        task
        for task in found[user.region_id][1]
        if task.status == five.OVERDUE
        or (task.status == five.NOT_STARTED and task.due is not None and task.due <= soon)
    ]
    if not waiting:
        return []
    overdue = any(task.status == five.OVERDUE for task in waiting)
    return [
        Todo(
            key="five_tasks",
            title=_("落实“五个一”重点任务：%(tasks)s")
            % {"tasks": "、".join(f"{t.title}（{t.status_label}）" for t in waiting)},
            count=len(waiting),
            url=f"{reverse('summary:five')}?year={programme_year.year}",
            action=_("查看五个一"),
            due=min((t.due for t in waiting if t.due), default=None),
            due_label=_("截止"),
            urgent=overdue,
        )
    ]


FIVE_SOON_DAYS = 30


def todos_for_city(user, today) -> list[Todo]:
    """A city without a 示范活动 recorded in the year in force, before its commendation: one
    item (it counts in the city's score). One query."""
    if not capabilities_for(user).can_record_city_activities:
        return []
    demonstrations = CityActivity.objects.filter(
        programme_year=OuterRef("pk"), city=user.region_id, kind=CityActivity.Kind.DEMONSTRATION
    )
    programme_year = (
        ProgrammeYear.objects.filter(province__children=user.region_id, year=year_in_force(today))
        .filter(summary_publication__isnull=True)
        .annotate(held=Exists(demonstrations))
        .first()
    )
    if programme_year is None or programme_year.held:
        return []
    return [
        Todo(
            key="city_demonstration",
            title=_("开展示范活动并登记（计入本市年度评分）"),
            count=1,
            url=f"{reverse('summary:city_activity_create')}?year={programme_year.year}",
            action=_("登记市级活动"),
            due=datetime.date(programme_year.year + 1, 3, 31),
            due_label=_("年度总结前"),
        )
    ]
