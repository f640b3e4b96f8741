"""The programme calendar: years on a template, dates edited by the province, extensions and
excuses, implementation plans, onboarding, and the locks the other apps ask about."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.audit import Action, audit_record
from accounts.models import Role, User
from accounts.notices import notify_many
from fanjiaxiang.uploads import DOCUMENT, validate_upload
from positions.models import Region
from positions.public_cache import public_pages_changed
from schedule import selectors
from schedule.models import (
    Milestone,
    Onboarding,
    Plan,
    PlanVersion,
    ProgrammeYear,
    ProgressReport,
    ProgressRow,
    Season,
    UnitMilestone,
)
from students.models import University

Code = Milestone.Code
STATUS = UnitMilestone.Status


def calendar_template(year: int) -> list[tuple[str, str | None, datetime.date]]:
    """The Guangdong calendar (seed 000 §五) for programme year `year`: (code, season, due)."""
    february_ends = calendar.monthrange(year + 1, 2)[1]
    return [
        (Code.PLAN, None, datetime.date(year, 3, 31)),
        (Code.ONBOARD, None, datetime.date(year, 4, 15)),
        (Code.SUMMER_POSTS, Season.Kind.SUMMER, datetime.date(year, 5, 31)),
        (Code.SUMMER_MATCH, Season.Kind.SUMMER, datetime.date(year, 6, 30)),
        (Code.SUMMER_PRACTICE, Season.Kind.SUMMER, datetime.date(year, 8, 31)),
        (Code.WINTER_POSTS, Season.Kind.WINTER, datetime.date(year, 11, 30)),
        (Code.WINTER_MATCH, Season.Kind.WINTER, datetime.date(year, 12, 31)),
        (Code.WINTER_PRACTICE, Season.Kind.WINTER, datetime.date(year + 1, 2, february_ends)),
        (Code.SUMMARY, None, datetime.date(year + 1, 3, 31)),
        # Seed 002: progress reported at the end of June, September and December.
        (Code.PROGRESS_Q2, None, datetime.date(year, 6, 30)),
        (Code.PROGRESS_Q3, None, datetime.date(year, 9, 30)),
        (Code.PROGRESS_Q4, None, datetime.date(year, 12, 31)),
    ]


@transaction.atomic
def programme_year_create(
    *,
    province: Region,
    year: int,
    quota_per_county: int = 50,
    max_preferences: int = 3,
) -> ProgrammeYear:
    """A programme year on the Guangdong template: summer 7/1–8/31, winter next 1/1–end of Feb,
    and the milestones of DESIGN.md.

    Idempotent: asking again for the same province and year returns the existing one.
    """
    programme_year, created = ProgrammeYear.objects.get_or_create(
        province=province,
        year=year,
        defaults={"quota_per_county": quota_per_county, "max_preferences": max_preferences},
    )
    if created:
        february_ends = calendar.monthrange(year + 1, 2)[1]
        seasons = {
            kind: Season.objects.create(
                programme_year=programme_year,
                kind=kind,
                practice_starts=starts,
                practice_ends=ends,
            )
            for kind, starts, ends in (
                (Season.Kind.SUMMER, datetime.date(year, 7, 1), datetime.date(year, 8, 31)),
                (
                    Season.Kind.WINTER,
                    datetime.date(year + 1, 1, 1),
                    datetime.date(year + 1, 2, february_ends),
                ),
            )
        }
        milestones_create(programme_year=programme_year, seasons=seasons)
    return programme_year


def milestones_create(*, programme_year: ProgrammeYear, seasons: dict) -> None:
    Milestone.objects.bulk_create(
        [
            Milestone(
                programme_year=programme_year,
                code=code,
                season=seasons.get(kind) if kind else None,
                due=due,
            )
            for code, kind, due in calendar_template(programme_year.year)
        ],
        ignore_conflicts=True,
    )


@transaction.atomic
def calendar_update(
    *,
    programme_year: ProgrammeYear,
    settings: dict,
    seasons: dict[int, tuple[datetime.date, datetime.date]],
    milestones: dict[int, tuple[datetime.date, bool, bool]],
    actor: User,
) -> ProgrammeYear:
    """The province edits its year: settings, practice windows and milestone dates, together,
    and per posts or selection milestone whether its date locks (截止后锁定, audited apart).

    Dates must follow the programme's order within each season (posts ≤ selection ≤ practice
    start; practice end as the practice milestone), so a typo cannot lock a season early."""
    programme_year = ProgrammeYear.objects.select_for_update().get(pk=programme_year.pk)
    for name in ("quota_per_county", "max_preferences", "offer_reply_days"):
        setattr(programme_year, name, settings[name])
    programme_year.full_clean()
    programme_year.save()
    changed, locks = [], []
    for season in programme_year.seasons.all():
        season.practice_starts, season.practice_ends = seasons[season.pk]
        season.full_clean()
        season.save()
    # The province's own milestones are edited one by one (milestone_change).
    for milestone in programme_year.milestones.exclude(code=Code.CUSTOM).select_related("season"):
        old = (milestone.due, milestone.applies, milestone.hard_lock)
        milestone.due, milestone.applies, hard_lock = milestones[milestone.pk]
        milestone.hard_lock = hard_lock and milestone.lockable
        if old[:2] != (milestone.due, milestone.applies):
            changed.append(milestone)
        if old[2] != milestone.hard_lock:
            locks.append(milestone)
        if old != (milestone.due, milestone.applies, milestone.hard_lock):
            milestone.save(update_fields=["due", "applies", "hard_lock"])
    _check_order(programme_year)
    if changed or locks:
        public_pages_changed()  # each post's 报名截止 is the selection milestone's date
    for milestone in locks:
        audit_record(
            Action.CALENDAR_LOCK,
            target=milestone,
            region=programme_year.province,
            data={"milestone": milestone.code, "hard_lock": milestone.hard_lock},
            actor=actor,
        )
    audit_record(
        Action.CALENDAR_UPDATE,
        target=programme_year,
        region=programme_year.province,
        data={"milestones": {m.code: m.due.isoformat() for m in changed}},
        actor=actor,
    )
    return programme_year


def _check_order(programme_year: ProgrammeYear) -> None:
    for season in programme_year.seasons.all():
        stages = {m.stage: m for m in season.milestones.all()}
        posts, match, practice = stages.get("posts"), stages.get("match"), stages.get("practice")
        if posts and match and posts.due > match.due:
            raise ValidationError(
                _("%(season)s：岗位发布截止日期不能晚于选拔录用截止日期。") % {"season": season}
            )
        if match and match.due >= season.practice_starts:
            raise ValidationError(
                _("%(season)s：选拔录用须在实践开始（%(start)s）之前截止。")
                % {"season": season, "start": season.practice_starts}
            )
        if practice and practice.due != season.practice_ends:
            practice.due = season.practice_ends  # the practice milestone is the season's end
            practice.save(update_fields=["due"])


# Units' standing -------------------------------------------------------------------------------


def units_for(milestone: Milestone):
    """The regions that must meet `milestone`: its province's cities and/or counties."""
    province_id = milestone.programme_year.province_id
    levels = milestone.levels
    units = Region.objects.none()
    if "province" in levels:
        units |= Region.objects.filter(pk=province_id)
    if "city" in levels:
        units |= Region.objects.filter(level="city", parent_id=province_id)
    if "county" in levels:
        units |= Region.objects.filter(level="county", parent__parent_id=province_id)
    return units


