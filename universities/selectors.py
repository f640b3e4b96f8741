"""What the university's staff, its students and the counties read of 高校工作, already scoped.

University staff reach only their own university's notices, students, recommendations and
certificates; everyone else gets 404 (`university_of`). A student reaches only their own
receipts and certificates. A county reads a recommendation only beside an application made to
its own posts (the page that shows it is scoped by `students.selectors.applications_for_user`).
"""

from dataclasses import dataclass

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404

from accounts.models import Role
from positions.models import Region
from students.models import Application, Placement, Student, University
from universities.models import (
    NoticeReceipt,
    PerformanceCertificate,
    Recommendation,
    UniversityNotice,
)


def university_of(user) -> University:
    """The university the user works for; 404 for every other role."""
    if not user.is_authenticated or user.role != Role.UNIVERSITY or not user.university_id:
        raise Http404
    return user.university


# Notices ---------------------------------------------------------------------------------------


def notices_for_user(user) -> QuerySet[UniversityNotice]:
    """The university's notices, each with how many have read it (one query for a page)."""
    return (
        UniversityNotice.objects.filter(university=university_of(user))
        .annotate(read=Count("receipts", filter=Q(receipts__read_at__isnull=False)))
        .order_by("-sent_at", "-pk")  # Meta.ordering is not applied to a grouped query
    )


def get_notice_for_user(user, pk: int) -> UniversityNotice:
    notice = notices_for_user(user).filter(pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def notice_recipients(*, university: University, college: str = "", grade: int | None = None):
    """The students a notice reaches: the university's, with an active account, narrowed to one
    college and/or one grade."""
    students = Student.objects.filter(
        university=university, anonymised_at__isnull=True, user__is_active=True
    )
    if college:
        students = students.filter(college=college)
    if grade:
        students = students.filter(grade=grade)
    return students


def notice_colleges(university: University) -> list[str]:
    """The colleges the university's students gave, for the notice form's choice."""
    colleges = (
        Student.objects.filter(university=university)
        .exclude(college="")
        .values_list("college", flat=True)
        .distinct()
        .order_by("college")
    )
    return list(colleges)


def notice_grades(university: University) -> list[int]:
    grades = (
        Student.objects.filter(university=university)
        .values_list("grade", flat=True)
        .distinct()
        .order_by("-grade")
    )
    return list(grades)


def receipts_for_student(user) -> QuerySet[NoticeReceipt]:
    """A student's notices from their university, unread first, newest first (NULLs sort
    first on SQLite and last on PostgreSQL, so it is said)."""
    return (
        NoticeReceipt.objects.filter(student__user=user)
        .select_related("notice__university")
        .order_by(F("read_at").asc(nulls_first=True), "-notice__sent_at", "-pk")
    )


def get_receipt_for_user(user, pk: int) -> NoticeReceipt:
    """The student's own copy of a notice; 404 for anyone else's."""
    receipt = receipts_for_student(user).filter(pk=pk).first()
    if receipt is None:
        raise Http404
    return receipt


# Students of the university: recommendations --------------------------------------------------


def get_student_for_university(user, pk: int) -> Student:
    """One of the university's own students (404 for anyone else's, or for any other role)."""
    university = university_of(user)
    student = (
        Student.objects.filter(university=university, pk=pk, anonymised_at__isnull=True)
        .select_related("university", "hometown__parent")
        .first()
    )
    if student is None:
        raise Http404
    return student


def recommendations_for_user(user) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(university=university_of(user))
        .select_related("student")
        .order_by("-updated_at")
    )


def recommendations_beside(user, applications) -> dict[int, Recommendation]:
    """student id → the university's recommendation, for a page of applications the user already
    reaches. Only county staff read them: the county decides on the application (decided: not
    the host unit, which ranks applicants but does not decide)."""
    if not user.is_authenticated or user.role != Role.COUNTY:
        return {}
    found = Recommendation.objects.filter(
        student_id__in={a.student_id for a in applications}
    ).select_related("university")
    # A recommendation written before the student changed school is not the new school's word.
    by_student = {a.student_id: a.student.university_id for a in applications}
    return {r.student_id: r for r in found if by_student.get(r.student_id) == r.university_id}


# 在校表现证明 --------------------------------------------------------------------------------


def certificates_for_user(user) -> QuerySet[PerformanceCertificate]:
    return PerformanceCertificate.objects.filter(university=university_of(user)).select_related(
        "student", "season__programme_year"
    )


@dataclass(frozen=True)
class CertificateAccess:
    can_revoke: bool


