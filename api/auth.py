"""How a request to /api/v1/ is let in: the token (Bearer), its unit as a stand-in staff
member for the scoped selectors, throttling per token on the cache, and errors as JSON in
Chinese naming the field."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from accounts.models import Role, User
from accounts.throttle import address_key, throttle_hit
from api import services
from api.models import ApiToken
from fanjiaxiang.security import client_ip

ROLE_OF_KIND: dict[str, str] = {
    ApiToken.Kind.UNIVERSITY: Role.UNIVERSITY,
    ApiToken.Kind.COUNTY: Role.COUNTY,
    ApiToken.Kind.PROVINCE: Role.PROVINCE,
}
REFUSAL_TEXT = {
    "unknown": "令牌无效。",
    "revoked": "令牌已被撤销。",
    "expired": "令牌已过期，请重新创建。",
}


def principal_of(token: ApiToken) -> User:
    """The token's unit as an unsaved staff member of it: the selectors scope by role and
    region or university, so the API reads exactly what that unit's staff read on the pages."""
    return User(
        username=f"api:{token.prefix}",
        role=ROLE_OF_KIND[token.kind],
        region=token.region,
        university=token.university,
        is_active=True,
    )


class TokenAuthentication(BaseAuthentication):
    """`Authorization: Bearer fjx_…`. A request without the header is anonymous (the public
    operations); a secret that is unknown, revoked or expired gets 401 and an audit row."""

    keyword = b"bearer"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:  # noqa: PLR2004 - the keyword and the secret
            raise exceptions.AuthenticationFailed(_("Authorization 请求头应为 Bearer 加令牌。"))
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token, refusal = services.token_check(secret)
        if refusal:
            self._refuse(request, token, refusal, secret)
        assert token is not None  # noqa: S101 - token_check returns one when it accepts
        return principal_of(token), token

    def _refuse(self, request, token, refusal, secret):
        if token is None and not throttle_hit(
            scope="api_token_unknown",
            key=address_key(client_ip(request)),
            limit=settings.API_UNKNOWN_TOKENS_PER_MINUTE,
            period=datetime.timedelta(minutes=1),
        ):
            raise exceptions.Throttled(wait=60, detail=_("无效令牌尝试过多，请稍后再试。"))
        parts = secret.split("_", 2)
        prefix = parts[1] if len(parts) == 3 else ""  # noqa: PLR2004
        services.call_record(
            token=token,
            operation=operation_of(request),
            status=401,
            outcome=refusal,
            prefix=prefix,
        )
        raise exceptions.AuthenticationFailed(_(REFUSAL_TEXT[refusal]))

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


def operation_of(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.url_name if match and match.url_name else request.path[:80]


def token_of(request) -> ApiToken | None:
    return request.auth if isinstance(request.auth, ApiToken) else None


class HasToken(BasePermission):
    """A token of one of `kinds` (the view's `token_kinds`); anything else is refused with 401
    without a token and 404 with another kind's (the operation is not theirs to know of)."""

    def has_permission(self, request, view):
        token = token_of(request)
        if token is None:
            raise exceptions.NotAuthenticated(_("请在 Authorization 请求头中提供令牌。"))
        if token.kind not in view.token_kinds:
            raise exceptions.NotFound(_("未找到。"))
        return True


class TokenRateThrottle(SimpleRateThrottle):
    """Calls per token, counted in the cache (Redis in production): one system's runaway loop
    slows only itself."""

    scope = "api_token"

    def get_cache_key(self, request, view):
        token = token_of(request)
        if token is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class PublicRateThrottle(AnonRateThrottle):
    """Calls without a token, per client address."""

    scope = "api_public"

    def get_cache_key(self, request, view):
        if token_of(request) is not None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request) or "-"}


# Errors ----------------------------------------------------------------------------------------


def _field_messages(detail, prefix: str = "") -> dict[str, list[str]]:
    if isinstance(detail, dict):
        found: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(_field_messages(value, name))
        return found
    if isinstance(detail, list):
        return {prefix or "non_field_errors": [str(item) for item in detail]}
    return {prefix or "non_field_errors": [str(detail)]}


def exception_handler(exc, context):
    """Every error as JSON: {"detail": "…", "fields": {"year": ["…"]}}; a field's message
    names the field, so a nightly job's log says what to fix."""
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("未找到。"))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(_("该令牌无权执行此操作。"))
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        exc = exceptions.ValidationError(detail)
    if not isinstance(exc, exceptions.APIException):
        return None  # a real fault: Django's 500, logged
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        fields = _field_messages(exc.detail)
        general = fields.pop("detail", []) + fields.pop("non_field_errors", [])
        parts = [f"{name}：{'；'.join(msgs)}" for name, msgs in fields.items()]
        body = {"detail": "；".join(general + parts) or _("请求有误。"), "fields": fields}
        return Response(body, status=status.HTTP_400_BAD_REQUEST, headers=headers)
    return Response({"detail": str(exc.detail)}, status=exc.status_code, headers=headers)


class TokenScheme(OpenApiAuthenticationExtension):
    """How the schema names the token scheme (drf-spectacular finds it by the class)."""

    target_class = "api.auth.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "fjx_…"}