def universities_for(milestone: Milestone):
    """The universities that must meet `milestone` (quarterly reports, a province's own)."""
    if "university" not in milestone.levels:
        return University.objects.none()
    return selectors.programme_universities(milestone.programme_year.province_id)


def unit_milestones_ensure(*, milestone: Milestone, now: datetime.datetime | None = None) -> None:
    """Every unit gets its row (new regions and universities included); existing rows are left
    as they are. `now`, from the calendar's daily run, is the time new rows carry instead of
    the clock's."""
    # NOT IN over a column holding NULLs matches nothing: only the rows of each kind are read.
    have = milestone.units.filter(region__isnull=False).values("region_id")
    new = list(units_for(milestone).exclude(pk__in=have).values_list("pk", flat=True))
    have_universities = milestone.units.filter(university__isnull=False).values("university_id")
    new_universities = list(
        universities_for(milestone)
        .exclude(pk__in=have_universities)
        .values_list("pk", flat=True)
        .distinct()
    )
    UnitMilestone.objects.bulk_create(
        [UnitMilestone(milestone=milestone, region_id=pk) for pk in new]
        + [UnitMilestone(milestone=milestone, university_id=pk) for pk in new_universities],
        ignore_conflicts=True,
    )
    if (new or new_universities) and now is not None:
        # bulk_create stamps updated_at with the clock whatever it is given (auto_now).
        milestone.units.filter(Q(region_id__in=new) | Q(university_id__in=new_universities)).update(
            updated_at=now
        )


