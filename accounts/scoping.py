"""Scope rules shared by every app: which rows a staff user's region reaches.

County staff own their county; city and provincial staff read the counties below them. Each
app's selectors build on `region_filter`, so one rule decides every list, page and export.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from accounts.access import POSITION_READERS
from accounts.models import Role

NOTHING = Q(pk__in=[])


def region_filter(user, county_path: str) -> Q:
    """A filter for rows whose county (practice unit) is at `county_path`, within the user's region."""
    if not user.is_authenticated or user.region_id is None:
        return NOTHING
    if user.role == Role.COUNTY:
        return Q(**{county_path: user.region_id})
    if user.role == Role.CITY:
        return Q(**{f"{county_path}__parent": user.region_id})
    if user.role == Role.PROVINCE:
        return Q(**{f"{county_path}__parent__parent": user.region_id})
    return NOTHING


def require_write(can_write: bool) -> None:
    """Read-only members get 403; outsiders never reach here (their lookup is a 404)."""
    if not can_write:
        raise PermissionDenied


def require_position_reader(user) -> None:
    """Host-unit and post pages are for the regional staff and the host units themselves."""
    if user.role not in POSITION_READERS:
        raise Http404


def require_county_staff(user):
    """The county a creating user works for; 403 for other staff who only read, 404 for the rest."""
    require_position_reader(user)
    if user.role != Role.COUNTY:
        raise PermissionDenied
    return user.region
