"""Reads of students, applications and placements, already scoped to the user who asks."""

from django.db.models import Q, QuerySet
from django.http import Http404

from accounts.access import Access
from accounts.models import Role
from accounts.scoping import NOTHING, region_filter
from schedule.models import Onboarding
from students.models import Application, Placement, Student, University


def universities_for_user(user) -> QuerySet[University]:
    """Provincial staff keep the register of their province's universities."""
    if user.role != Role.PROVINCE:
        raise Http404
    return University.objects.filter(province=user.region_id).select_related("province")


def student_for_user(user) -> Student:
    student = (
        Student.objects.filter(user=user).select_related("university", "hometown__parent").first()
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


def selection_access(user) -> Access:
    """What the user may do in selection and practice, for every application and placement in
    their scope: host units rank, record and evaluate; the county decides, records and drops;
    the university certifies its students; the student acts on their own."""
    role = user.role
    host, county = role == Role.HOST, role == Role.COUNTY
    return Access(
        can_rank=host or county,
        can_offer=county,
        can_reveal=host or county,
        can_see_id_number=county,
        can_record=host or county,
        can_see_checkin_code=host,
        can_evaluate=host,
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