def _unit(
    milestone: Milestone, region: Region | None, university: University | None = None
) -> UnitMilestone:
    unit_milestones_ensure(milestone=milestone)
    found = UnitMilestone.objects.select_for_update().filter(milestone=milestone)
    if university is not None:
        return found.get(university=university)
    return found.get(region=region)


def unit_mark_done(
    *,
    milestone: Milestone,
    region: Region | None = None,
    university: University | None = None,
    now=None,
) -> None:
    """Record that `region` (or `university`) met `milestone` (plans, onboarding, the summary
    and the quarterly reports say so at once; the rules for posts and selection are checked by
    the daily enforcement)."""
    unit = Q(university=university) if university is not None else Q(region=region)
    UnitMilestone.objects.filter(
        unit, milestone=milestone, status__in=(STATUS.PENDING, STATUS.OVERDUE)
    ).update(status=STATUS.DONE, done_at=now or timezone.now(), updated_at=timezone.now())


@transaction.atomic
def extension_grant(
    *, unit: UnitMilestone, new_due: datetime.date, reason: str, actor: User, today=None
) -> UnitMilestone:
    """The province gives one unit until `new_due`; an overdue unit is pending again."""
    today = today or timezone.localdate()
    unit = UnitMilestone.objects.select_for_update().select_related("milestone").get(pk=unit.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写延期原因。")})
    if new_due <= unit.milestone.due or new_due < today:
        raise ValidationError(
            {
                "new_due": _("延期日期须晚于原截止日期（%(due)s）且不早于今天。")
                % {"due": unit.milestone.due}
            }
        )
    if unit.status in (STATUS.DONE, STATUS.EXCUSED):
        raise ValidationError(_("该单位已完成或已豁免此节点，无需延期。"))
    unit.extended_to, unit.extension_reason = new_due, reason[:200]
    # A fresh start: met by the new date it is done on time (the lapse stays in the audit log).
    unit.status, unit.overdue_since = STATUS.PENDING, None
    unit.save()
    public_pages_changed()  # the county's posts show the new 报名截止
    audit_record(
        Action.EXTENSION_GRANT,
        target=unit,
        region=unit.region or unit.milestone.programme_year.province,
        data={"milestone": unit.milestone.code, "due": new_due.isoformat(), "reason": reason},
        actor=actor,
    )
    _tell_unit(
        unit,
        _("团省委同意“%(milestone)s”延期至 %(due)s。原因：%(reason)s")
        % {"milestone": unit.milestone.get_code_display(), "due": new_due, "reason": reason},
    )
    return unit


@transaction.atomic
def unit_excuse(*, unit: UnitMilestone, reason: str, actor: User) -> UnitMilestone:
    """The province excuses one unit from one milestone (e.g. a town with no winter programme)."""
    unit = UnitMilestone.objects.select_for_update().select_related("milestone").get(pk=unit.pk)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请填写豁免原因。")})
    if unit.status == STATUS.DONE:
        raise ValidationError(_("该单位已完成此节点，无需豁免。"))
    unit.status, unit.excuse_reason = STATUS.EXCUSED, reason[:200]
    unit.save()
    audit_record(
        Action.MILESTONE_EXCUSE,
        target=unit,
        region=unit.region or unit.milestone.programme_year.province,
        data={"milestone": unit.milestone.code, "reason": reason},
        actor=actor,
    )
    return unit


def staff_of(region_ids) -> list[User]:
    """Active staff accounts of the given regions (county, city or province committees)."""
    return list(
        User.objects.filter(
            region_id__in=list(region_ids),
            role__in=(Role.PROVINCE, Role.CITY, Role.COUNTY),
            is_active=True,
        )
    )


def university_staff_of(university_ids) -> list[User]:
    """Active 高校团委 accounts of the given universities."""
    return list(
        User.objects.filter(
            university_id__in=list(university_ids), role=Role.UNIVERSITY, is_active=True
        )
    )


def unit_staff(unit: UnitMilestone) -> list[User]:
    if unit.university_id:
        return university_staff_of([unit.university_id])
    return staff_of([unit.region_id])


def unit_calendar_url(unit: UnitMilestone) -> str:
    """Where a unit reads its milestones: a university's own page, else the calendar."""
    return reverse("schedule:university_calendar" if unit.university_id else "schedule:calendar")


def _tell_unit(unit: UnitMilestone, text: str) -> None:
    url = unit_calendar_url(unit)
    notify_many([(user, text, url) for user in unit_staff(unit)])


# Locks -----------------------------------------------------------------------------------------


LOCK_MESSAGES = {
    "posts": gettext_lazy("%(season)s岗位发布已于 %(due)s 截止，如需延期请联系团省委。"),
    "match": gettext_lazy("%(season)s选拔录用已于 %(due)s 截止，不能再报名、录用或确认。"),
}


def stage_check_open(*, season: Season, stage: str, county_id: int, today=None) -> None:
    """The lock every service asks before a post is published or a selection step is taken.

    The notice's dates are completion dates: work after them is accepted and the county is
    flagged 逾期 by the calendar. Only a milestone the province locked (`hard_lock`) refuses
    work after the county's date (its extension included)."""
    today = today or timezone.localdate()
    due = selectors.stage_due(season=season, stage=stage, county_id=county_id, locked_only=True)
    if due is not None and today > due:
        raise ValidationError(
            str(LOCK_MESSAGES[stage]) % {"season": season, "due": f"{due:%Y年%m月%d日}"}
        )


# Implementation plans and onboarding -----------------------------------------------------------


def reviewer_region(region: Region) -> Region | None:
    """Whose review a plan waits for: a county's city, a city's province."""
    return region.parent


def _milestone(programme_year: ProgrammeYear, code: str) -> Milestone:
    return programme_year.milestones.select_related("programme_year").get(code=code)


@transaction.atomic
def plan_submit(*, programme_year: ProgrammeYear, region: Region, document, actor: User) -> Plan:
    """Upload (or re-upload after a return) the unit's plan; the level above is told."""
    if region.level not in ("city", "county"):
        raise ValidationError(_("只有市、县两级团委需要提交实施方案。"))
    validate_upload(document, kind=DOCUMENT)
    existing = Plan.objects.select_for_update().filter(programme_year=programme_year, region=region)
    plan = existing.first() or Plan(programme_year=programme_year, region=region)
    if plan.status == Plan.Status.APPROVED and plan.pk:
        raise ValidationError(_("实施方案已审核通过，不能再替换。"))
    if plan.pk:
        # The submission being replaced is kept, file and review, as the next earlier version.
        PlanVersion.objects.create(
            plan=plan,
            number=plan.versions.count() + 1,
            document=plan.document.name,
            original_name=plan.original_name,
            status=plan.status,
            submitted_by=plan.submitted_by,
            submitted_at=plan.submitted_at,
            reviewed_by=plan.reviewed_by,
            reviewed_at=plan.reviewed_at,
            review_comment=plan.review_comment,
        )
    plan.original_name = document.name[:200]
    plan.document = document
    plan.status = Plan.Status.SUBMITTED
    plan.submitted_by, plan.submitted_at = actor, timezone.now()
    plan.reviewed_by, plan.reviewed_at, plan.review_comment = None, None, ""
    plan.save()
    milestone = _milestone(programme_year, Code.PLAN)
    _unit(milestone, region)
    unit_mark_done(milestone=milestone, region=region)
    audit_record(Action.PLAN_SUBMIT, target=plan, region=region, actor=actor)
    above = reviewer_region(region)
    notify_many(
        [
            (
                user,
                _("%(unit)s提交了%(year)s实施方案，请审核。")
                % {"unit": region.name, "year": programme_year},
                reverse("schedule:plan_detail", args=[plan.pk]),
            )
            for user in staff_of([above.pk])
        ]
    )
    return plan


@transaction.atomic
def plan_review(*, plan: Plan, approve: bool, comment: str, actor: User) -> Plan:
    """The level above approves the plan, or returns it with comments (then it is not done)."""
    plan = Plan.objects.select_for_update().select_related("region").get(pk=plan.pk)
    comment = comment.strip()
    if plan.status != Plan.Status.SUBMITTED:
        raise ValidationError(_("该方案不在待审核状态。"))
    if not approve and not comment:
        raise ValidationError({"comment": _("退回修改时请填写审核意见。")})
    plan.status = Plan.Status.APPROVED if approve else Plan.Status.RETURNED
    plan.reviewed_by, plan.reviewed_at, plan.review_comment = actor, timezone.now(), comment[:500]
    plan.save()
    if not approve:
        unit = _unit(_milestone(plan.programme_year, Code.PLAN), plan.region)
        if unit.status == STATUS.DONE:
            # A returned plan is not a submitted one: the unit is behind again.
            today = timezone.localdate()
            if today > unit.due:
                unit.status, unit.overdue_since = STATUS.OVERDUE, unit.overdue_since or today
            else:
                unit.status = STATUS.PENDING
            unit.done_at = None
            unit.save()
    audit_record(
        Action.PLAN_APPROVE if approve else Action.PLAN_RETURN,
        target=plan,
        region=plan.region,
        data={"comment": comment} if comment else {},
        actor=actor,
    )
    text = (
        _("%(year)s实施方案已审核通过。")
        if approve
        else _("%(year)s实施方案被退回修改：%(comment)s")
    ) % {"year": plan.programme_year, "comment": comment}
    notify_many([(user, text, reverse("schedule:plan")) for user in staff_of([plan.region_id])])
    return plan


@transaction.atomic
def onboarding_confirm(
    *,
    programme_year: ProgrammeYear,
    region: Region,
    actor: User,
    contact_name: str,
    contact_phone: str,
    email: str = "",
    address: str = "",
) -> Onboarding:
    """The county confirms it is on the portal (入驻): its named staff and contact details."""
    if region.level != "county":
        raise ValidationError(_("入驻由县级团委确认。"))
    staff = [user for user in staff_of([region.pk]) if user.name.strip()]
    if not staff:
        raise ValidationError(_("请先为本单位开通至少一个填写了姓名的工作人员账号。"))
    for name, value in (("contact_name", contact_name), ("contact_phone", contact_phone)):
        if not value.strip():
            raise ValidationError({name: _("此项为必填项。")})
    onboarding, _created = Onboarding.objects.update_or_create(
        programme_year=programme_year,
        region=region,
        defaults={
            "contact_name": contact_name.strip(),
            "contact_phone": contact_phone.strip(),
            "email": email.strip(),
            "address": address.strip(),
            "staff_names": "、".join(user.name for user in staff)[:300],
            "confirmed_by": actor,
            "confirmed_at": timezone.now(),
        },
    )
    milestone = _milestone(programme_year, Code.ONBOARD)
    _unit(milestone, region)
    unit_mark_done(milestone=milestone, region=region)
    audit_record(Action.ONBOARDING_CONFIRM, target=onboarding, region=region, actor=actor)
    return onboarding


@transaction.atomic
def summary_mark_done(*, programme_year: ProgrammeYear, actor: User) -> None:
    """The province records that the year's evaluation and commendation (总结表扬) is done."""
    milestone = _milestone(programme_year, Code.SUMMARY)
    _unit(milestone, programme_year.province)
    unit_mark_done(milestone=milestone, region=programme_year.province)
    audit_record(
        Action.SUMMARY_DONE, target=programme_year, region=programme_year.province, actor=actor
    )


# The province's own milestones -----------------------------------------------------------------


def _check_custom(*, programme_year: ProgrammeYear, title: str, due, levels: dict) -> str:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("请填写节点名称。")})
    if not any(levels.values()):
        raise ValidationError({"for_city": _("请至少选择一个适用层级。")})
    first, last = (
        datetime.date(programme_year.year, 1, 1),
        datetime.date(programme_year.year + 1, 3, 31),
    )
    if not first <= due <= last:
        raise ValidationError(
            {
                "due": _("截止日期须在 %(first)s 至 %(last)s 之间（本活动年度内）。")
                % {"first": first, "last": last}
            }
        )
    return title[:60]


