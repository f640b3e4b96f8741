"""The operations of /api/v1/: thin DRF views over the same scoped selectors and services as
the pages. The token's unit stands in for the user (api.auth.principal_of), so a university
token reads what that university's staff read, a county token what the county's staff read;
another unit's record is 404, a read-only token's change 403. Every call with a token writes
one audit row (ApiView.finalize_response)."""

import base64
import binascii
import datetime
import hashlib
import json

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.throttle import address_key, throttle_hit
from accounts.validators import mask_name, mask_phone
from api import auth, services
from api import serializers as s
from api.models import ApiToken
from dashboards.models import FUNNEL
from dashboards.selectors import dashboard
from fanjiaxiang.security import client_ip
from positions import selectors as positions
from positions import services as post_services
from positions.models import Post
from schedule.selectors import stage_due_expression
from students import certificates, credits
from students import selectors as students
from students import services as student_services
from students.exporters import CreditsExporter
from students.models import Application, Clearance, Placement
from universities import selectors as university_selectors

PAGE_SIZE = 50
PROVINCE_OF_POST = "host_unit__county__parent__parent"  # post_out names the province
CREDIT_PAGE = 500

ERRORS = {
    400: OpenApiResponse(s.Error, description="参数有误（说明中写明哪个参数）"),
    401: OpenApiResponse(s.Error, description="未提供令牌，或令牌无效、已撤销、已过期"),
    404: OpenApiResponse(s.Error, description="不存在，或不在令牌所属单位范围内"),
    429: OpenApiResponse(s.Error, description="调用过于频繁"),
}
PUBLIC_ERRORS = {code: ERRORS[code] for code in (400, 404, 429)}
POST_ID = OpenApiParameter("id", int, OpenApiParameter.PATH, description="岗位编号")


def operation(**schema):
    """extend_schema, the summary standing as the description (the docstrings are for us)."""
    schema.setdefault("description", schema["summary"])
    return extend_schema(**schema)


def _local(moment):
    return timezone.localtime(moment) if moment else None


def _season_key(season) -> str:
    return f"{season.programme_year.year}-{season.kind}"


def _season_filter(found, season: str, path: str = "season"):
    if not season:
        return found
    year, _sep, kind = season.partition("-")
    return found.filter(**{f"{path}__programme_year__year": int(year), f"{path}__kind": kind})


def _page(items, page: int) -> tuple[list, dict]:
    count = items.count()
    start = (page - 1) * PAGE_SIZE
    rows = list(items[start : start + PAGE_SIZE])
    more = start + PAGE_SIZE < count
    return rows, {"count": count, "page": page, "next_page": page + 1 if more else None}


class ApiView(APIView):
    """What every operation shares: JSON only, the token scheme, throttles, audit."""

    token_kinds: tuple[str, ...] = ()
    public = False

    def get_authenticators(self):
        return [] if self.public else super().get_authenticators()

    def get_permissions(self):
        return [] if self.public else [auth.HasToken()]

    def get_throttles(self):
        return [auth.PublicRateThrottle()] if self.public else [auth.TokenRateThrottle()]

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        token = auth.token_of(request)
        if token is not None:
            services.call_record(
                token=token,
                operation=auth.operation_of(request),
                status=response.status_code,
                outcome="ok" if response.status_code < 400 else "error",  # noqa: PLR2004
            )
        response["Cache-Control"] = "no-store" if token is not None else "no-cache"
        return response

    @property
    def principal(self):
        return self.request.user

    @property
    def token(self) -> ApiToken:
        token = auth.token_of(self.request)
        assert token is not None  # noqa: S101 - HasToken let the request in
        return token


# Public ----------------------------------------------------------------------------------------


