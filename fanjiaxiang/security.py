"""Request helpers that security features share."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the entry that
    many hops from the right of X-Forwarded-For (entries further left are the client's to forge).
    Anything that is not an address (a port appended, "unknown") counts as no address."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if hops and forwarded:
        chain = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(chain) >= hops:
            address = _address(chain[-hops])
            if address:
                return address
    return _address(request.META.get("REMOTE_ADDR", ""))


def _address(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [2001:db8::1]:443
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 203.0.113.7:5678
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


class RefuseNulMiddleware:
    """A query string or form field holding NUL is refused with 400 before any view reads it.

    PostgreSQL cannot store or even compare text containing NUL (psycopg refuses the statement),
    and no real user types one, so one check here spares every filter of every view; a form's
    own ProhibitNullCharactersValidator would only cover the fields that go through a form.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(_holds_nul(query) for query in (request.GET, _form_fields(request))):
            if request.path.startswith("/api/"):  # the API answers in JSON, errors too
                reason = _("请求参数中含有无效的字符（NUL），请删除后重试。")
                return JsonResponse({"detail": reason, "fields": {}}, status=400)
            return render(
                request,
                "400.html",
                {"reason": _("请求中含有无效的字符（NUL），请删除后重试。")},
                status=400,
            )
        return self.get_response(request)


def _form_fields(request: HttpRequest):
    # Only url-encoded bodies: reading a multipart body here would parse uploads before the view
    # sets its own limits.
    if request.content_type == "application/x-www-form-urlencoded":
        return request.POST
    return QueryDict()


def _holds_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in query.lists())


class MethodNotAllowedPageMiddleware:
    """A POST-only address opened in the browser (a bookmark, a link pasted from the address
    bar) answers 405 with a page saying so, instead of Django's empty body; the API keeps its
    JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path.startswith("/api/"):
            return response
        page = render(request, "405.html", status=405)
        if response.has_header("Allow"):
            page["Allow"] = response["Allow"]
        return page
