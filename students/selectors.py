"""Reads of students, applications and placements, already scoped to the user who asks."""

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.access import Access
from accounts.models import Role, User
from accounts.scoping import NOTHING, region_filter
from students.models import Application, Placement, Student, University


def universities_for_user(user) -> QuerySet[University]:
    """Provincial staff keep the register of their province's universities."""
    if user.role != Role.PROVINCE:
        raise Http404
    return University.objects.filter(province=user.region_id).select_related("province")


def student_for_user(user) -> Student:
    student = (
        Student.objects.filter(user=user)
        .select_related("university", "hometown__parent", "residence__parent__parent")
        .first()
    )
    if student is None:
        raise Http404
    return student


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
    """面向对象: a post takes its county's own students (生源地); a post opened to residents
    also those whose 常住地 is the county; a post opened to anyone, every student."""
    county_id = post.host_unit.county_id
    if post.audience == post.Audience.ANYONE:
        return True
    if post.audience == post.Audience.RESIDENTS and student.residence_id == county_id:
        return True
    return student.hometown_id == county_id


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


def placements_to_manage(user, *, status: str = "") -> QuerySet[Placement]:
    """实践安排 of the staff user's scope (the county's, the host unit's; read by the city and
    province), newest season first, each marked whether its host unit has an active account."""
    if user.role not in (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.HOST):
        raise Http404
    placements = placements_for_user(user).select_related("post__host_unit")
    if status in Placement.Status.values:
        placements = placements.filter(status=status)
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
