"""What the calendar does each day (`enforce_calendar --date D` and the daily beat task).

For every milestone of the programme years in force: at the deadline of a selection milestone
the province locked (Milestone.hard_lock) close what is still open, mark units done by the milestone's rule, remind units not done 7, 3 and 1 days
before their due date, and flag units overdue the day after and tell the level above. Then
bring each county's quota figures up to date.

Each milestone is one transaction that starts by locking the milestone's row, and every notice
it sends is paired with a Dispatch row written in the same transaction. So two runs for the same
day (a redelivered task, a second worker, the command typed twice) queue on the lock and the
second finds the dispatches and sends nothing; a run killed half-way leaves no notice without
its dispatch and is simply run again.

That order matters: the run first changes what it changes (closing a selection) and only then
reads the units' standing, so the statuses it writes are those of the state it leaves and a
second run for the day, reading that same state, finds nothing to write. Everything the run
stamps (done_at, overdue_since, updated_at, a dispatch's time) comes from the day it is run
for, never the wall clock, so `enforce_calendar --date D` typed later writes the rows the
nightly beat wrote on D.
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record_many
from accounts.notices import notify_many
from positions.models import Post, Region
from schedule.models import (
    CountyQuota,
    Dispatch,
    Milestone,
    Onboarding,
    Plan,
    ProgrammeYear,
    ProgressReport,
    years_enforced,
)
from schedule.models import UnitMilestone as Unit
from schedule.services import staff_of, unit_milestones_ensure, university_staff_of
from students.models import Application, Placement, University

REMINDER_DAYS = (7, 3, 1)
OPEN = (Application.Status.APPLIED, Application.Status.SHORTLISTED)


def run_time(day: datetime.date) -> datetime.datetime:
    """The time a run for `day` stamps on what it writes: the start of that day in the site's
    time zone. The beat (just after midnight) and a later `--date` replay then write the same
    rows, and a run never records a time later than the day it speaks for."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def enforce_calendar(*, day: datetime.date, province: Region | None = None) -> Counter:
    """Everything the calendar asks for on `day`; returns what was done, for the command."""
    done: Counter = Counter()
    years = ProgrammeYear.objects.filter(year__in=years_enforced(day))
    if province is not None:
        years = years.filter(province=province)
    for programme_year in years:
        milestones = programme_year.milestones.filter(applies=True).order_by("due", "id")
        for milestone_id in milestones.values_list("pk", flat=True):
            done += milestone_enforce(milestone_id=milestone_id, day=day)
        done += quota_enforce(programme_year_id=programme_year.pk, day=day)
    return done


@transaction.atomic
def milestone_enforce(*, milestone_id: int, day: datetime.date) -> Counter:
    # The lock serialises two runs for the same milestone; see the module's docstring.
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("programme_year", "season")
        .get(pk=milestone_id)
    )
    now = run_time(day)
    unit_milestones_ensure(milestone=milestone, now=now)
    run = _Run(milestone, day)
    # Closing first: a county whose selection the deadline closes may be done by it, and a
    # status read before the closing is one the next run of the same day would overturn.
    # Only a locked selection closes: otherwise the county may still decide after its date,
    # flagged overdue until it has.
    if milestone.stage == "match" and milestone.hard_lock:
        run.lock(_to_close(milestone, day))
    counts = Counter(done=_mark_done(milestone, now))
    run.tell(_to_tell(milestone, day))
    run.finish()
    counts.update(run.counts)
    return counts


def _units(milestone: Milestone):
    """The milestone's units, each with the date it must meet (its extension or the milestone's)."""
    due = Coalesce("extended_to", Value(milestone.due))
    return milestone.units.annotate(unit_due=due).order_by("pk")


def _to_close(milestone: Milestone, day: datetime.date) -> list[Unit]:
    """The units past their selection date whose selection has not been closed for that date."""
    closed = Dispatch.objects.filter(
        unit=OuterRef("pk"), kind=Dispatch.Kind.LOCK, due=OuterRef("unit_due")
    )
    return list(_units(milestone).filter(unit_due__lt=day).exclude(Exists(closed)))


