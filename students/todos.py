"""The home page's reads for the staff's to-do list (工作台) and a student's next step: selectors
of this app (scoped through students.selectors, bounded queries), kept beside them for size."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Min, Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fanjiaxiang.todo import Todo
from safety.selectors import confirm_missing, insurance_todos
from schedule.selectors import stage_due_nearest
from students.models import Application, Placement, PracticeLog, Student
from students.selectors import (
    applications_for_user,
    applications_needing_clearance,
    placement_todo_filter,
    placements_for_user,
    selection_access,
)

OFFER_SOON = datetime.timedelta(days=2)  # an offer this close to lapsing is worth a call
CHECKIN_ROWS = 30  # check-in codes shown on a host unit's home; the rest on the list


def _one_post_or_list(post_ids: list[int], todo: str) -> str:
    """Where a placement to-do is done: the post's page when there is one post, else the
    placement list filtered to the to-do."""
    if len(set(post_ids)) == 1:
        return reverse("students:post_applicants", args=[post_ids[0]]) + "#placements"
    return f"{reverse('students:placement_list')}?todo={todo}"


def todos_for_selection(user, now: datetime.datetime) -> list[Todo]:
    """The county's applicants waiting for a decision and its offers about to lapse (two
    queries; the selection date one more)."""
    if not selection_access(user).can_offer:
        return []
    applications = applications_for_user(user).filter(post__status="published").order_by()
    waiting = list(
        applications.filter(
            status__in=(Application.Status.APPLIED, Application.Status.SHORTLISTED)
        ).values_list("post_id", "season_id")
    )
    soon = list(
        applications.filter(
            # Lapsed ones are the calendar run's (offers_expire), not the county's.
            status=Application.Status.OFFERED,
            offer_expires_at__gte=now,
            offer_expires_at__lte=now + OFFER_SOON,
        ).values_list("post_id", "offer_expires_at")
    )
    todos = []
    if waiting:
        due = stage_due_nearest(
            season_ids={s for _p, s in waiting}, stage="match", region_id=user.region_id
        )
        todos.append(
            Todo(
                key="decide",
                title=_("决定报名学生是否录用"),
                count=len(waiting),
                url=_posts_url({p for p, _s in waiting}, "waiting"),
                action=_("去选拔录用"),
                due=due,
                due_label=_("选拔截止"),
                urgent=due is not None and due < timezone.localdate(now),
            )
        )
    if soon:
        todos.append(
            Todo(
                key="offers_expiring",
                title=_("录用即将过期，学生尚未确认：请提醒学生确认"),
                count=len(soon),
                url=_posts_url({p for p, _e in soon}, "offered"),
                action=_("查看待确认录用"),
                due=min(e for _p, e in soon if e is not None),
                due_label=_("最早过期"),
                urgent=True,
            )
        )
    return todos


def _posts_url(post_ids: set[int], which: str) -> str:
    if len(post_ids) == 1:
        return reverse("students:post_applicants", args=[next(iter(post_ids))])
    return f"{reverse('positions:post_list')}?applications={which}"


def todos_for_placements(user, today: datetime.date) -> list[Todo]:
    """Host units and counties: students to check in today (the host unit sees their codes
    right here), practice logs to confirm, 期满鉴定 due. Three queries."""
    access = selection_access(user)
    if not access.can_record:
        return []
    placements = placements_for_user(user).order_by()
    todos = insurance_todos(user, today)  # the county's; the university's below
    if access.can_see_checkin_code:
        todos += _checkin_todos(placements, today)
    logs = list(
        PracticeLog.objects.filter(
            placement__in=placements.filter(status=Placement.Status.REPORTED).values("pk"),
            confirmed_at__isnull=True,
        ).values_list("placement__post_id", "day")
    )
    if logs:
        todos.append(
            Todo(
                key="logs",
                title=_("确认学生实践日志的时长"),
                count=len(logs),
                url=_one_post_or_list([p for p, _d in logs], "logs"),
                action=_("确认时长"),
                due=min(d for _p, d in logs),
                due_label=_("最早一篇"),
            )
        )
    evaluate_filter = placement_todo_filter("evaluate", today)
    assert evaluate_filter is not None
    evaluate = list(placements.filter(evaluate_filter).values_list("post_id", "post__ends_on"))
    if evaluate:
        todos.append(
            Todo(
                key="evaluate",
                title=_("实践期满，作期满鉴定"),
                count=len(evaluate),
                url=_one_post_or_list([p for p, _d in evaluate], "evaluate"),
                action=_("去鉴定"),
                due=min(d for _p, d in evaluate),
                due_label=_("最早期满"),
                urgent=True,
            )
        )
    return todos


def _checkin_todos(placements: QuerySet[Placement], today: datetime.date) -> list[Todo]:
    checkin_filter = placement_todo_filter("checkin", today)
    assert checkin_filter is not None
    rows = list(
        placements.filter(checkin_filter)
        .select_related(None)
        .select_related("student", "post")
        .only("pk", "checkin_code", "post_id", "student__name", "post__title", "post__starts_on")
        .order_by("post__starts_on", "post__title", "student__name", "pk")[: CHECKIN_ROWS + 1]
    )
    if not rows:
        return _checkin_soon_todos(placements, today)
    return [
        Todo(
            key="checkin",
            title=_("今天待报到的学生：把报到码告诉学生，或直接登记报到"),
            count=len(rows)
            if len(rows) <= CHECKIN_ROWS
            else placements.filter(checkin_filter).count(),
            url=_one_post_or_list([p.post_id for p in rows], "checkin"),
            action=_("查看全部待报到"),
            due=rows[0].post.starts_on,
            due_label=_("报到开始"),
            urgent=True,
            rows=rows[:CHECKIN_ROWS],
        )
    ]


CHECKIN_SOON = datetime.timedelta(days=14)


def _checkin_soon_todos(placements: QuerySet[Placement], today: datetime.date) -> list[Todo]:
    """No one to check in today: who comes next, so the unit can get ready (one query)."""
    soon = placements.filter(
        status=Placement.Status.CONFIRMED,
        post__starts_on__gt=today,
        post__starts_on__lte=today + CHECKIN_SOON,
    ).aggregate(count=Count("pk"), first=Min("post__starts_on"))
    if not soon["count"]:
        return []
    return [
        Todo(
            key="checkin_soon",
            title=_("学生即将到岗报到：做好接待和岗前培训准备，报到码当天显示在这里"),
            count=soon["count"],
            url=f"{reverse('students:placement_list')}?status=confirmed",
            action=_("查看待报到学生"),
            due=soon["first"],
            due_label=_("报到开始"),
        )
    ]


def todos_for_university(user, today: datetime.date) -> list[Todo]:
    if not selection_access(user).can_certify:
        return []
    todos = insurance_todos(user, today)
    pending = list(
        applications_needing_clearance(user, today)
        .order_by()
        .values_list("student_id", "season_id", "post__starts_on")
    )
    if not pending:
        return todos
    return [
        *todos,
        Todo(
            key="clearance",
            title=_("为报名学生开具在校表现证明、记录行前安全培训"),
            count=len({(s, season) for s, season, _d in pending}),
            url=f"{reverse('students:university_students')}?todo=clearance#clearances",
            action=_("去办理"),
            due=min(d for _s, _season, d in pending),
            due_label=_("最早出发"),
        ),
    ]


# A student's next step -------------------------------------------------------------------------

STUDENT_STEPS = (
    "profile",
    "apply",
    "decision",
    "confirm",
    "checkin",
    "log",
    "outcome",
    "certificate",
)


@dataclass(frozen=True)
class NextStep:
    """What the student does next, by when, and the one link or button that does it; `trail`
    is every step of the season with whether it is done, current or to come."""

    step: str  # one of STUDENT_STEPS, or "none"
    title: str
    detail: str = ""
    due: datetime.date | datetime.datetime | None = None
    due_label: str = ""
    url: str = ""
    action: str = ""
    record: Application | Placement | None = None  # what a button on the page acts on
    missing: list = field(default_factory=list)  # what confirming the offer still needs
    certificate: Placement | None = None  # the latest certificate, beside whatever comes next
    trail: list = field(default_factory=list)


def _trail(current: str) -> list[tuple[str, str]]:
    labels = {
        "profile": _("完善个人信息"),
        "apply": _("报名岗位"),
        "decision": _("等待录用"),
        "confirm": _("确认录用"),
        "checkin": _("到岗报到"),
        "log": _("实践日志"),
        "outcome": _("实践总结"),
        "certificate": _("鉴定与证书"),
    }
    at = STUDENT_STEPS.index(current) if current in STUDENT_STEPS else -1
    return [
        (labels[step], "done" if i < at else "current" if i == at else "todo")
        for i, step in enumerate(STUDENT_STEPS)
    ]


def student_next_step(user, now: datetime.datetime) -> NextStep | None:
    """The student's next step: a placement in progress first, then an offer to confirm, then
    choices waiting for a decision, else the season to apply for. Four queries."""
    student = (
        Student.objects.filter(user=user, anonymised_at__isnull=True)
        .select_related("hometown__parent__parent")
        .first()
    )
    if student is None:
        return None
    today = timezone.localdate(now)
    placements = list(
        placements_for_user(user)
        .exclude(status=Placement.Status.DROPPED)
        .select_related("outcome")  # whether the 实践总结 is handed in (outcomes app)
        .order_by("-season__practice_starts", "-pk")[:2]
    )
    certificate = next((p for p in placements if p.status == Placement.Status.COMPLETED), None)
    active = next((p for p in placements if p.status in ("confirmed", "reported")), None)
    step = _placement_step(active, today) if active else None
    if step is None:
        step = _application_step(user, student, now)
    if step is None:
        missing = student.missing_for_application()
        step = _profile_step(missing) if missing else _apply_step(student, today)
    trail = _trail(step["step"]) if step["step"] in STUDENT_STEPS else []
    return NextStep(**{**step, "certificate": certificate, "trail": trail})


def _me(anchor: str) -> str:
    return f"{reverse('students:me')}#{anchor}"


def _placement_step(placement: Placement, today: datetime.date) -> dict | None:
    post = placement.post
    where = {"unit": post.host_unit.name, "post": post.title}
    if placement.status == Placement.Status.CONFIRMED:
        if today > post.ends_on:
            return None
        opens = post.starts_on <= today
        return {
            "step": "checkin",
            "title": _("到%(unit)s报到（%(post)s）") % where,
            "detail": _("向用人单位索取报到码，在这里输入即完成报到。")
            if opens
            else _("报到当天向用人单位索取报到码。"),
            "due": post.starts_on,
            "due_label": _("报到开始") if opens else _("报到开放"),
            "url": _me(f"placement-{placement.pk}"),
            "action": _("去报到"),
            "record": placement if opens else None,
        }
    outcome = getattr(placement, "outcome", None)  # None when there is no 实践总结 yet
    written = outcome is not None and bool(outcome.text)
    if today < post.ends_on:
        return {
            "step": "log",
            "title": (
                _("写实践日志（%(post)s）") if written else _("写实践日志和实践总结（%(post)s）")
            )
            % where,
            "detail": _("每天记录做了什么、用了几个小时，用人单位确认后计入实践时长。")
            + ("" if written else _("实践总结可以边实践边写，期满鉴定前提交。")),
            "due": post.ends_on,
            "due_label": _("实践结束"),
            "url": _me(f"placement-{placement.pk}"),
            "action": _("写日志"),
        }
    if not written:
        return {
            "step": "outcome",
            "title": _("提交实践总结（%(post)s）") % where,
            "detail": _("用人单位和县级团委在期满鉴定前阅读；鉴定后总结锁定，不能再改。"),
            "due": post.ends_on,
            "due_label": _("期满"),
            "url": reverse("outcomes:edit", args=[placement.pk]),
            "action": _("写实践总结"),
        }
    return {
        "step": "certificate",
        "title": _("实践期满，等待%(unit)s作期满鉴定") % where,
        "detail": _("鉴定完成后即可下载实践证书；还有未写的日志可以补写。"),
        "due": post.ends_on,
        "due_label": _("期满"),
        "url": _me(f"placement-{placement.pk}"),
        "action": _("查看我的实践"),
    }


def _application_step(user, student: Student, now: datetime.datetime) -> dict | None:
    applications = list(
        applications_for_user(user)
        .filter(
            status__in=(
                Application.Status.APPLIED,
                Application.Status.SHORTLISTED,
                Application.Status.OFFERED,
            ),
            season__practice_ends__gte=timezone.localdate(now),
        )
        .order_by("rank", "pk")
    )
    offers = [
        a
        for a in applications
        if a.status == Application.Status.OFFERED
        and (a.offer_expires_at is None or a.offer_expires_at >= now)
    ]
    if offers:
        offer = min(offers, key=lambda a: (a.offer_expires_at or now, a.rank))
        return {
            "step": "confirm",
            "title": _("确认“%(post)s”的录用") % {"post": offer.post.title},
            "detail": _("逾期未确认，录用自动失效。"),
            "due": offer.offer_expires_at,
            "due_label": _("确认截止"),
            "url": _me(f"application-{offer.pk}"),
            "action": _("确认录用"),
            "record": offer,
            "missing": confirm_missing(offer),
        }
    waiting = [a for a in applications if a.status != Application.Status.OFFERED]
    if not waiting:
        return None
    due = stage_due_nearest(
        season_ids={a.season_id for a in waiting},
        stage="match",
        region_id=waiting[0].post.host_unit.county_id,
    )
    return {
        "step": "decision",
        "title": _("等待县级团委决定录用（%(n)s 个意向）") % {"n": len(waiting)},
        "detail": _("录用后会通知你，请在期限内确认。"),
        "due": due,
        "due_label": _("选拔截止"),
        "url": reverse("students:me"),
        "action": _("查看我的意向"),
    }


def _profile_step(missing: list[str]) -> dict:
    """Registration asks only what selection reads; an application waits for the rest."""
    return {
        "step": "profile",
        "title": _("完善个人信息"),
        "detail": _("报名岗位前请先填写：%(fields)s。") % {"fields": "、".join(missing)},
        "url": reverse("students:profile"),
        "action": _("去填写个人信息"),
    }


def _apply_step(student: Student, today: datetime.date) -> dict:
    """The hometown province's next season still taking choices (its selection date ahead)."""
    from schedule.models import Milestone, Season  # students.models does not import schedule's

    hometown = student.hometown
    province = hometown.parent.parent if hometown.parent else None
    seasons = (
        Season.objects.filter(programme_year__province=province, practice_ends__gte=today)
        .select_related("programme_year")
        .prefetch_related(
            Prefetch(
                "milestones",
                queryset=Milestone.objects.filter(applies=True, code__endswith="_match"),
            )
        )
        .order_by("practice_starts")[:3]
    )
    for season in seasons:
        due = min((m.due for m in season.milestones.all()), default=None)
        if due is None or due >= today:
            query = urlencode(
                {
                    "province": province.code if province else "",
                    "city": hometown.parent.code if hometown.parent else "",
                    "county": hometown.code,
                    "season": f"{season.programme_year.year}-{season.kind}",
                }
            )
            return {
                "step": "apply",
                "title": _("报名%(season)s家乡岗位") % {"season": season},
                "detail": _("按意向顺序最多选择几个岗位，县级团委和用人单位双向选择。"),
                "due": due,
                "due_label": _("报名截止"),
                "url": f"{reverse('positions:search')}?{query}",
                "action": _("查找家乡岗位"),
            }
    return {
        "step": "none",
        "title": _("暂无待办"),
        "detail": _("下一季岗位发布后会通知你，也可以随时查看家乡岗位。"),
        "url": reverse("positions:search"),
        "action": _("查找岗位"),
    }
