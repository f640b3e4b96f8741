"""Demo objects for the county guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from django.db.models import Count, Q

from accounts.models import User
from ledger.models import ExchangeEvent
from positions.models import Post
from schedule.models import Milestone, UnitMilestone
from students.models import Application, Placement, Student


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


def _county_custom_milestone(user: User) -> tuple:
    """The province's own milestone (统一行动日) the county has still to mark done (天河区's)."""
    units = UnitMilestone.objects.filter(
        region=user.region,
        milestone__code=Milestone.Code.CUSTOM,
        status__in=(UnitMilestone.Status.PENDING, UnitMilestone.Status.OVERDUE),
    )
    return (units.order_by("milestone__due", "pk").first().pk,)


def _county_reported_post(user: User) -> tuple:
    """The post of a student who has reported and waits for the 期满鉴定 (天河区's 企业运营实习生)."""
    placements = Placement.objects.filter(
        post__host_unit__county=user.region, status=Placement.Status.REPORTED
    )
    return (placements.order_by("pk").first().post_id,)


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "county_draft_post": _county_draft_post,
    "county_applicants_post": _county_applicants_post,
    "county_student": _county_student,
    "county_event": _county_event,
    "county_custom_milestone": _county_custom_milestone,
    "county_reported_post": _county_reported_post,
}
