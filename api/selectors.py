"""Which API tokens a staff member manages, and which units they may make one for.

A unit's own staff manage its tokens, and so does the level above: a county's by its city and
province, a university's by its province (the province its register entry names).
"""

from dataclasses import dataclass

from django.db.models import Max, Q, QuerySet
from django.http import Http404

from accounts.models import AuditEvent, AuditEventAction, Role, User
from api.models import ApiToken
from positions.models import Region
from students.models import University

NOTHING = Q(pk__in=[])
TOKEN_ROLES = (Role.PROVINCE, Role.CITY, Role.COUNTY, Role.UNIVERSITY)


def _scope(user) -> Q:
    if not user.is_authenticated:
        return NOTHING
    if user.role == Role.UNIVERSITY and user.university_id:
        return Q(kind=ApiToken.Kind.UNIVERSITY, university=user.university_id)
    if not user.region_id:
        return NOTHING
    if user.role == Role.COUNTY:
        return Q(kind=ApiToken.Kind.COUNTY, region=user.region_id)
    if user.role == Role.CITY:
        return Q(kind=ApiToken.Kind.COUNTY, region__parent=user.region_id)
    if user.role == Role.PROVINCE:
        return (
            Q(kind=ApiToken.Kind.PROVINCE, region=user.region_id)
            | Q(kind=ApiToken.Kind.COUNTY, region__parent__parent=user.region_id)
            | Q(kind=ApiToken.Kind.UNIVERSITY, university__province=user.region_id)
        )
    return NOTHING


def require_token_manager(user) -> None:
    """The token page is for regional and university staff; everyone else gets 404."""
    if not user.is_authenticated or user.role not in TOKEN_ROLES:
        raise Http404


def tokens_for_user(user) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(_scope(user)).select_related(
        "region__parent", "university", "created_by", "revoked_by"
    )


def get_token_for_user(user, pk: int) -> ApiToken:
    """A token the user manages; 404 for anyone else's (each manager may revoke it)."""
    token = tokens_for_user(user).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token


def last_used(tokens: list[ApiToken]) -> dict[int, object]:
    """token id → when it was last used, from the audit log, in one grouped query."""
    if not tokens:
        return {}
    rows = (
        AuditEvent.objects.filter(
            action=AuditEventAction.API_CALL,
            target_type=ApiToken._meta.label_lower,
            target_id__in=[t.pk for t in tokens],
        )
        .order_by()
        .values_list("target_id")
        .annotate(last=Max("created_at"))
    )
    return dict(rows)


@dataclass(frozen=True)
class TokenScope:
    """A unit a token may be made for: `key` is what the form posts ("county:440104")."""

    key: str
    kind: str
    label: str
    region: Region | None = None
    university: University | None = None


def _county_scope(county: Region) -> TokenScope:
    label = f"{county.parent.name}{county.name}" if county.parent_id else county.name
    return TokenScope(f"county:{county.code}", ApiToken.Kind.COUNTY, label, region=county)


def token_scopes_for(user: User) -> list[TokenScope]:
    """The units the user may make a token for: their own, and the counties (and, for a
    province, the universities) below them."""
    require_token_manager(user)
    if user.role == Role.UNIVERSITY:
        university = user.university
        return [
            TokenScope(
                f"university:{university.code}",
                ApiToken.Kind.UNIVERSITY,
                university.name,
                university=university,
            )
        ]
    region = user.region
    assert region is not None  # noqa: S101 - regional staff carry their region (a DB constraint)
    if user.role == Role.COUNTY:
        return [_county_scope(region)]
    counties = Region.objects.filter(level=Region.Level.COUNTY).select_related("parent")
    if user.role == Role.CITY:
        return [_county_scope(c) for c in counties.filter(parent=region).order_by("code")]
    scopes = [TokenScope(f"province:{region.code}", ApiToken.Kind.PROVINCE, region.name, region)]
    scopes += [_county_scope(c) for c in counties.filter(parent__parent=region).order_by("code")]
    universities = University.objects.filter(province=region).order_by("name")
    scopes += [
        TokenScope(f"university:{u.code}", ApiToken.Kind.UNIVERSITY, u.name, university=u)
        for u in universities
    ]
    return scopes


def token_by_prefix(prefix: str) -> ApiToken | None:
    """The token a presented secret names, with what its use needs (scope, audit region)."""
    return (
        ApiToken.objects.filter(prefix=prefix)
        .select_related("region__parent__parent", "university__province", "created_by__region")
        .first()
    )
