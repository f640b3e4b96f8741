"""Reads of students, applications and placements, already scoped to the user who asks."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest, Length
from django.http import Http404
from django.utils import timezone

from accounts.access import Access
from accounts.models import Role, User
from accounts.scoping import NOTHING, region_filter
from positions.models import Post
from schedule.models import Onboarding
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
    county correct their identity or give them a temporary password (the city, the province
    and the university read: 403)."""
    student = students_for_user(user).filter(pk=pk, anonymised_at__isnull=True).first()
    if student is None:
        raise Http404
    county = user.role == Role.COUNTY
    return student, Access(can_correct_identity=county, can_reset_password=county)


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


def seats_left():
    """A post's places still free (an expression over Post): headcount less its confirmed (not
    dropped) places and the offers still waiting for an answer. Subqueries, so a list of posts
    costs one query and counts are not multiplied by each other's joins."""
    taken = (
        Placement.objects.filter(post=OuterRef("pk"))
        .exclude(status=Placement.Status.DROPPED)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    waiting = (
        Application.objects.filter(post=OuterRef("pk"), status=Application.Status.OFFERED)
        .order_by()
        .values("post")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Greatest(
        F("headcount") - Coalesce(Subquery(taken), 0) - Coalesce(Subquery(waiting), 0),
        Value(0),
    )


def post_seats_left(post_id: int) -> int:
    rows = Post.objects.filter(pk=post_id).annotate(n=seats_left()).values_list("n", flat=True)
    return rows.get()


def checkin_window(post, today: datetime.date) -> str:
    """Whether 报到 is possible on `today`: "before" the post's first day, "open", or "after"
    its last day. The student's page and the check-in itself ask this one rule."""
    if today < post.starts_on:
        return "before"
    return "after" if today > post.ends_on else "open"


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


# Filters a list shares with the home page's to-do list (工作台) ---------------------------------


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
