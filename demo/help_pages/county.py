"""Demo objects for the county guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from accounts.models import User
from positions.models import Post


def _county_post(user: User) -> tuple:
    posts = Post.objects.filter(host_unit__county=user.region, status="published")
    return (posts.order_by("pk").first().pk,)


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "county_post": _county_post,
}