@transaction.atomic
def milestone_add(
    *,
    programme_year: ProgrammeYear,
    title: str,
    due: datetime.date,
    description: str = "",
    for_city: bool = False,
    for_county: bool = False,
    for_university: bool = False,
    actor: User,
) -> Milestone:
    """The province adds a milestone of its own (统一行动日, 结对 …) for the levels it chooses;
    reminders, overdue flags and the matrix treat it as the template's."""
    levels = {"for_city": for_city, "for_county": for_county, "for_university": for_university}
    title = _check_custom(programme_year=programme_year, title=title, due=due, levels=levels)
    milestone = Milestone.objects.create(
        programme_year=programme_year,
        code=Code.CUSTOM,
        title=title,
        due=due,
        description=description.strip()[:1000],
        **levels,
    )
    audit_record(
        Action.MILESTONE_ADD,
        target=milestone,
        region=programme_year.province,
        data={"title": title, "due": due.isoformat(), "levels": list(milestone.levels)},
        actor=actor,
    )
    return milestone


def _lock_custom(milestone: Milestone) -> Milestone:
    milestone = (
        Milestone.objects.select_for_update()
        .select_related("programme_year__province")
        .get(pk=milestone.pk)
    )
    if not milestone.is_custom:
        raise ValidationError(_("模板中的节点只能修改日期，不能修改名称或删除。"))
    if milestone.units.filter(status=STATUS.DONE).exists():
        raise ValidationError(_("已有单位完成该节点，不能再修改或删除。"))
    return milestone