def post_out(post: Post, *, full_phone: bool = False) -> dict:
    county = post.host_unit.county
    return {
        "id": post.pk,
        "title": post.title,
        "category": post.category,
        "category_label": str(post.get_category_display()),
        "status": post.status,
        "season": _season_key(post.season),
        "season_label": str(post.season),
        "province_code": county.parent.parent.code if county.parent.parent_id else "",
        "city_code": county.parent.code,
        "city": county.parent.name,
        "county_code": county.code,
        "county": county.name,
        "host_unit": post.host_unit.name,
        "headcount": post.headcount,
        "seats_left": post.seats_left,  # type: ignore[attr-defined]  # annotated by the query
        "place": post.place,
        "remote_allowed": post.remote_allowed,
        "starts_on": post.starts_on,
        "ends_on": post.ends_on,
        "hours": post.hours,
        "description": post.description,
        "duties": post.duties,
        "majors": post.majors,
        "skills": post.skills,
        "grade": post.grade,
        "training": post.training,
        "safety_notes": post.safety_notes,
        "contact_name": post.contact_name,
        "contact_phone": post.contact_phone if full_phone else mask_phone(post.contact_phone),
        "published_at": _local(post.published_at),
        "apply_by": post.apply_by,  # type: ignore[attr-defined]  # annotated by the query
        "url": reverse("positions:public_detail", kwargs={"pk": post.pk}),
    }


def _region(data: dict):
    for level in ("county", "city", "province"):
        code = data.get(level)
        if code:
            region = positions.region_get(code, level)
            if region is None:
                raise exceptions.ValidationError({level: [_("没有这个地区代码。")]})
            return region
    return None


class PostSearch(ApiView):
    """岗位搜索: the filters of /posts/, for anyone (创青春 republishes the counties' posts)."""

    public = True

    @operation(
        operation_id="posts_search",
        summary="搜索已发布岗位",
        parameters=[s.PostSearchQuery],
        responses={200: s.PostPage, **PUBLIC_ERRORS},
        auth=[],
        tags=["公开"],
    )
    def get(self, request):
        data = s.checked(s.PostSearchQuery, request)
        search = positions.PostSearch(
            region=_region(data),
            category=data.get("category", ""),
            season=data.get("season", ""),
            keyword=data.get("q", ""),
            remote_only=data.get("remote", False),
        )
        found = positions.published_posts(search).select_related(PROVINCE_OF_POST)
        rows, page = _page(found, data.get("page", 1))
        return Response({**page, "results": [post_out(p) for p in rows]})


def _pk(value: str) -> int:
    """A path's id: digits, in range, or 404 (never a 500)."""
    if not (value.isascii() and value.isdigit()) or len(value) > 10:  # noqa: PLR2004
        raise exceptions.NotFound(_("未找到。"))
    number = int(value)
    if number > 2**31 - 1:
        raise exceptions.NotFound(_("未找到。"))
    return number


class PostDetail(ApiView):
    public = True

    @operation(
        operation_id="posts_read",
        summary="岗位详情（已发布或已截止）",
        parameters=[POST_ID],
        responses={200: s.PostOut, **PUBLIC_ERRORS},
        auth=[],
        tags=["公开"],
    )
    def get(self, request, pk: str):
        return Response(post_out(positions.get_public_post(_pk(pk))))


class CertificateVerify(ApiView):
    """证书查验: counted against the client's address with /verify/'s own counter, so the API
    is no way around its limit."""

    public = True
    throttle_classes: list = []

    @operation(
        operation_id="certificates_verify",
        summary="查验证书编号（实践证书或在校表现证明）",
        responses={200: s.CertificateOut, **PUBLIC_ERRORS},
        auth=[],
        tags=["公开"],
    )
    def get(self, request, code: str):
        if not throttle_hit(
            scope="certificate_check",
            key=address_key(client_ip(request)),
            limit=settings.CERTIFICATE_CHECKS_PER_MINUTE,
            period=datetime.timedelta(minutes=1),
        ):
            raise exceptions.Throttled(wait=60, detail=_("查验过于频繁，请一分钟后再试。"))
        code = code.strip().upper()[:20]
        placement = student_services.certificate_find(code)
        if placement is not None:
            return Response(_practice_certificate(placement))
        performance = university_selectors.performance_certificate_find(code)
        if performance is None:
            raise exceptions.NotFound(_("未找到该证书编号，请核对后重试。"))
        return Response(
            {
                "code": performance.number,
                "kind": "performance",
                "valid": performance.revoked_at is None,
                "student_name": mask_name(performance.student.name),
                "university": performance.university.name,
                "season": str(performance.season),
                "post": "",
                "host_unit": "",
                "rating": "",
                "hours": None,
                "issuer": performance.issuer,
                "issued_on": timezone.localdate(performance.issued_at),
            }
        )


