"""Reads of regions, host units and posts, already scoped to the user who asks."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.access import Access, capabilities_for
from accounts.models import Role
from accounts.scoping import region_filter
from fanjiaxiang.params import year_param
from fanjiaxiang.todo import Todo
from positions.models import HostUnit, Post, Region
from schedule.selectors import stage_due_expression, stage_due_nearest
from students.selectors import seats_left


def region_get(code: str, level: str | None = None) -> Region | None:
    if not (code.isascii() and code.isdigit() and len(code) <= 12):
        return None  # not a GB/T 2260 code: nothing to look up
    regions = Region.objects.select_related("parent__parent")
    if level:
        regions = regions.filter(level=level)
    return regions.filter(code=code).first()


def region_children(parent: Region | None) -> QuerySet[Region]:
    if parent is None:
        return Region.objects.filter(level=Region.Level.PROVINCE)
    return Region.objects.filter(parent=parent)


def counties_for_user(user) -> QuerySet[Region]:
    return Region.objects.filter(
        Q(level=Region.Level.COUNTY) & region_filter(user, "pk")
    ).select_related("parent")


def host_units_for_user(user) -> QuerySet[HostUnit]:
    if not user.is_authenticated:
        return HostUnit.objects.none()
    if user.role == Role.HOST:
        scope = Q(pk=user.host_unit_id)
    else:
        scope = region_filter(user, "county")
    return HostUnit.objects.filter(scope).select_related("county__parent")


def get_host_unit_for_user(user, pk: int) -> tuple[HostUnit, Access]:
    """The host unit and what the user may do with it; 404 when it is outside their scope."""
    host_unit = host_units_for_user(user).filter(pk=pk).first()
    if host_unit is None:
        raise Http404
    return host_unit, Access(can_write=user.role == Role.COUNTY)


def posts_for_user(user) -> QuerySet[Post]:
    if not user.is_authenticated:
        return Post.objects.none()
    if user.role == Role.HOST:
        scope = Q(host_unit_id=user.host_unit_id)
    else:
        scope = region_filter(user, "host_unit__county")
    return Post.objects.filter(scope).select_related(
        "host_unit__county__parent", "season__programme_year"
    )


def get_post_for_user(user, pk: int) -> tuple[Post, Access]:
    """The post and what the user may do with it; 404 when it is outside their scope."""
    post = posts_for_user(user).filter(pk=pk).first()
    if post is None:
        raise Http404
    return post, Access(can_write=user.role == Role.COUNTY)


@dataclass(frozen=True)
class PostSearch:
    """What the public search asks for; every field optional."""

    region: Region | None = None
    category: str = ""
    season: str = ""  # "2026-summer"
    keyword: str = ""
    remote_only: bool = False


def _region_scope(region: Region) -> Q:
    if region.level == Region.Level.COUNTY:
        return Q(host_unit__county=region)
    if region.level == Region.Level.CITY:
        return Q(host_unit__county__parent=region)
    return Q(host_unit__county__parent__parent=region)


def _keyword(keyword: str) -> Q:
    # The units first, by their own (trigram) index: a join inside the OR would keep PostgreSQL
    # from answering each arm from its index (positions/migrations/0007).
    units = list(HostUnit.objects.filter(name__icontains=keyword).values_list("pk", flat=True))
    words = Q(host_unit_id__in=units)
    for field in ("title", "description", "duties", "place"):
        words |= Q(**{f"{field}__icontains": keyword})
    return words


def published_posts(search: PostSearch) -> QuerySet[Post]:
    """Published posts for anyone, signed in or not, matching the search."""
    # A deactivated host unit takes its posts off the public pages with it.
    posts = Post.objects.filter(status=Post.Status.PUBLISHED, host_unit__is_active=True)
    if search.region is not None:
        posts = posts.filter(_region_scope(search.region))
    if search.category:
        posts = posts.filter(category=search.category)
    if search.season:
        year, _, kind = search.season.partition("-")
        number = year_param(year)
        if number is not None:
            posts = posts.filter(season__programme_year__year=number, season__kind=kind)
    if search.keyword:
        posts = posts.filter(_keyword(search.keyword))
    if search.remote_only:
        posts = posts.filter(remote_allowed=True)
    # What a student weighs on each card: places still free and the date to apply by (the
    # county's selection date), computed in the same query as the list.
    posts = posts.annotate(
        seats_left=seats_left(),
        apply_by=stage_due_expression("match", county="host_unit__county"),
    )
    return posts.select_related("host_unit__county__parent", "season__programme_year").order_by(
        "-published_at", "-id"
    )


def get_published_post(pk: int) -> Post:
    post = published_posts(PostSearch()).filter(pk=pk).first()
    if post is None:
        raise Http404
    return post


def get_public_post(pk: int) -> Post:
    """A post's public page: published, or closed to applicants (已截止) so that a link a
    student kept still says what became of it. Drafts, cancelled posts and the posts of a
    deactivated host unit are not found."""
    post = (
        Post.objects.filter(
            pk=pk,
            status__in=[Post.Status.PUBLISHED, Post.Status.CLOSED],
            host_unit__is_active=True,
        )
        .annotate(
            seats_left=seats_left(),
            apply_by=stage_due_expression("match", county="host_unit__county"),
        )
        .select_related("host_unit__county__parent", "season__programme_year")
        .first()
    )
    if post is None:
        raise Http404
    return post


# Which of a post's applications a list filters on (?applications=…): the county's selection.
APPLICATION_FILTERS = {
    "waiting": ("applied", "shortlisted"),  # 待决定: nobody has answered yet
    "offered": ("offered",),  # 待学生确认录用
}


def posts_with_applications(posts: QuerySet[Post], which: str) -> QuerySet[Post]:
    """Posts holding applications in the state `which` names, each with how many (`waiting`);
    unknown values filter nothing."""
    statuses = APPLICATION_FILTERS.get(which)
    if statuses is None:
        return posts
    waiting = Count("applications", filter=Q(applications__status__in=statuses))
    return posts.annotate(waiting=waiting).filter(waiting__gt=0)


def drafts_todo(user, today: datetime.date) -> list[Todo]:
    """The county's draft posts to publish, with the nearest posts date of their seasons."""
    if not capabilities_for(user).can_create_positions:
        return []
    drafts = list(
        posts_for_user(user)
        .filter(status=Post.Status.DRAFT)
        .order_by()
        .values_list("season_id", flat=True)
    )
    if not drafts:
        return []
    due = stage_due_nearest(season_ids=set(drafts), stage="posts", region_id=user.region_id)
    return [
        Todo(
            key="drafts",
            title=_("发布草稿岗位"),
            count=len(drafts),
            url=f"{reverse('positions:post_list')}?status=draft",
            action=_("查看草稿岗位"),
            due=due,
            due_label=_("发布截止"),
            urgent=due is not None and due < today,
        )
    ]