@transaction.atomic
def milestone_change(
    *,
    milestone: Milestone,
    title: str,
    due: datetime.date,
    description: str = "",
    for_city: bool = False,
    for_county: bool = False,
    for_university: bool = False,
    actor: User,
) -> Milestone:
    """The province edits one of its own milestones while no unit has done it. Units of levels
    no longer chosen lose their row (none is done, so nothing is lost)."""
    milestone = _lock_custom(milestone)
    levels = {"for_city": for_city, "for_county": for_county, "for_university": for_university}
    milestone.title = _check_custom(
        programme_year=milestone.programme_year, title=title, due=due, levels=levels
    )
    milestone.due, milestone.description = due, description.strip()[:1000]
    for name, on in levels.items():
        setattr(milestone, name, on)
    milestone.save()
    kept = milestone.levels
    gone = milestone.units.exclude(region__level__in=[lvl for lvl in kept if lvl != "university"])
    if "university" in kept:
        gone = gone.exclude(university__isnull=False)
    gone.delete()
    audit_record(
        Action.MILESTONE_CHANGE,
        target=milestone,
        region=milestone.programme_year.province,
        data={"title": milestone.title, "due": due.isoformat(), "levels": list(kept)},
        actor=actor,
    )
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, actor: User) -> None:
    milestone = _lock_custom(milestone)
    audit_record(
        Action.MILESTONE_DELETE,
        target=milestone,
        region=milestone.programme_year.province,
        data={"title": milestone.title, "due": milestone.due.isoformat()},
        actor=actor,
    )
    milestone.delete()


