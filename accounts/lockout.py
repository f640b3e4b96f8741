"""Forms that ask a signed-in user for their password again (password change, erasure) count a
wrong one as a failed sign-in with django-axes: the same 5 tries from that address, then the same
pause as the login page, so a borrowed session cannot be used to guess the password."""

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.contrib.auth.signals import user_login_failed


def _credentials(request) -> dict:
    return {"username": request.user.username}


def password_lockout(request):
    """The lockout page while this user and address are paused, else None."""
    if AxesProxyHandler.is_allowed(request, _credentials(request)):
        return None
    return get_lockout_response(request, credentials=_credentials(request))


def password_failed(request) -> None:
    """Count a wrong password; on the fifth, AxesMiddleware answers with the lockout page."""
    user_login_failed.send(__name__, credentials=_credentials(request), request=request)
