from accounts.models import Notice


def notices(request) -> dict:
    """The unread count in the navigation; a callable, so only pages that show it query it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notice_count": lambda: Notice.objects.filter(user=user, read_at=None).count()}