def _to_tell(milestone: Milestone, day: datetime.date) -> list[Unit]:
    """The units not done that a reminder or an overdue flag may concern on `day`. A unit
    already flagged and reported for its date is not read again: in a province where most
    counties are late, that is most units on most days."""
    told = Dispatch.objects.filter(
        unit=OuterRef("pk"), kind=Dispatch.Kind.OVERDUE, due=OuterRef("unit_due")
    )
    last_reminder = day + datetime.timedelta(days=REMINDER_DAYS[0])
    soon = Q(status=Unit.Status.PENDING, unit_due__gt=day, unit_due__lte=last_reminder)
    late = Q(unit_due__lt=day) & (
        Q(status=Unit.Status.PENDING) | Q(overdue_since__isnull=True) | ~Exists(told)
    )
    not_done = _units(milestone).filter(status__in=(Unit.Status.PENDING, Unit.Status.OVERDUE))
    return list(not_done.filter(soon | late))


def _mark_done(milestone: Milestone, now: datetime.datetime) -> int:
    met = Q(region_id__in=done_regions(milestone)) | Q(
        university_id__in=done_universities(milestone)
    )
    return milestone.units.filter(
        met, status__in=(Unit.Status.PENDING, Unit.Status.OVERDUE)
    ).update(status=Unit.Status.DONE, done_at=now, updated_at=now)


def _progress_submitted(milestone: Milestone):
    return ProgressReport.objects.filter(
        programme_year_id=milestone.programme_year_id,
        quarter=milestone.code.removeprefix("progress_"),
        status=ProgressReport.Status.SUBMITTED,
    )


def done_universities(milestone: Milestone) -> set[int]:
    """The university units that meet `milestone`'s rule now: their quarter's report is in."""
    if not milestone.is_progress:
        return set()  # a province's own milestone is marked done by the university itself
    submitted = _progress_submitted(milestone).filter(university__isnull=False)
    return set(submitted.values_list("university_id", flat=True))


def done_regions(milestone: Milestone) -> set[int]:
    """The units that meet `milestone`'s rule now (DESIGN.md's "done when" column)."""
    programme_year = milestone.programme_year
    if milestone.is_progress:
        submitted = _progress_submitted(milestone).filter(region__isnull=False)
        return set(submitted.values_list("region_id", flat=True))
    if milestone.code == Milestone.Code.PLAN:
        return set(
            Plan.objects.filter(
                programme_year=programme_year,
                status__in=(Plan.Status.SUBMITTED, Plan.Status.APPROVED),
            ).values_list("region_id", flat=True)
        )
    if milestone.code == Milestone.Code.ONBOARD:
        return set(
            Onboarding.objects.filter(programme_year=programme_year).values_list(
                "region_id", flat=True
            )
        )
    if milestone.season_id is None:
        # The summary is recorded by the province itself, a province's own milestone by each
        # unit (unit_milestone_complete).
        return set()
    placements = Placement.objects.filter(season_id=milestone.season_id)
    if milestone.stage == "posts":
        published = Post.objects.filter(
            season_id=milestone.season_id, status__in=(Post.Status.PUBLISHED, Post.Status.CLOSED)
        )
        return set(published.values_list("host_unit__county_id", flat=True).distinct())
    if milestone.stage == "match":
        # Selection is finished when someone has been placed and nothing waits for a decision.
        waiting = Application.objects.filter(
            season_id=milestone.season_id, status__in=(*OPEN, Application.Status.OFFERED)
        )
        return _counties(placements) - _counties(waiting)
    finished = placements.filter(status=Placement.Status.COMPLETED)
    running = placements.filter(status__in=(Placement.Status.CONFIRMED, Placement.Status.REPORTED))
    return _counties(finished) - _counties(running)


def _counties(queryset) -> set[int]:
    return set(queryset.values_list("post__host_unit__county_id", flat=True).distinct())


