"""Demo objects for the university guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from django.db.models import Exists, OuterRef

from accounts.models import User
from schedule.models import ProgrammeYear
from students.models import Application, Clearance


def _university_clearance(user: User) -> tuple:
    """An application of the university's student still waiting for the 在校表现证明."""
    certified = Clearance.objects.filter(
        student=OuterRef("student"),
        season=OuterRef("season"),
        performance_certified_at__isnull=False,
    )
    applications = Application.objects.filter(
        student__university=user.university, status=Application.Status.APPLIED
    ).exclude(Exists(certified))
    return (applications.order_by("pk").first().pk,)


def _university_progress(user: User) -> tuple:
    """Guangdong's year-end quarter report (the demo universities take part in its programme)."""
    year = ProgrammeYear.objects.filter(province__code="440000").latest("year")
    return (year.pk, "q4")


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "university_clearance": _university_clearance,
    "university_progress": _university_progress,
}
