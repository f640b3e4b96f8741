"""A county's matching round: the applications and host-unit rankings of a season go through
`stable_match`; the county previews the outcome with reasons, then publishes it as offers."""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record, audit_record_many
from accounts.notices import notify_many
from fanjiaxiang import outbox
from positions.models import Post, Region
from positions.public_cache import public_pages_changed
from schedule.services import stage_check_open
from students import selectors, tasks
from students.matching import stable_match
from students.models import (
    Application,
    MatchingOutcome,
    MatchingRound,
    Placement,
    SupplementaryRound,
)

S = Application.Status
OPEN = (S.APPLIED, S.SHORTLISTED)


def _open_applications(county: Region, season) -> list[Application]:
    """Choices still to decide, of students not yet placed this season."""
    # Placed anywhere this practice period (a post another county opened counts too).
    placed = Placement.objects.filter(season__in=selectors.period_seasons(season.pk)).exclude(
        status=Placement.Status.DROPPED
    )
    return list(
        Application.objects.filter(
            season=season,
            status__in=OPEN,
            post__host_unit__county=county,
            post__status=Post.Status.PUBLISHED,
        )
        .exclude(student__in=placed.values("student"))
        .select_related("post")
        .order_by("student_id", "rank")
    )


def _free_seats(posts: set[int]) -> dict[int, int]:
    """Headcount less confirmed places and offers still waiting for an answer."""
    rows = Post.objects.filter(pk__in=posts).values_list("pk", selectors.seats_left())
    return dict(rows)


def preferences(applications: list[Application]) -> tuple[dict, dict, dict]:
    """student → posts by the student's rank; post → students by the host unit's ranking, those
    it did not rank after those it did, by application time; unsuitable ones left out."""
    student_prefs: dict[int, list[int]] = defaultdict(list)
    by_post: dict[int, list[Application]] = defaultdict(list)
    for application in applications:  # already in (student, rank) order
        student_prefs[application.student_id].append(application.post_id)
        if not application.host_unsuitable:
            by_post[application.post_id].append(application)
    post_prefs = {
        post: [
            a.student_id
            for a in sorted(
                ranked, key=lambda a: (a.host_rank is None, a.host_rank or 0, a.created_at, a.pk)
            )
        ]
        for post, ranked in by_post.items()
    }
    return dict(student_prefs), post_prefs, _free_seats({a.post_id for a in applications})


def _reasons(applications, result, post_prefs, capacities) -> dict[int, tuple[bool, str]]:
    """For each application: placed, or why the student did not get it."""
    placed_at = {s: post for post, students in result.items() for s in students}
    mine = {(a.student_id, a.post_id): a for a in applications}
    outcomes = {}
    for (student, post), application in mine.items():
        if placed_at.get(student) == post:
            outcomes[application.pk] = (True, _("匹配成功"))
        elif application.host_unsuitable:
            outcomes[application.pk] = (False, _("用人单位认为不合适"))
        elif capacities.get(post, 0) <= 0:
            outcomes[application.pk] = (False, _("该岗位已无空余名额"))
        elif student in placed_at and mine[(student, placed_at[student])].rank < application.rank:
            outcomes[application.pk] = (False, _("已匹配到更靠前的意向"))
        else:
            outcomes[application.pk] = (False, _("名额已由用人单位排序更靠前的报名者占满"))
    return outcomes


@transaction.atomic
def round_start(*, county: Region, season, actor) -> MatchingRound:
    """Open a round (replacing an unpublished preview); `round_compute` fills it."""
    MatchingRound.objects.filter(
        county=county, season=season, status=MatchingRound.Status.PREVIEW
    ).delete()
    try:
        with transaction.atomic():
            return MatchingRound.objects.create(
                county=county,
                season=season,
                created_by=actor,
                status=MatchingRound.Status.RUNNING,
            )
    except IntegrityError as error:  # another run of this season is under way
        raise ValidationError(_("本实践季的匹配正在运行，请稍后刷新。")) from error


