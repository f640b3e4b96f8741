"""Demo objects for the city guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from accounts.models import User
from schedule.models import Plan, ProgrammeYear


def _city_county_plan(user: User) -> tuple:
    """A county's plan in the city: one waiting for review if there is one, else the first."""
    plans = Plan.objects.filter(region__parent=user.region).order_by("status", "pk")
    waiting = plans.filter(status=Plan.Status.SUBMITTED).first()
    return ((waiting or plans.first()).pk,)


def _city_dashboard(user: User) -> tuple:
    return (user.region.code,)


def _city_progress(user: User) -> tuple:
    """The year-end quarter's report, still to be filled in on the demo day."""
    year = ProgrammeYear.objects.filter(province=user.region.parent).latest("year")
    return (year.pk, "q4")


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "city_county_plan": _city_county_plan,
    "city_dashboard": _city_dashboard,
    "city_progress": _city_progress,
}