class _Run:
    """The dispatches and notices of one milestone's run, written together at the end."""

    def __init__(self, milestone: Milestone, day: datetime.date):
        self.milestone, self.day = milestone, day
        self.now = run_time(day)
        self.sent: set[tuple[int, str, datetime.date]] = set()  # (unit, kind, due) done before
        self.dispatches: list[Dispatch] = []
        self.reminders: list[tuple[Unit, int]] = []
        self.overdue_units: list[Unit] = []
        self.flagged: list[int] = []  # units turning overdue today: one UPDATE at the end
        self.counts: Counter = Counter()
        self.url = reverse("schedule:calendar")

    def _claim(self, unit: Unit, kind: str) -> bool:
        key = (unit.pk, kind, unit.due)
        if key in self.sent:
            return False
        self.sent.add(key)
        self.dispatches.append(Dispatch(unit=unit, kind=kind, due=unit.due, created_at=self.now))
        return True

    def tell(self, units: list[Unit]) -> None:
        """Reminders before a unit's date, the overdue flag after it: each once for each date."""
        self.sent |= set(
            Dispatch.objects.filter(unit__in=units).values_list("unit_id", "kind", "due")
        )
        for unit in units:
            if unit.status == Unit.Status.PENDING:
                self.remind(unit)
            if self.day > unit.due:
                self.overdue(unit)

    def remind(self, unit: Unit) -> None:
        days_left = (unit.due - self.day).days
        if not 1 <= days_left <= REMINDER_DAYS[0]:
            return
        # The nearest threshold not passed: a day the beat missed still gets its reminder.
        threshold = min(t for t in REMINDER_DAYS if t >= days_left)
        if self._claim(unit, f"remind_{threshold}"):
            self.reminders.append((unit, days_left))
            self.counts["reminders"] += 1

    def overdue(self, unit: Unit) -> None:
        if unit.status == Unit.Status.PENDING or unit.overdue_since is None:
            unit.status, unit.overdue_since = Unit.Status.OVERDUE, unit.overdue_since or self.day
            self.flagged.append(unit.pk)
        if self._claim(unit, Dispatch.Kind.OVERDUE):
            self.overdue_units.append(unit)
            self.counts["overdue"] += 1

    def lock(self, units: list[Unit]) -> None:
        """Close the selection of the units past their date (see _to_close)."""
        # The closing's audit rows name the county's province: two parent hops, fetched here.
        regions = Region.objects.select_related("parent__parent").in_bulk(
            [unit.region_id for unit in units]
        )
        for unit in units:
            self._claim(unit, Dispatch.Kind.LOCK)
            self.counts["applications_closed"] += selection_close(
                season=self.milestone.season,
                county=regions[unit.region_id],
                due=unit.due,
                now=self.now,
            )

    def finish(self) -> None:
        if not (self.flagged or self.dispatches):
            return  # nothing new today: most runs, most milestones
        Unit.objects.filter(pk__in=self.flagged).update(
            status=Unit.Status.OVERDUE,
            overdue_since=Coalesce("overdue_since", Value(self.day)),
            updated_at=self.now,
        )
        Dispatch.objects.bulk_create(self.dispatches, batch_size=1000)
        name = self.milestone.get_code_display()
        messages = []
        # Only the units newly overdue are named in a digest: their regions alone are read.
        # A university's level above is the province whose programme it takes part in.
        province_id = self.milestone.programme_year.province_id
        regions = Region.objects.in_bulk([u.region_id for u in self.overdue_units if u.region_id])
        universities = University.objects.in_bulk(
            [u.university_id for u in self.overdue_units if u.university_id]
        )
        above: list[tuple[int | None, str]] = [
            (regions[u.region_id].parent_id, regions[u.region_id].name)
            if u.region_id
            else (province_id, universities[u.university_id].name)
            for u in self.overdue_units
        ]
        staff = _staff_by_region(
            [u.region_id for u, _days in self.reminders if u.region_id]
            + [parent_id for parent_id, _name in above if parent_id]
        )
        university_staff = _staff_by_university(
            [u.university_id for u, _days in self.reminders if u.university_id]
        )
        university_url = reverse("schedule:university_calendar")
        for unit, days_left in self.reminders:
            text = _("提醒：“%(milestone)s”将于 %(due)s 截止（还有 %(days)s 天），请按时完成。") % {
                "milestone": name,
                "due": f"{unit.due:%m月%d日}",
                "days": days_left,
            }
            if unit.university_id:
                messages += [
                    (user, text, university_url) for user in university_staff[unit.university_id]
                ]
            else:
                messages += [(user, text, self.url) for user in staff[unit.region_id]]
        by_parent = defaultdict(list)
        for parent_id, unit_name in above:
            if parent_id:
                by_parent[parent_id].append(unit_name)
        for parent_id, names in by_parent.items():
            text = _("逾期：%(count)s 个单位未在截止日期前完成“%(milestone)s”：%(names)s") % {
                "count": len(names),
                "milestone": name,
                "names": "、".join(names[:20]) + ("等" if len(names) > 20 else ""),
            }
            messages += [(user, text[:300], self.url) for user in staff[parent_id]]
        notify_many(messages)