@transaction.atomic
def round_compute(*, round_id: int) -> MatchingRound | None:
    """Compute a running round's outcomes and make it the preview. Idempotent: a round that is
    no longer running is left alone, and a worker killed mid-way leaves nothing behind (one
    transaction), so the redelivered task simply computes it again."""
    matching_round = (
        MatchingRound.objects.select_for_update(skip_locked=True)
        .filter(pk=round_id, status=MatchingRound.Status.RUNNING)
        .select_related("county", "season")
        .first()
    )
    if matching_round is None:
        return None
    applications = _open_applications(matching_round.county, matching_round.season)
    student_prefs, post_prefs, capacities = preferences(applications)
    result = stable_match(student_prefs, post_prefs, capacities)
    outcomes = _reasons(applications, result, post_prefs, capacities)
    MatchingOutcome.objects.filter(round=matching_round).delete()
    MatchingOutcome.objects.bulk_create(
        MatchingOutcome(round=matching_round, application_id=pk, placed=placed, reason=reason)
        for pk, (placed, reason) in outcomes.items()
    )
    MatchingRound.objects.filter(pk=round_id).update(status=MatchingRound.Status.PREVIEW)
    matching_round.status = MatchingRound.Status.PREVIEW
    return matching_round


def round_run(*, county: Region, season, actor) -> MatchingRound | None:
    """Start and compute at once (a county of ordinary size: well under a second)."""
    with transaction.atomic():
        matching_round = round_start(county=county, season=season, actor=actor)
        return round_compute(round_id=matching_round.pk)


def round_run_in_background(*, county: Region, season, actor) -> MatchingRound:
    """Start now; a Celery worker computes it after this transaction commits."""
    with transaction.atomic():
        matching_round = round_start(county=county, season=season, actor=actor)
        outbox.enqueue(tasks.compute_matching_round, matching_round.pk)
    return matching_round


def open_application_count(county: Region, season) -> int:
    return len(_open_applications(county, season))


@transaction.atomic
def round_publish(*, matching_round: MatchingRound, actor, now=None) -> int:
    """Send the preview's offers, all or none; a second publish (or a concurrent one) is refused.
    Anything changed since the preview (a choice withdrawn, a seat offered by hand) refuses
    the publish as a whole: the county runs the round again and looks at the new preview."""
    now = now or timezone.now()
    claimed = MatchingRound.objects.filter(
        pk=matching_round.pk, status=MatchingRound.Status.PREVIEW
    ).update(status=MatchingRound.Status.PUBLISHED, published_at=now)
    if claimed != 1:
        raise ValidationError(_("该匹配结果已发布或已被新的匹配替换。"))
    season = matching_round.season
    stage_check_open(
        season=season,
        stage="match",
        county_id=matching_round.county_id,
        today=timezone.localdate(now),
    )
    days = season.programme_year.offer_reply_days
    ids = list(
        MatchingOutcome.objects.filter(round=matching_round, placed=True).values_list(
            "application_id", flat=True
        )
    )
    chosen = list(
        Application.objects.select_for_update()
        .filter(pk__in=ids, status__in=OPEN, post__status=Post.Status.PUBLISHED)
        .select_related("post", "student__user")
    )
    twice = len({a.student_id for a in chosen}) != len(chosen)
    if len(chosen) != len(ids) or twice or _over_capacity(chosen) or _already_placed(chosen):
        raise ValidationError(_("预览之后报名情况有变化，请重新运行匹配。"))
    Application.objects.filter(pk__in=ids).update(
        status=S.OFFERED,
        updated_at=now,
        offer_expires_at=now + datetime.timedelta(days=days),
    )
    public_pages_changed()  # a round fills posts: their 名额已满 shows at once
    audit_record(
        Action.MATCHING_PUBLISH,
        actor=actor,
        target=matching_round,
        region=matching_round.county,
        data={"offers": len(chosen)},
    )
    audit_record_many(
        Action.APPLICATION_OFFER,
        actor=actor,
        targets=chosen,
        region=matching_round.county,
        data={"round": matching_round.pk},
    )
    notify_many(
        [
            (
                a.student.user,
                _("你被“%(post)s”录用，请在 %(days)s 天内确认。")
                % {"post": a.post.title, "days": days},
                reverse("students:me"),
            )
            for a in chosen
        ]
    )
    return len(chosen)