def get_certificate_for_user(user, pk: int) -> tuple[PerformanceCertificate, CertificateAccess]:
    """The certificate for its university's staff (who may revoke it) and for the student it
    names (who prints it); 404 for everyone else."""
    found = PerformanceCertificate.objects.select_related(
        "student", "university", "season__programme_year"
    ).filter(pk=pk)
    if user.is_authenticated and user.role == Role.UNIVERSITY and user.university_id:
        certificate = found.filter(university_id=user.university_id).first()
        can_revoke = True
    elif user.is_authenticated and user.role == Role.STUDENT:
        certificate = found.filter(student__user=user).first()
        can_revoke = False
    else:
        certificate = None
    if certificate is None:
        raise Http404
    return certificate, CertificateAccess(can_revoke=can_revoke)


def valid_certificate(student_id: int, season_id: int) -> PerformanceCertificate | None:
    return PerformanceCertificate.objects.filter(
        student_id=student_id, season_id=season_id, revoked_at__isnull=True
    ).first()


def performance_certificate_find(number: str) -> PerformanceCertificate | None:
    """For the public verify page: the certificate with this number, valid or revoked."""
    return (
        PerformanceCertificate.objects.filter(number=number)
        .select_related("student", "university", "season__programme_year")
        .first()
    )


def certificates_of_student(user) -> QuerySet[PerformanceCertificate]:
    return PerformanceCertificate.objects.filter(student__user=user).select_related(
        "university", "season__programme_year"
    )


# The dashboard ---------------------------------------------------------------------------------

FIGURES = ("registered", "applied", "placed", "completed", "credited")


@dataclass
class Row:
    region: Region
    registered: int = 0
    applied: int = 0
    placed: int = 0
    completed: int = 0
    credited: int = 0

    def figures(self) -> list[int]:
        return [getattr(self, name) for name in FIGURES]


def _season_filter(prefix: str, year: int | None, season: str | None) -> Q:
    q = Q()
    if year is not None:
        q &= Q(**{f"{prefix}season__programme_year__year": year})
    if season:
        q &= Q(**{f"{prefix}season__kind": season})
    return q


def dashboard_counts(user, *, year=None, season=None) -> dict[int, Row]:
    """hometown county id → its students' figures, for the user's university: registered (all
    time), and, in the chosen year and season, how many applied, were placed (confirmed, any
    outcome after), completed and earned credits. Each a count of students, not of records. Three
    grouped queries and one for the counties, whatever the number of students."""
    from dashboards.services import credited_filter

    university = university_of(user)
    rows: dict[int, Row] = {}

    def add(pairs, figure: str) -> None:
        for county_id, n in pairs:
            row = rows.setdefault(county_id, Row(region=None))  # type: ignore[arg-type]
            setattr(row, figure, n)

    students = Student.objects.filter(university=university)
    add(students.values_list("hometown").annotate(n=Count("pk")).order_by(), "registered")
    applied = Application.objects.filter(
        _season_filter("", year, season), student__university=university
    )
    add(
        applied.values_list("student__hometown")
        .annotate(n=Count("student", distinct=True))
        # order_by() drops the default ordering from the GROUP BY
        .order_by(),
        "applied",
    )
    credited, aliases = credited_filter()
    placements = (
        Placement.objects.filter(_season_filter("", year, season), student__university=university)
        .alias(**aliases)
        .values_list("student__hometown")
        .annotate(
            placed=Count("student", distinct=True),
            completed=Count("student", distinct=True, filter=Q(status="completed")),
            credited=Count("student", distinct=True, filter=credited),
        )
        .order_by()
    )
    for county_id, placed, completed, credited_n in placements:
        add([(county_id, placed)], "placed")
        add([(county_id, completed)], "completed")
        add([(county_id, credited_n)], "credited")
    counties = Region.objects.filter(pk__in=rows).select_related("parent__parent")
    for county in counties:
        rows[county.pk].region = county
    return rows


def dashboard_by_province(rows: dict[int, Row]) -> list[Row]:
    """The counties' figures summed per hometown province, most registered first."""
    provinces: dict[int, Row] = {}
    for row in rows.values():
        province = row.region.parent.parent  # a county's city's province
        assert province is not None
        total = provinces.setdefault(province.pk, Row(region=province))
        for name in FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return sorted(provinces.values(), key=lambda r: (-r.registered, r.region.code))


def dashboard_counties(rows: dict[int, Row], province_code: str = "") -> list[Row]:
    """Counties (of one province, or all), by city then county code."""
    chosen = [
        r
        for r in rows.values()
        if not province_code or r.region.parent.parent.code == province_code
    ]
    return sorted(chosen, key=lambda r: r.region.code)


def dashboard_total(rows) -> Row:
    total = Row(region=None)  # type: ignore[arg-type]
    for row in rows:
        for name in FIGURES:
            setattr(total, name, getattr(total, name) + getattr(row, name))
    return total