def _practice_certificate(placement: Placement) -> dict:
    return {
        "code": placement.certificate_code,
        "kind": "practice",
        "valid": True,
        "student_name": placement.student.name,  # as /verify/ shows it
        "university": placement.student.university.name,
        "season": str(placement.season),
        "post": placement.post.title,
        "host_unit": placement.post.host_unit.name,
        "rating": str(placement.get_rating_display()),
        "hours": placement.hours,
        "issuer": certificates.issuer_of(placement.post.host_unit.county),
        "issued_on": timezone.localdate(placement.completed_at) if placement.completed_at else None,
    }


# University token ------------------------------------------------------------------------------


def _cursor_decode(text: str) -> tuple[str, str, int]:
    try:
        number, starts, pk = json.loads(base64.urlsafe_b64decode(text.encode() + b"==="))
        datetime.date.fromisoformat(starts)
        if not (isinstance(number, str) and isinstance(pk, int)):
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeError):
        raise exceptions.ValidationError(
            {"cursor": [_("游标无效，请使用上一页回复中的 next_cursor。")]}
        ) from None
    return number, starts, pk


def _cursor_encode(number: str, starts: datetime.date, pk: int) -> str:
    raw = json.dumps([number, starts.isoformat(), pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


class _CreditPage(CreditsExporter):
    """The export's rows for one page's placements, so the API's rows are the export's."""

    def __init__(self, user, pks: list[int]):
        super().__init__(user)
        self.pks = pks

    def placements(self):
        return credits.credit_placements_for_user(self.user).filter(pk__in=self.pks)


class UniversityCredits(ApiView):
    """第二课堂学分: the rows of `export_credits --university`, page by page in the same order.
    A nightly pull sends the last ETag it saw as If-None-Match: nothing changed, 304, no body."""

    token_kinds = (ApiToken.Kind.UNIVERSITY,)

    @operation(
        operation_id="university_credits",
        summary="本校学生第二课堂学分（与 export_credits 逐行一致）",
        parameters=[
            s.CreditQuery,
            OpenApiParameter("If-None-Match", str, OpenApiParameter.HEADER, required=False),
        ],
        responses={
            200: s.CreditPage,
            304: OpenApiResponse(description="自上次（ETag）以来没有变化"),
            **ERRORS,
        },
        tags=["高校令牌"],
    )
    def get(self, request):
        data = s.checked(s.CreditQuery, request)
        limit = data.get("limit", CREDIT_PAGE)
        found = credits.credit_placements_for_user(
            self.principal, year=data.get("year"), season=data.get("season")
        )
        if data.get("cursor"):
            number, starts, pk = _cursor_decode(data["cursor"])
            found = found.filter(
                Q(student__student_number__gt=number)
                | Q(student__student_number=number, season__practice_starts__gt=starts)
                | Q(student__student_number=number, season__practice_starts=starts, pk__gt=pk)
            )
        keys = list(
            found.values_list("pk", "student__student_number", "season__practice_starts")[
                : limit + 1
            ]
        )
        more = len(keys) > limit
        keys = keys[:limit]
        rows = [
            dict(zip(s.CREDIT_FIELDS, row, strict=True))
            for row in _CreditPage(self.principal, [k[0] for k in keys]).rows()
        ]
        last = keys[-1] if more else None
        body = {
            "results": rows,
            "next_cursor": _cursor_encode(last[1], last[2], last[0]) if last else None,
        }
        return _with_etag(request, body)


def _with_etag(request, body: dict) -> Response:
    raw = json.dumps(body, sort_keys=True, default=str, ensure_ascii=False).encode()
    etag = f'"{hashlib.sha256(raw).hexdigest()[:32]}"'
    asked = {
        tag.strip().removeprefix("W/")
        for tag in request.headers.get("If-None-Match", "").split(",")
    }
    if etag in asked or "*" in asked:
        return Response(status=304, headers={"ETag": etag})
    return Response(body, headers={"ETag": etag})


def placement_out(p: Placement) -> dict:
    county = p.post.host_unit.county
    return {
        "id": p.pk,
        "student_number": p.student.student_number,
        "student_name": p.student.name,
        "id_number": p.student.id_number_masked,
        "university": p.student.university.name,
        "college": p.student.college,
        "major": p.student.major,
        "season": _season_key(p.season),
        "post_id": p.post_id,
        "post_title": p.post.title,
        "host_unit": p.post.host_unit.name,
        "county": f"{county.parent.name}{county.name}",
        "status": p.status,
        "status_label": str(p.get_status_display()),
        "reported_at": _local(p.reported_at),
        "rating": str(p.get_rating_display()) if p.rating else "",
        "hours": p.hours,
        "certificate_code": p.certificate_code or "",
    }


class _Placements(ApiView):
    def get(self, request):
        data = s.checked(s.PlacementQuery, request)
        found = students.placements_for_user(self.principal)
        found = _season_filter(found, data.get("season", ""))
        if data.get("status"):
            found = found.filter(status=data["status"])
        found = found.order_by("-season__practice_starts", "student__student_number", "pk")
        rows, page = _page(found, data.get("page", 1))
        return Response({**page, "results": [placement_out(p) for p in rows]})


class UniversityPlacements(_Placements):
    token_kinds = (ApiToken.Kind.UNIVERSITY,)

    @operation(
        operation_id="university_placements",
        summary="本校学生的实践安排",
        parameters=[s.PlacementQuery],
        responses={200: s.PlacementPage, **ERRORS},
        tags=["高校令牌"],
    )
    def get(self, request):
        return super().get(request)


class UniversityClearances(ApiView):
    token_kinds = (ApiToken.Kind.UNIVERSITY,)

    @operation(
        operation_id="university_clearances",
        summary="本校学生的在校表现证明与行前安全培训记录",
        parameters=[s.PageQuery],  # page only
        responses={200: s.ClearancePage, **ERRORS},
        tags=["高校令牌"],
    )
    def get(self, request):
        data = s.checked(s.PageQuery, request)
        found = (
            Clearance.objects.filter(student__in=students.students_for_user(self.principal))
            .select_related("student", "season__programme_year")
            .order_by("-season__practice_starts", "student__student_number", "pk")
        )
        rows, page = _page(found, data.get("page", 1))
        results = [
            {
                "student_number": c.student.student_number,
                "student_name": c.student.name,
                "season": _season_key(c.season),
                "season_label": str(c.season),
                "performance_certified_at": _local(c.performance_certified_at),
                "safety_trained_at": _local(c.safety_trained_at),
            }
            for c in rows
        ]
        return Response({**page, "results": results})


# County token ----------------------------------------------------------------------------------


def _annotated(posts):
    return posts.annotate(
        seats_left=students.seats_left(),
        apply_by=stage_due_expression("match", county="host_unit__county"),
    )


class CountyPosts(ApiView):
    token_kinds = (ApiToken.Kind.COUNTY,)

    @operation(
        operation_id="county_posts",
        summary="本县岗位（含草稿）",
        parameters=[s.CountyPostQuery],
        responses={200: s.PostPage, **ERRORS},
        tags=["县级团委令牌"],
    )
    def get(self, request):
        data = s.checked(s.CountyPostQuery, request)
        found = _season_filter(positions.posts_for_user(self.principal), data.get("season", ""))
        if data.get("status"):
            found = found.filter(status=data["status"])
        found = _annotated(found).select_related(PROVINCE_OF_POST).order_by("-created_at", "-pk")
        rows, page = _page(found, data.get("page", 1))
        return Response({**page, "results": [post_out(p, full_phone=True) for p in rows]})


class CountyApplications(ApiView):
    token_kinds = (ApiToken.Kind.COUNTY,)

    @operation(
        operation_id="county_applications",
        summary="本县岗位的报名（手机号脱敏，同导出）",
        parameters=[s.CountyApplicationQuery],
        responses={200: s.ApplicationPage, **ERRORS},
        tags=["县级团委令牌"],
    )
    def get(self, request):
        data = s.checked(s.CountyApplicationQuery, request)
        found = students.applications_for_user(self.principal).exclude(
            status=Application.Status.WITHDRAWN
        )
        found = _season_filter(found, data.get("season", ""))
        if data.get("status"):
            found = found.filter(status=data["status"])
        if data.get("post"):
            found = found.filter(post=data["post"])
        found = found.select_related("post").order_by("post_id", "created_at", "pk")
        rows, page = _page(found, data.get("page", 1))
        return Response({**page, "results": [_application_out(a) for a in rows]})


def _application_out(a: Application) -> dict:
    return {
        "id": a.pk,
        "post_id": a.post_id,
        "post_title": a.post.title,
        "season": _season_key(a.season),
        "student_name": a.student.name,
        "university": a.student.university.name,
        "major": a.student.major,
        "grade": str(a.student.grade),
        "phone": mask_phone(a.student.phone),
        "rank": a.rank,
        "status": a.status,
        "status_label": str(a.get_status_display()),
        "host_rank": a.host_rank,
        "created_at": _local(a.created_at),
    }


class CountyPlacements(_Placements):
    token_kinds = (ApiToken.Kind.COUNTY,)

    @operation(
        operation_id="county_placements",
        summary="本县岗位的实践安排",
        parameters=[s.PlacementQuery],
        responses={200: s.PlacementPage, **ERRORS},
        tags=["县级团委令牌"],
    )
    def get(self, request):
        return super().get(request)


class _PostChange(ApiView):
    """Publish or close one of the county's posts: another county's post is 404; a token made
    without 允许发布、结束岗位 gets 403; a refusal of the service (a draft's dates passed, a
    post already closed) is 400 with its Chinese reason."""

    token_kinds = (ApiToken.Kind.COUNTY,)
    change = staticmethod(lambda *, post, actor: post)

    def post(self, request, pk: str):
        post, access = positions.get_post_for_user(self.principal, _pk(pk))
        if not (access.can_write and self.token.can_write):
            raise exceptions.PermissionDenied(_("该令牌只读，不能发布或结束岗位。"))
        post = self.change(post=post, actor=self.token.created_by)
        return Response(
            {"id": post.pk, "status": post.status, "status_label": str(post.get_status_display())}
        )


CHANGE_ERRORS = {
    **ERRORS,
    403: OpenApiResponse(s.Error, description="令牌只读"),
}


class CountyPostPublish(_PostChange):
    change = staticmethod(post_services.post_publish)

    @operation(
        operation_id="county_post_publish",
        summary="发布本县的草稿岗位",
        parameters=[POST_ID],
        request=None,
        responses={200: s.PostChanged, **CHANGE_ERRORS},
        tags=["县级团委令牌"],
    )
    def post(self, request, pk: str):
        return super().post(request, pk)


class CountyPostClose(_PostChange):
    change = staticmethod(post_services.post_close)

    @operation(
        operation_id="county_post_close",
        summary="结束本县已发布的岗位（不再接受报名）",
        parameters=[POST_ID],
        request=None,
        responses={200: s.PostChanged, **CHANGE_ERRORS},
        tags=["县级团委令牌"],
    )
    def post(self, request, pk: str):
        return super().post(request, pk)


# Province token --------------------------------------------------------------------------------


class ProvinceDashboard(ApiView):
    token_kinds = (ApiToken.Kind.PROVINCE,)

    @operation(
        operation_id="province_dashboard",
        summary="全省各县（市、区）分实践季的数据看板数字",
        parameters=[s.DashboardQuery],
        responses={200: s.DashboardOut, **ERRORS},
        tags=["团省委令牌"],
    )
    def get(self, request):
        data = s.checked(s.DashboardQuery, request)
        province = self.token.region
        kinds = [data["season"]] if data.get("season") else ["summer", "winter"]
        rows, year, refreshed = [], None, []
        for kind in kinds:
            board = dashboard(province, year=data.get("year"), season=kind)
            year = board.year
            if board.refreshed_at:
                refreshed.append(board.refreshed_at)
            rows += [_dashboard_row(county, kind) for county in board.counties]
        rows.sort(key=lambda row: (row["county_code"], row["season"]))
        return Response(
            {
                "province_code": province.code,
                "year": year,
                "refreshed_at": _local(min(refreshed)) if refreshed else None,
                "rows": rows,
            }
        )


def _dashboard_row(county: dict, kind: str) -> dict:
    return {
        "county_code": county["code"],
        "county": county["name"],
        "city": county["city"] or "",
        "season": kind,
        **{key: county[key] or 0 for key in FUNNEL},
        "quota": county["quota"] or 0,
        "quota_reported": county["quota_reported"] or 0,
        "quota_state": county["quota_state"] or "",
    }
