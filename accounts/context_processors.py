from accounts.access import capabilities_for
from accounts.models import Notice


def notices(request) -> dict:
    """The unread count in the navigation; a callable, so only pages that show it query it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": lambda: Notice.objects.filter(user=user, read_at=None).count()}


def capabilities(request) -> dict:
    """`caps`: what the signed-in user may reach, for the navigation and every page."""
    user = getattr(request, "user", None)
    if user is None:
        return {}
    return {"caps": capabilities_for(user)}
