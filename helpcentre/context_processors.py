from functools import partial

from django.urls import reverse

from helpcentre.guides import ROLES, Guide, guides, step_for_page


def role_of(user) -> str:
    """Whose guide a user reads: their role's; visitors read the students' guide."""
    if user is None or not user.is_authenticated:
        return "student"
    return user.role if user.role in ROLES else ""


def _help_url(request) -> str:
    role = role_of(getattr(request, "user", None))
    if not role:
        return reverse("helpcentre:index")
    match = getattr(request, "resolver_match", None)
    step = step_for_page(role, match.view_name) if match else None
    if step and not step.visitor and not request.user.is_authenticated:
        step = None  # a visitor on the home page is not the student of 确认录用 on theirs
    url = reverse("helpcentre:guide", args=[role])
    return f"{url}#{step.id}" if step else url


def _own_guide(request) -> Guide | None:
    return guides().get(role_of(getattr(request, "user", None)))


def help_link(request) -> dict:
    """`help_url`: this page's section of the reader's guide (the guide itself when no step
    explains the page); `help_guide`: the reader's guide, offered on their home page. Callables,
    so they are looked up only by pages that show them."""
    return {"help_url": partial(_help_url, request), "help_guide": partial(_own_guide, request)}