def _staff_by_university(university_ids: Sequence[int | None]) -> dict[int | None, list]:
    staff: dict[int | None, list] = defaultdict(list)
    for user in university_staff_of(set(university_ids)):
        staff[user.university_id].append(user)
    return staff


def _staff_by_region(region_ids: Sequence[int | None]) -> dict[int | None, list]:
    staff: dict[int | None, list] = defaultdict(list)
    for user in staff_of(set(region_ids)):
        staff[user.region_id].append(user)
    return staff


def selection_close(*, season, county: Region, due: datetime.date, now: datetime.datetime) -> int:
    """At the selection deadline: open applications are closed as not selected, unconfirmed
    offers lapse, and every student concerned is told. Returns how many were closed.
    `now` is the calendar run's time (see run_time), stamped on the closed applications."""
    affected = list(
        Application.objects.select_for_update(of=("self",))
        .filter(
            season=season,
            post__host_unit__county=county,
            status__in=(*OPEN, Application.Status.OFFERED),
        )
        .select_related("student__user", "post")
    )
    if not affected:
        return 0
    offered = [a for a in affected if a.status == Application.Status.OFFERED]
    others = [a for a in affected if a.status != Application.Status.OFFERED]
    Application.objects.filter(pk__in=[a.pk for a in offered]).update(
        status=Application.Status.EXPIRED, updated_at=now
    )
    Application.objects.filter(pk__in=[a.pk for a in others]).update(
        status=Application.Status.REJECTED, updated_at=now
    )
    audit_record_many(
        Action.SELECTION_CLOSE,
        actor=None,  # the calendar acts, also when a province starts a run (it is a task then)
        targets=affected,
        region=county,
        data={"due": due.isoformat()},
    )
    url = reverse("students:me")
    deadline = f"{due:%m月%d日}"
    notify_many(
        [
            (
                application.student.user,
                (
                    _("%(season)s选拔录用已于 %(due)s 截止，“%(post)s”的录用未确认，已过期。")
                    if application.status == Application.Status.OFFERED
                    else _("%(season)s选拔录用已于 %(due)s 截止，你报名的“%(post)s”未被录用。")
                )
                % {"season": season, "due": deadline, "post": application.post.title},
                url,
            )
            for application in affected
        ]
        + [
            (
                user,
                _("%(season)s选拔录用已截止：%(count)s 个未决意向已关闭、录用已过期。")
                % {"season": season, "count": len(affected)},
                reverse("schedule:calendar"),
            )
            for user in staff_of([county.pk])
        ]
    )
    return len(affected)


# County quota ----------------------------------------------------------------------------------


@transaction.atomic
def quota_enforce(*, programme_year_id: int, day: datetime.date) -> Counter:
    """Reported and projected students per county; at-risk flags from the first posts deadline;
    the shortfall once the year's last practice has ended."""
    programme_year = (
        ProgrammeYear.objects.select_for_update()
        .select_related("province")
        .get(pk=programme_year_id)
    )
    milestones = {m.code: m for m in programme_year.milestones.filter(applies=True)}
    posts = [m for m in milestones.values() if m.stage == "posts" and m.due < day]
    warned_for = max(posts, key=lambda m: m.due) if posts else None
    practice = [m.due for m in milestones.values() if m.stage == "practice"]
    final = bool(practice) and day > max(practice)
    counties = Region.objects.filter(level="county", parent__parent=programme_year.province)
    reported, pipeline = _quota_counts(programme_year)
    existing = {q.region_id: q for q in programme_year.quotas.all()}
    counts: Counter = Counter()
    warn: list[CountyQuota] = []
    changed: list[CountyQuota] = []
    created: list[CountyQuota] = []
    for region_id in counties.values_list("pk", flat=True):
        quota = existing.get(region_id) or CountyQuota(
            programme_year=programme_year,
            region_id=region_id,
            quota=programme_year.quota_per_county,
        )
        before = (quota.quota, quota.reported, quota.projected, quota.at_risk, quota.shortfall)
        if quota.finalised_on is None:
            quota.quota = programme_year.quota_per_county
            quota.reported = reported.get(region_id, 0)
            quota.projected = quota.reported + pipeline.get(region_id, 0)
            at_risk = warned_for is not None and quota.projected < quota.quota
            if at_risk and not quota.at_risk:
                quota.at_risk_since = day
                warn.append(quota)
            quota.at_risk = at_risk
            if final:
                quota.shortfall = max(0, quota.quota - quota.reported)
                quota.finalised_on = day
                counts["quotas_finalised"] += 1
        if quota.pk is None:
            created.append(quota)
        elif before != (
            quota.quota,
            quota.reported,
            quota.projected,
            quota.at_risk,
            quota.shortfall,
        ):
            changed.append(quota)
    CountyQuota.objects.bulk_create(created, batch_size=1000)
    fields = [
        "quota",
        "reported",
        "projected",
        "at_risk",
        "at_risk_since",
        "shortfall",
        "finalised_on",
    ]
    CountyQuota.objects.bulk_update(changed, fields, batch_size=1000)
    if created or changed:
        # bulk_create stamps the wall clock and bulk_update nothing: the run's time instead.
        programme_year.quotas.filter(
            region_id__in=[quota.region_id for quota in created + changed]
        ).update(updated_at=run_time(day))
    if warned_for is not None:
        counts["quota_warnings"] += _quota_warn(warned_for, programme_year, day)
    return counts