@transaction.atomic
def outcome_toggle(*, outcome: MatchingOutcome, actor) -> MatchingOutcome:
    """The county's hand adjustment of a preview: place or unplace one application.
    Publishing checks seats and one place per student again, so nothing invalid goes out."""
    changed = MatchingOutcome.objects.filter(
        pk=outcome.pk, placed=outcome.placed, round__status=MatchingRound.Status.PREVIEW
    ).update(placed=not outcome.placed, reason=_("县级团委手动调整"))
    if changed != 1:
        raise ValidationError(_("该匹配结果已发布，不能再调整。"))
    outcome.refresh_from_db()
    return outcome


def round_summary(matching_round: MatchingRound) -> dict:
    """The preview as the county reads it: per post who is placed, per student what and why."""
    outcomes = list(
        matching_round.outcomes.select_related(
            "application__post", "application__student"
        ).order_by("application__student_id", "application__rank")
    )
    by_post: dict[Post, list] = defaultdict(list)
    for outcome in outcomes:
        if outcome.placed:
            by_post[outcome.application.post].append(outcome.application.student)
    by_student: dict = defaultdict(list)
    for outcome in outcomes:
        by_student[outcome.application.student].append(outcome)
    return {
        "by_post": dict(by_post),
        "by_student": dict(by_student),
        "placed": sum(o.placed for o in outcomes),
        "students": len(by_student),
    }


def _over_capacity(chosen: list[Application]) -> bool:
    wanted: dict[int, int] = defaultdict(int)
    for application in chosen:
        wanted[application.post_id] += 1
    free = _free_seats(set(wanted))
    return any(n > free.get(post, 0) for post, n in wanted.items())


def _already_placed(chosen: list[Application]) -> bool:
    students = {a.student_id for a in chosen}
    return (
        Placement.objects.filter(
            student__in=students, season__in=selectors.period_seasons(chosen[0].season_id)
        )
        .exclude(status=Placement.Status.DROPPED)
        .exists()
        if chosen
        else False
    )


# 补录 (supplementary round) --------------------------------------------------------------------


def free_seats_in(county: Region, season) -> dict[int, int]:
    posts = Post.objects.filter(
        host_unit__county=county, season=season, status=Post.Status.PUBLISHED
    ).values_list("pk", flat=True)
    return {pk: seats for pk, seats in _free_seats(set(posts)).items() if seats > 0}


@transaction.atomic
def supplementary_open(*, county: Region, season, actor) -> int:
    """Close the main round's leftovers so unplaced students may choose again among posts
    with free seats; each is told. Returns how many students were invited."""
    try:
        with transaction.atomic():
            SupplementaryRound.objects.create(county=county, season=season)
    except IntegrityError as error:
        raise ValidationError(_("本实践季的补录已经开启。")) from error
    MatchingRound.objects.filter(
        county=county, season=season, status=MatchingRound.Status.PREVIEW
    ).delete()
    leftovers = list(
        Application.objects.select_for_update()
        .filter(season=season, status__in=OPEN, post__host_unit__county=county)
        .select_related("student__user")
    )
    Application.objects.filter(pk__in=[a.pk for a in leftovers]).update(
        status=S.REJECTED, updated_at=timezone.now()
    )
    students = {a.student_id: a.student for a in leftovers}
    notify_many(
        [
            (
                student.user,
                _("主轮匹配未被录用。补录已开启：可在仍有空余名额的岗位中重新填报意向。"),
                reverse("students:supplementary"),
            )
            for student in students.values()
        ]
    )
    return len(students)


def supplementary_is_open(county_id: int, season_id: int) -> bool:
    return SupplementaryRound.objects.filter(county_id=county_id, season_id=season_id).exists()
