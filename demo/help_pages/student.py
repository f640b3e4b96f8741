"""Demo objects for the student guide's steps done on a page of one object (see __init__)."""

from collections.abc import Callable

from accounts.models import User
from positions.models import Post


def _student_post(user: User) -> tuple:
    """A 乡村振兴 post of the student's hometown open now that they have not chosen yet: the
    page where a choice (意向) is added."""
    posts = Post.objects.filter(
        host_unit__county=user.student.hometown,
        status=Post.Status.PUBLISHED,
        category=Post.Category.RURAL,
    ).exclude(applications__student=user.student)
    return (posts.order_by("pk").first().pk,)


OBJECTS: dict[str, Callable[[User], tuple]] = {
    "student_post": _student_post,
}
