"""Demo objects for the host guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from django.db.models import Count

from accounts.models import User
from positions.models import Post
from students.models import Placement


def _host_open_post(user: User) -> tuple:
    """The unit's published post with the most students applying: ranking them is the work."""
    posts = Post.objects.filter(host_unit=user.host_unit, status=Post.Status.PUBLISHED)
    post = posts.annotate(n=Count("applications")).order_by("-n", "pk").first()
    return (post.pk,)


def _host_reported_post(user: User) -> tuple:
    """The post of the unit's student who has reported and waits for the 期满鉴定: its page
    lists the practice logs and holds the evaluation form (tianhe_host's 企业运营实习生)."""
    placements = Placement.objects.filter(
        post__host_unit=user.host_unit, status=Placement.Status.REPORTED
    )
    return (placements.order_by("pk").first().post_id,)


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "host_open_post": _host_open_post,
    "host_reported_post": _host_reported_post,
}
