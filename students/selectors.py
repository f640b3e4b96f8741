"""Reads of students, applications and placements, already scoped to the user who asks."""

import datetime
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Length
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import Access
from accounts.models import Role, User
from accounts.scoping import NOTHING, region_filter
from fanjiaxiang.todo import Todo
from schedule.models import Onboarding
from schedule.selectors import stage_due_nearest
from students.models import (
    ACTIVE_APPLICATION,
    Application,
    Clearance,
    Placement,
    PracticeLog,
    Student,
    University,
)

SEARCH_LIMIT = 15
SEARCH_MAX_LENGTH = 50


def universities_for_user(user, query: str = "") -> QuerySet[University]:
    """Provincial staff keep the register of their province's universities; `query` narrows
    it to names (portal's or register's) or codes containing it."""
    if not user.is_authenticated or user.role != Role.PROVINCE:
        raise Http404
    found = University.objects.filter(province=user.region_id)
    text = " ".join(str(query).split())[:SEARCH_MAX_LENGTH]
    if text:
        found = found.filter(
            Q(name__icontains=text) | Q(register_name__icontains=text) | Q(code__startswith=text)
        )
    return found.order_by("code", "name")


def get_university_for_user(user, pk: int) -> tuple[University, Access]:
    """One university and what the user may do with it: its province's staff rename it;
    anyone else (another province included) gets 404."""
    university = universities_for_user(user).filter(pk=pk).first()
    if university is None:
        raise Http404
    return university, Access(can_write=True)