@transaction.atomic
def unit_milestone_complete(
    *, unit: UnitMilestone, note: str = "", document=None, actor: User
) -> UnitMilestone:
    """A unit marks a province's own milestone done (标记完成), with an optional note and file;
    the level above sees when on the calendar. Late is accepted and shown as 逾期完成."""
    # of=self: the region is a nullable (outer) join PostgreSQL cannot lock.
    unit = (
        UnitMilestone.objects.select_for_update(of=("self",))
        .select_related("milestone__programme_year__province", "region")
        .get(pk=unit.pk)
    )
    if not unit.milestone.is_custom:
        raise ValidationError(_("该节点按系统规则自动核对，不能手动标记完成。"))
    if unit.status in (STATUS.DONE, STATUS.EXCUSED):
        raise ValidationError(_("该节点已完成或已豁免。"))
    if document is not None:
        validate_upload(document, kind=DOCUMENT)
        unit.done_file_name = document.name[:200]
        unit.done_file = document
    now = timezone.now()
    unit.status, unit.done_at, unit.done_by = STATUS.DONE, now, actor
    unit.done_note = note.strip()[:300]
    unit.save()
    audit_record(
        Action.MILESTONE_DONE,
        target=unit,
        region=unit.region or unit.milestone.programme_year.province,
        data={"milestone": unit.milestone.title},
        actor=actor,
    )
    return unit


