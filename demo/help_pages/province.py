"""Demo objects for the province guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from accounts.models import User
from schedule.models import Milestone, Plan, ProgrammeYear, UnitMilestone
from summary.models import TypicalCase


def _year(user: User) -> ProgrammeYear:
    return ProgrammeYear.objects.filter(province=user.region).latest("year")


def _province_year(user: User) -> tuple:
    return (_year(user).pk,)


def _province_city_plan(user: User) -> tuple:
    """A city's plan: one waiting for review if there is one, else the first."""
    plans = Plan.objects.filter(region__parent=user.region).order_by("pk")
    waiting = plans.filter(status=Plan.Status.SUBMITTED).first()
    return ((waiting or plans.first()).pk,)


def _province_overdue_unit(user: User) -> tuple:
    """梅县区's overdue implementation plan: the demo's county with neither plan nor onboarding."""
    units = UnitMilestone.objects.filter(
        milestone__programme_year=_year(user),
        milestone__code=Milestone.Code.PLAN,
        region__name="梅县区",
        status=UnitMilestone.Status.OVERDUE,
    )
    return (units.get().pk,)


def _province_dashboard(user: User) -> tuple:
    return (user.region.code,)


def _province_case(user: User) -> tuple:
    """A typical case waiting for the province's review."""
    cases = TypicalCase.objects.filter(
        programme_year=_year(user), status=TypicalCase.Status.SUBMITTED
    )
    return (cases.order_by("pk").first().pk,)


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "province_year": _province_year,
    "province_city_plan": _province_city_plan,
    "province_overdue_unit": _province_overdue_unit,
    "province_dashboard": _province_dashboard,
    "province_case": _province_case,
}
