"""Demo objects for the county guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from django.db.models import Count, Q

from accounts.models import User
from ledger.models import ExchangeEvent
from positions.models import Post
from students.models import Application, Student


def _county_draft_post(user: User) -> tuple:
    """A draft waiting to be published (越秀区's winter 家乡文化宣传员)."""
    posts = Post.objects.filter(host_unit__county=user.region, status=Post.Status.DRAFT)
    return (posts.order_by("pk").first().pk,)


def _county_applicants_post(user: User) -> tuple:
    """The published post with the most applicants still waiting for a decision."""
    waiting = (Application.Status.APPLIED, Application.Status.SHORTLISTED)
    posts = Post.objects.filter(
        host_unit__county=user.region, status=Post.Status.PUBLISHED
    ).annotate(waiting=Count("applications", filter=Q(applications__status__in=waiting)))
    return (posts.order_by("-waiting", "pk").first().pk,)


def _county_student(user: User) -> tuple:
    """A student whose 生源地 is the county, as 本县学生 lists them."""
    students = Student.objects.filter(hometown=user.region)
    return (students.order_by("pk").first().pk,)


def _county_event(user: User) -> tuple:
    """The county's 集中交流, with its photo, minutes and attendance."""
    events = ExchangeEvent.objects.filter(county=user.region)
    return (events.order_by("date", "pk").first().pk,)


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "county_draft_post": _county_draft_post,
    "county_applicants_post": _county_applicants_post,
    "county_student": _county_student,
    "county_event": _county_event,
}