def _quota_counts(programme_year: ProgrammeYear) -> tuple[dict[int, int], dict[int, int]]:
    """Per county: students reported in the year, and students projected to report (reported,
    or holding a confirmed place, or an offer out), each student counted once."""
    county = "post__host_unit__county_id"

    def distinct_students(queryset) -> dict[int, int]:
        return dict(queryset.values_list(county).annotate(n=Count("student_id", distinct=True)))

    placements = Placement.objects.filter(season__programme_year=programme_year)
    reported = distinct_students(placements.filter(reported_at__isnull=False))
    placed = placements.filter(Q(reported_at__isnull=False) | Q(status=Placement.Status.CONFIRMED))
    offered = Application.objects.filter(
        season__programme_year=programme_year, status=Application.Status.OFFERED
    ).exclude(student_id__in=placed.values("student_id"))
    projected = Counter(distinct_students(placed))
    projected.update(distinct_students(offered))
    return reported, {pk: n - reported.get(pk, 0) for pk, n in projected.items()}


def _quota_warn(posts: Milestone, programme_year: ProgrammeYear, day: datetime.date) -> int:
    """Tell each at-risk county and its city, once per posts deadline."""
    at_risk = programme_year.quotas.filter(at_risk=True)
    unit_milestones_ensure(milestone=posts, now=run_time(day))
    # Only counties not yet warned are read: on most days that is none of them.
    warned = Dispatch.objects.filter(
        unit=OuterRef("pk"), kind=Dispatch.Kind.QUOTA_RISK, due=posts.due
    )
    fresh = list(
        posts.units.filter(region_id__in=at_risk.values("region_id"))
        .exclude(Exists(warned))
        .select_related("region")
        .order_by("region__code")  # the city's list reads the same on every run and replay
    )
    if not fresh:
        return 0
    quotas: dict[int | None, CountyQuota] = {
        q.region_id: q for q in at_risk.filter(region_id__in=[u.region_id for u in fresh])
    }
    Dispatch.objects.bulk_create(
        [
            Dispatch(
                unit=unit, kind=Dispatch.Kind.QUOTA_RISK, due=posts.due, created_at=run_time(day)
            )
            for unit in fresh
        ]
    )
    staff = _staff_by_region([u.region_id for u in fresh] + [u.region.parent_id for u in fresh])
    url = reverse("schedule:calendar")
    messages = []
    by_city = defaultdict(list)
    for unit in fresh:
        quota = quotas[unit.region_id]
        text = _("%(county)s预计报到 %(projected)s 人，低于 %(quota)s 人的要求，请加强动员。") % {
            "county": unit.region.name,
            "projected": quota.projected,
            "quota": quota.quota,
        }
        messages += [(user, text, url) for user in staff[unit.region_id]]
        by_city[unit.region.parent_id].append(f"{unit.region.name}（{quota.projected}）")
    for city_id, names in by_city.items():
        text = _("报到人数预警：%(count)s 个县（市、区）预计达不到 %(quota)s 人：%(names)s") % {
            "count": len(names),
            "quota": programme_year.quota_per_county,
            "names": "、".join(names[:15]) + ("等" if len(names) > 15 else ""),
        }
        messages += [(user, text[:300], url) for user in staff[city_id]]
    notify_many(messages)
    return len(fresh)
