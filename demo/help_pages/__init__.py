"""The demo objects the 帮助中心's screenshots show, for guide steps done on a page of one
object (`demo:` in helpcentre/guides/<role>.yaml): each takes the guide's demo account and
returns the page's URL arguments. One module per guide; only the tests that take the
screenshots use them."""

from collections.abc import Callable

from django.urls import reverse

from accounts.models import User
from demo.help_pages import city, county, host, province, student, university
from helpcentre.guides import Step

DEMO_OBJECTS: dict[str, Callable[[User], tuple]] = {}
for module in (student, host, county, city, province, university):
    DEMO_OBJECTS.update(module.OBJECTS)


def page_path(step: Step, user: User | None) -> str:
    """The path of the page `step` is done on, for `user` (None: a visitor) on the demo."""
    if not step.demo:
        path = reverse(step.page)
    else:
        assert user is not None, f"{step.id}: a visitor's step cannot show one demo object"
        path = reverse(step.page, args=DEMO_OBJECTS[step.demo](user))
    return f"{path}?{step.query}" if step.query else path