# Quarterly progress reports (项目推进表) --------------------------------------------------------


def progress_unit_check(
    *, programme_year: ProgrammeYear, region: Region | None, university: University | None
) -> None:
    """Only the province's cities and the universities taking part report progress."""
    if university is not None:
        if (
            not selectors.programme_universities(programme_year.province_id)
            .filter(pk=university.pk)
            .exists()
        ):
            raise ValidationError(_("该高校不在本省“返家乡”活动范围内。"))
    elif region is None or region.level != "city" or region.parent_id != programme_year.province_id:
        raise ValidationError(_("项目推进表由地市团委和高校团委报送。"))


@transaction.atomic
def progress_report_save(
    *,
    programme_year: ProgrammeYear,
    quarter: str,
    region: Region | None = None,
    university: University | None = None,
    contact: str = "",
    note: str = "",
    rows: list[dict],
    submit: bool = False,
    actor: User,
) -> ProgressReport:
    """Save the unit's report for `quarter` as a draft, or submit it (报送): then the quarter's
    milestone is done for the unit at once and the province's staff are told. A submitted
    report is final. The rows replace the report's rows, numbered in the order given."""
    if quarter not in ProgressReport.Quarter.values:
        raise ValidationError(_("季度无效。"))
    progress_unit_check(programme_year=programme_year, region=region, university=university)
    if submit and not rows:
        raise ValidationError(_("请至少填写一个项目后再报送。"))
    # get_or_create survives two first saves at once; the lock then serialises the rest.
    report, _created = ProgressReport.objects.get_or_create(
        programme_year=programme_year, quarter=quarter, region=region, university=university
    )
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.status == ProgressReport.Status.SUBMITTED:
        raise ValidationError(_("本季度项目推进表已报送，不能再修改。"))
    report.contact, report.note = contact.strip()[:100], note.strip()[:2000]
    if submit:
        report.status = ProgressReport.Status.SUBMITTED
        report.submitted_by, report.submitted_at = actor, timezone.now()
    report.save()
    report.rows.all().delete()
    ProgressRow.objects.bulk_create(
        [ProgressRow(report=report, number=number, **row) for number, row in enumerate(rows, 1)]
    )
    audit_region = region or programme_year.province
    audit_record(
        Action.PROGRESS_SUBMIT if submit else Action.PROGRESS_SAVE,
        target=report,
        region=audit_region,
        data={"quarter": quarter, "rows": len(rows)},
        actor=actor,
    )
    if submit:
        _progress_submitted(report)
    return report


def _progress_submitted(report: ProgressReport) -> None:
    milestone = report.programme_year.milestones.filter(code=report.milestone_code).first()
    if milestone is not None:
        _unit(milestone, report.region, report.university)
        unit_mark_done(milestone=milestone, region=report.region, university=report.university)
    text = _("%(unit)s报送了%(year)s%(quarter)s项目推进表。") % {
        "unit": report.unit_name,
        "year": report.programme_year,
        "quarter": report.get_quarter_display(),
    }
    url = reverse("schedule:progress_detail", args=[report.pk])
    notify_many([(user, text, url) for user in staff_of([report.programme_year.province_id])])