def universities_search(query: str, *, limit: int = SEARCH_LIMIT) -> list[University]:
    """The register's institutions whose name (or the register's name for it) contains `query`,
    or whose pinyin initials start with or contain it ("bjdx", "北京" → 北京大学); digits also
    match the 学校标识码. Exact and prefix matches first, then shorter names. Anything typed is
    a plain substring: no pattern characters, no error."""
    text = " ".join(str(query).split())[:SEARCH_MAX_LENGTH]
    if not text:
        return []
    letters = text.lower().replace(" ", "")
    match = Q(name__icontains=text) | Q(register_name__icontains=text)
    if letters.isascii() and letters.isalnum():
        match |= Q(initials__contains=letters)
        if letters.isdigit():
            match |= Q(code__startswith=letters)
    rank = Case(
        When(name=text, then=Value(0)),
        When(initials=letters, then=Value(1)),
        When(name__startswith=text, then=Value(2)),
        When(initials__startswith=letters, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    found = (
        University.objects.filter(match)
        .select_related("province")
        .annotate(rank=rank, length=Length("name"))
        .order_by("rank", "length", "name")
    )
    return list(found[:limit])


def university_by_name(text: str) -> University | None:
    """The institution a name typed (or chosen in the type-ahead) stands for: its name in the
    portal, its name in the register, or its 学校标识码."""
    text = " ".join(str(text).split())
    if not text:
        return None
    match = Q(name=text) | Q(register_name=text)
    if len(text) == 10 and text.isascii() and text.isdigit():
        match |= Q(code=text)
    found = list(University.objects.filter(match).order_by("pk")[:2])
    exact = [u for u in found if u.name == text]  # a rename may reuse another's register name
    candidates = exact or found
    return candidates[0] if candidates else None


def student_for_user(user) -> Student:
    student = (
        Student.objects.filter(user=user)
        .select_related("university", "hometown__parent", "residence__parent__parent")
        .first()
    )
    if student is None:
        raise Http404
    return student


def students_for_user(user) -> QuerySet[Student]:
    """The students a user reads as people: regional staff those whose hometown (生源地) lies in
    their region, university staff their own university's, wherever the students come from."""
    if not user.is_authenticated:
        scope = NOTHING
    elif user.role == Role.UNIVERSITY:
        scope = Q(university=user.university_id)
    else:
        scope = region_filter(user, "hometown")
    return Student.objects.filter(scope).select_related("university", "hometown__parent")


def hometown_contact_phone(student: Student) -> str:
    """The phone the student's hometown county gave when it confirmed its onboarding (入驻),
    the latest year's; blank when it has not."""
    onboarding = (
        Onboarding.objects.filter(region=student.hometown_id).order_by("-confirmed_at").first()
    )
    return onboarding.contact_phone if onboarding else ""


def county_students(user, *, q: str = "") -> QuerySet[Student]:
    """本县学生: the county's students by name (a part of it), newest first; only the county's
    staff list them (views refuse the others)."""
    students = students_for_user(user).filter(anonymised_at__isnull=True)
    if q.strip():
        students = students.filter(name__icontains=q.strip()[:30])
    return students.order_by("-created_at", "-pk")


def get_student_for_user(user, pk: int) -> tuple[Student, Access]:
    """A student in the user's scope (404 otherwise); only the staff of the student's hometown
    county correct their identity (the city, the province and the university read: 403)."""
    student = students_for_user(user).filter(pk=pk, anonymised_at__isnull=True).first()
    if student is None:
        raise Http404
    return student, Access(can_correct_identity=user.role == Role.COUNTY)


def _scope(user, post_path: str, student_path: str) -> Q:
    if not user.is_authenticated:
        return NOTHING
    if user.role == Role.STUDENT:
        return Q(**{f"{student_path}__user": user})
    if user.role == Role.HOST:
        return Q(**{f"{post_path}__host_unit": user.host_unit_id})
    if user.role == Role.UNIVERSITY:
        return Q(**{f"{student_path}__university": user.university_id})
    return region_filter(user, f"{post_path}__host_unit__county")


def period_seasons(season_id: int):
    """The seasons of the same practice period as this one (the same year's summer, or winter)
    in every province: a student's choices and placement count across them, so a post another
    province opens to everyone takes one of the same 意向 and the same one place per season.
    A subquery, so filtering by it costs no extra round trip."""
    from schedule.models import Season  # students.models does not import schedule's models

    season = Season.objects.filter(pk=season_id)
    return Season.objects.filter(
        programme_year__year=Subquery(season.values("programme_year__year")[:1]),
        kind=Subquery(season.values("kind")[:1]),
    ).values("pk")


def post_is_open_to(post, student: Student) -> bool:
    """面向对象: whether the student may choose the post (Post.is_open_to)."""
    return post.is_open_to(hometown_id=student.hometown_id, residence_id=student.residence_id)


def applications_for_user(user) -> QuerySet[Application]:
    return Application.objects.filter(_scope(user, "post", "student")).select_related(
        "student__university", "post__host_unit__county", "season__programme_year"
    )


def placements_for_user(user) -> QuerySet[Placement]:
    return Placement.objects.filter(_scope(user, "post", "student")).select_related(
        "student__university",
        "post__host_unit__county__parent",
        "season__programme_year",
        "application",
    )


def placements_to_manage(user, *, status: str = "", todo: str = "") -> QuerySet[Placement]:
    """实践安排 of the staff user's scope (the county's, the host unit's; read by the city and
    province), newest season first, each marked whether its host unit has an active account;
    `todo` narrows it to one item of the home page's to-do list (placement_todo_filter)."""
    if user.role not in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.HOST):
        raise Http404
    placements = placements_for_user(user).select_related("post__host_unit")
    if status in Placement.Status.values:
        placements = placements.filter(status=status)
    todo_filter = placement_todo_filter(todo, timezone.localdate())
    if todo_filter is not None:
        placements = placements.filter(todo_filter)
    unit_accounts = User.objects.filter(
        host_unit=OuterRef("post__host_unit"),
        host_unit__is_active=True,
        role=Role.HOST,
        is_active=True,
    )
    return placements.annotate(unit_has_account=Exists(unit_accounts)).order_by(
        "-season__practice_starts", "post__host_unit__name", "student__name", "pk"
    )


def selection_access(user) -> Access:
    """What the user may do in selection and practice, for every application and placement in
    their scope: host units rank, record and evaluate; the county decides, records, drops and
    evaluates too (联合用人单位: with the host unit, or for a unit without an account); the
    university certifies its students; the student acts on their own."""
    role = user.role
    host, county = role == Role.HOST, role == Role.COUNTY
    return Access(
        can_rank=host or county,
        can_offer=county,
        can_reveal=host or county,
        can_see_id_number=county,
        can_record=host or county,
        can_see_checkin_code=host,
        can_evaluate=host or county,
        can_drop=county,
        can_certify=role == Role.UNIVERSITY,
    )


def get_application_for_user(user, pk: int) -> tuple[Application, Access]:
    """404 outside the user's scope; what they may do with it beside it (403 in the view)."""
    application = applications_for_user(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application, selection_access(user)


def get_placement_for_user(user, pk: int) -> tuple[Placement, Access]:
    placement = placements_for_user(user).filter(pk=pk).first()
    if placement is None:
        raise Http404
    return placement, selection_access(user)


def host_unit_has_account(host_unit_id: int) -> bool:
    """Whether the host unit can evaluate for itself: active, with an active account."""
    return User.objects.filter(
        host_unit_id=host_unit_id, host_unit__is_active=True, role=Role.HOST, is_active=True
    ).exists()


def evaluator_for(user, host_unit_id: int) -> str:
    """How an evaluation by `user` is recorded: by the host unit itself; by the county jointly
    with a host unit that has an account (联合鉴定); or by the county on behalf of one that has
    none (代为鉴定). The system (no user) stands for the host unit, as it always has."""
    if user is None or getattr(user, "role", "") != Role.COUNTY:
        return Placement.Evaluator.HOST
    if host_unit_has_account(host_unit_id):
        return Placement.Evaluator.JOINT
    return Placement.Evaluator.ON_BEHALF


# The home page's to-do list (工作台) -----------------------------------------------------------

OFFER_SOON = datetime.timedelta(days=2)  # an offer this close to lapsing is worth a call
CHECKIN_ROWS = 30  # check-in codes shown on a host unit's home; the rest on the list


def placement_todo_filter(todo: str, today: datetime.date) -> Q | None:
    """The placements one to-do stands for, as a filter the list page reuses (?todo=…):
    check-in open and not yet reported; reported with log days to confirm; practice over and
    the 期满鉴定 not made."""
    if todo == "checkin":
        return Q(
            status=Placement.Status.CONFIRMED,
            post__starts_on__lte=today,
            post__ends_on__gte=today,
        )
    if todo == "logs":
        unconfirmed = PracticeLog.objects.filter(
            placement=OuterRef("pk"), confirmed_at__isnull=True
        )
        return Q(status=Placement.Status.REPORTED) & Q(Exists(unconfirmed))
    if todo == "evaluate":
        return Q(status=Placement.Status.REPORTED, post__ends_on__lte=today)
    return None


PLACEMENT_TODOS = ("checkin", "logs", "evaluate")


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
    todos = []
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


def applications_needing_clearance(user, today: datetime.date) -> QuerySet[Application]:
    """The university's students who applied or were offered for a season not yet over, whose
    在校表现证明 or 行前安全培训 is not recorded for that season."""
    cleared = Clearance.objects.filter(
        student=OuterRef("student"),
        season=OuterRef("season"),
        performance_certified_at__isnull=False,
        safety_trained_at__isnull=False,
    )
    return (
        applications_for_user(user)
        .filter(status__in=ACTIVE_APPLICATION, season__practice_ends__gte=today)
        .exclude(Exists(cleared))
    )


def todos_for_university(user, today: datetime.date) -> list[Todo]:
    if not selection_access(user).can_certify:
        return []
    pending = list(
        applications_needing_clearance(user, today)
        .order_by()
        .values_list("student_id", "season_id", "post__starts_on")
    )
    if not pending:
        return []
    return [
        Todo(
            key="clearance",
            title=_("为报名学生开具在校表现证明、记录行前安全培训"),
            count=len({(s, season) for s, season, _d in pending}),
            url=f"{reverse('students:university_students')}?todo=clearance#clearances",
            action=_("去办理"),
            due=min(d for _s, _season, d in pending),
            due_label=_("最早出发"),
        )
    ]


# A student's next step -------------------------------------------------------------------------

STUDENT_STEPS = ("profile", "apply", "decision", "confirm", "checkin", "log", "certificate")


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
        .order_by("-season__practice_starts", "-pk")[:2]
    )
    certificate = next((p for p in placements if p.status == Placement.Status.COMPLETED), None)
    active = next((p for p in placements if p.status in ("confirmed", "reported")), None)
    step = _placement_step(active, today) if active else None
    if step is None:
        step = _application_step(user, student, now)
    if step is None:
        step = _apply_step(student, today)
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
    if today < post.ends_on:
        return {
            "step": "log",
            "title": _("写实践日志（%(post)s）") % where,
            "detail": _("每天记录做了什么、用了几个小时，用人单位确认后计入实践时长。"),
            "due": post.ends_on,
            "due_label": _("实践结束"),
            "url": _me(f"placement-{placement.pk}"),
            "action": _("写日志"),
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
