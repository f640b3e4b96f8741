from accounts.access import Capabilities, capabilities_for
from accounts.models import Notice
from accounts.navigation import navigation_for, user_label


def notices(request) -> dict:
    """The unread count in the navigation; a callable, so only pages that show it query it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": lambda: Notice.objects.filter(user=user, read_at=None).count()}


def _capabilities(request) -> Capabilities:
    """A half-signed-in user (password, no code yet: accounts/twofactor.py) is offered no menu
    of pages they cannot open yet."""
    from accounts.twofactor import two_factor_pending

    if two_factor_pending(request):
        return Capabilities()
    return capabilities_for(request.user)


def capabilities(request) -> dict:
    """`caps`: what the signed-in user may reach, for the navigation and every page."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"caps": _capabilities(request)}


def navigation(request) -> dict:
    """`nav`: the sidebar (staff) or top menu (students, visitors) and the breadcrumb trail, the
    page shown marked by its resolved URL name."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    match = getattr(request, "resolver_match", None)
    context: dict[str, object] = {
        "nav": navigation_for(_capabilities(request), match.view_name if match else "")
    }
    if user.is_authenticated:
        # A callable, so the scope is looked up only by pages that show the top bar.
        context["user_label"] = lambda: user_label(user)
    return context
