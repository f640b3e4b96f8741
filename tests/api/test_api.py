"""The open API (issue 20): tokens made and revoked on the staff page, what each token kind
reads (its own unit only), 401 with an audit row for a revoked or expired token, credits equal
to `export_credits` row for row, the nightly pull's ETag, publish and close, Chinese JSON
errors naming the field, the public operations and the docs served without a CDN."""

import datetime

import openpyxl
import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AuditEvent, Role
from api import services
from api.models import ApiToken
from fanjiaxiang.exporters import clean
from positions.models import Post
from tests.factories import PASSWORD, PostFactory, StudentFactory, authenticator
from tests.students.test_credits import credit_world, placement  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db


def make(user, key: str, **extra) -> str:
    _token, secret = services.token_create(actor=user, scope_key=key, name="测试", days=90, **extra)
    return secret


def call(secret: str | None, url: str, method: str = "get", **query):
    client = Client()
    headers = {"Authorization": f"Bearer {secret}"} if secret else {}
    return getattr(client, method)(url, query if method == "get" else None, headers=headers)


# Tokens: who makes them, what each reads -------------------------------------------------------


def test_the_token_page_creates_shows_the_secret_once_and_revokes(world):
    client = Client()
    client.force_login(world.yx_staff)
    page = client.post(
        reverse("api:tokens"),
        {"scope": "county:440104", "name": "创青春同步", "days": "90", "can_write": "on"},
    )
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    secret = page.context["secret"]
    assert secret.startswith("fjx_") and secret in page.content.decode()
    token = ApiToken.objects.get()
    assert token.digest == services.digest_of(secret) and secret not in token.digest
    assert secret not in client.get(reverse("api:tokens")).content.decode()  # once
    assert call(secret, reverse("api:county_posts")).status_code == 200
    client.post(reverse("api:token_revoke", args=[token.pk]))
    refused = call(secret, reverse("api:county_posts"))
    assert refused.status_code == 401 and refused.json()["detail"] == "令牌已被撤销。"
    event = AuditEvent.objects.filter(action="api.refused").latest("id")
    assert event.target_id == token.pk and event.data["outcome"] == "revoked"
    assert event.data["operation"] == "county_posts"


def test_the_banner_names_the_token_just_made_not_an_older_one(world):
    services.token_create(actor=world.yx_staff, scope_key="county:440104", name="旧令牌", days=30)
    client = Client()
    client.force_login(world.yx_staff)
    page = client.post(
        reverse("api:tokens"), {"scope": "county:440104", "name": "新令牌", "days": "365"}
    )
    text = page.content.decode()
    assert "已创建令牌“新令牌”" in text and "已创建令牌“旧令牌”" not in text
    new = ApiToken.objects.get(name="新令牌")
    assert f"有效期至 {new.expires_at:%Y}年{new.expires_at.month}月" in text


def test_a_half_signed_in_browser_still_gets_json_from_the_api(world, settings):
    settings.STAFF_TWO_FACTOR = True
    authenticator(world.yx_staff)
    secret = make(world.yx_staff, "county:440104")
    client = Client()
    login = {"username": world.yx_staff.username, "password": PASSWORD}
    client.post(reverse("accounts:login"), login)  # the password, not yet the code
    assert client.get(reverse("positions:post_list")).status_code == 302
    headers = {"Authorization": f"Bearer {secret}"}
    answer = client.get(reverse("api:county_posts"), headers=headers)
    assert answer.status_code == 200 and "results" in answer.json()


def test_the_audit_log_names_api_calls_in_chinese(world):
    secret = make(world.yx_staff, "county:440104")
    call(secret, reverse("api:county_posts"))
    token = ApiToken.objects.get()
    client = Client()
    client.force_login(world.province_staff)
    rows = client.get(reverse("accounts:audit_log")).content.decode().split("<tbody>")[1]
    assert f"接口令牌 #{token.pk}" in rows and "api.apitoken" not in rows
    assert "结果=成功" in rows and "outcome=" not in rows
    csv = client.get(reverse("accounts:audit_log"), {"export": "csv"})
    text = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert str(Role.COUNTY.label) in text and ",county," not in text


def test_a_county_token_is_made_by_the_county_its_city_or_province_never_a_neighbour(world):
    for user in (world.yx_staff, world.gz_staff, world.province_staff):
        make(user, "county:440104")
    with pytest.raises(Exception, match="只能为本单位"):
        make(world.th_staff, "county:440104")
    with pytest.raises(Exception, match="只能为本单位"):
        make(world.mz_staff, "county:440104")
    # The city and the province see (and may revoke) the county's tokens; the neighbour not.
    client = Client()
    client.force_login(world.th_staff)
    token = ApiToken.objects.first()
    assert client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404


def test_expiry_is_at_most_a_year_and_only_county_tokens_write(world):
    with pytest.raises(Exception, match="最长 365 天"):
        services.token_create(
            actor=world.uni_staff,
            scope_key=f"university:{world.university.code}",
            name="x",
            days=400,
        )
    with pytest.raises(Exception, match="只有县级团委令牌"):
        make(world.uni_staff, f"university:{world.university.code}", can_write=True)


def test_an_expired_token_gets_401_and_is_audited(world):
    secret = make(world.uni_staff, f"university:{world.university.code}")
    now = timezone.now()
    ApiToken.objects.update(created_at=now - datetime.timedelta(days=91), expires_at=now)
    response = call(secret, reverse("api:credits"))
    assert response.status_code == 401 and response.json() == {"detail": "令牌已过期，请重新创建。"}
    assert response["WWW-Authenticate"].startswith("Bearer")
    event = AuditEvent.objects.get(action="api.refused")
    assert event.data["outcome"] == "expired" and event.actor == world.uni_staff


def test_an_unknown_secret_is_401_and_then_throttled(world, settings):
    settings.API_UNKNOWN_TOKENS_PER_MINUTE = 2
    url = reverse("api:credits")
    assert [call("fjx_00000000_guess", url).status_code for _ in range(3)] == [401, 401, 429]
    assert call(None, url).status_code == 401


def test_each_call_writes_one_audit_row_with_token_operation_and_outcome(world):
    secret = make(world.uni_staff, f"university:{world.university.code}")
    before = AuditEvent.objects.count()
    call(secret, reverse("api:university_placements"))
    call(secret, reverse("api:credits"), year="26")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [
        (e.action, e.data["operation"], e.data["status"], e.data["outcome"]) for e in events
    ] == [
        ("api.call", "university_placements", 200, "ok"),
        ("api.call", "credits", 400, "error"),
    ]
    assert events[0].target_type == "api.apitoken" and events[0].data["token"] in secret


# Scope: a token reads its own unit only --------------------------------------------------------


def test_a_university_token_reads_only_its_own_students(credit_world):  # noqa: F811
    w = credit_world
    sysu = make(w.uni_staff, f"university:{w.sysu.code}")
    scut = make(w.scut_staff, f"university:{w.scut.code}")

    def names(secret):
        return {r["university"] for r in call(secret, reverse("api:credits")).json()["results"]}  # noqa: E731

    assert names(sysu) == {"中山大学"} and names(scut) == {"华南理工大学"}
    placements = call(scut, reverse("api:university_placements")).json()
    assert placements["count"] == 2 and {r["university"] for r in placements["results"]} == {
        "华南理工大学"
    }
    assert all("*" in r["id_number"] for r in placements["results"])  # masked as in the export
    # Another kind's operation is not there for it.
    assert call(sysu, reverse("api:county_posts")).status_code == 404
    assert call(sysu, reverse("api:province_dashboard")).status_code == 404


def test_a_county_token_reads_and_changes_only_its_county(world):
    yuexiu = make(world.yx_staff, "county:440104", can_write=True)
    titles = {p["title"] for p in call(yuexiu, reverse("api:county_posts")).json()["results"]}
    assert titles == {"越秀图书馆阅读推广员", "越秀草稿岗位"}
    url = lambda post, what: reverse(f"api:county_post_{what}", args=[post.pk])  # noqa: E731
    assert call(yuexiu, url(world.post_th, "close"), "post").status_code == 404
    published = call(yuexiu, url(world.draft_yx, "publish"), "post")
    assert published.status_code == 200 and published.json()["status"] == "published"
    again = call(yuexiu, url(world.draft_yx, "publish"), "post")
    assert again.status_code == 400 and again.json()["detail"] == "只有草稿状态的岗位可以发布。"
    assert call(yuexiu, url(world.post_yx, "close"), "post").json()["status"] == "closed"
    assert Post.objects.get(pk=world.post_th.pk).status == "published"


def test_a_read_only_county_token_may_not_publish(world):
    secret = make(world.gz_staff, "county:440104")
    response = call(secret, reverse("api:county_post_publish", args=[world.draft_yx.pk]), "post")
    assert response.status_code == 403 and "只读" in response.json()["detail"]
    assert Post.objects.get(pk=world.draft_yx.pk).status == "draft"


def test_county_applications_mask_the_phone_as_the_export_does(world):
    student = StudentFactory(phone="13912345678", name="越秀报名生")
    from students import services as student_services

    student_services.application_submit(student=student, post=world.post_yx, actor=None)
    secret = make(world.yx_staff, "county:440104")
    rows = call(secret, reverse("api:county_applications")).json()["results"]
    assert [(r["student_name"], r["phone"]) for r in rows] == [("越秀报名生", "139****5678")]
    tianhe = make(world.th_staff, "county:440106")
    assert call(tianhe, reverse("api:county_applications")).json()["count"] == 0


def test_a_province_token_reads_its_dashboard_figures_per_county_and_season(world):
    secret = make(world.province_staff, "province:440000")
    body = call(secret, reverse("api:province_dashboard")).json()
    assert body["province_code"] == "440000"
    assert {row["season"] for row in body["rows"]} <= {"summer", "winter"}
    bad = call(secret, reverse("api:province_dashboard"), season="spring")
    assert bad.status_code == 400 and bad.json()["detail"].startswith("season：")


# Credits: the export, row for row; the nightly pull -------------------------------------------


def test_credits_through_the_api_equal_export_credits_row_for_row(credit_world, tmp_path):  # noqa: F811
    w = credit_world
    secret = make(w.uni_staff, f"university:{w.sysu.code}")
    for filters in (
        {},
        {"year": w.year},
        {"year": w.year, "season": "winter"},
        {"season": "summer"},
    ):
        target = tmp_path / "credits.xlsx"
        call_command(
            "export_credits",
            university=w.sysu.code,
            output=str(target),
            **{k: str(v) for k, v in filters.items()},
        )
        exported = list(openpyxl.load_workbook(target, read_only=True).active.values)[1:]
        rows, cursor = [], None
        while True:  # two rows a page, so the cursor is walked
            query = {**filters, "limit": 2, **({"cursor": cursor} if cursor else {})}
            page = call(secret, reverse("api:credits"), **query).json()
            rows += page["results"]
            cursor = page["next_cursor"]
            if cursor is None:
                break
        assert [tuple(clean(v) for v in r.values()) for r in rows] == exported, filters


def test_a_nightly_pull_with_the_last_etag_transfers_nothing(credit_world):  # noqa: F811
    w = credit_world
    secret = make(w.uni_staff, f"university:{w.sysu.code}")
    first = call(secret, reverse("api:credits"))
    etag = first["ETag"]
    client = Client()
    headers = {"Authorization": f"Bearer {secret}", "If-None-Match": etag}
    again = client.get(reverse("api:credits"), headers=headers)
    assert again.status_code == 304 and again.content == b""
    placement(w.s1, w.posts.next, hours=48, rating="excellent")  # a new completed placement
    changed = client.get(reverse("api:credits"), headers=headers)
    assert changed.status_code == 200 and changed["ETag"] != etag
    assert len(changed.json()["results"]) == len(first.json()["results"]) + 1


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"year": "26"}, "year", "year："),
        ({"season": "spring"}, "season", "season："),
        ({"cursor": "!!"}, "cursor", "游标无效"),
        ({"limit": "0"}, "limit", "limit："),
    ],
)
def test_bad_filters_get_a_chinese_400_naming_the_field(world, query, field, message):
    secret = make(world.uni_staff, f"university:{world.university.code}")
    response = call(secret, reverse("api:credits"), **query)
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert field in response.json()["fields"] and message in response.json()["detail"]


# Public operations and the docs ----------------------------------------------------------------


def test_public_search_uses_the_filters_of_the_posts_page(world):
    found = call(None, reverse("api:posts"), county="440104").json()
    assert [p["title"] for p in found["results"]] == ["越秀图书馆阅读推广员"]  # no drafts
    assert found["results"][0]["contact_phone"] == "138****8000"
    assert call(None, reverse("api:posts"), county="440199").json()["fields"] == {
        "county": ["没有这个地区代码。"]
    }
    assert call(None, reverse("api:post", args=[world.draft_yx.pk])).status_code == 404
    odd = Client().get("/api/v1/posts/１２/")
    assert odd.status_code == 404 and odd.json() == {"detail": "未找到。"}
    nul = Client().get(reverse("api:posts"), {"q": "a\x00b"})
    assert nul.status_code == 400 and nul["Content-Type"] == "application/json"


def test_certificate_verification_is_throttled_with_the_verify_pages_counter(world, settings):
    settings.CERTIFICATE_CHECKS_PER_MINUTE = 2
    url = reverse("api:certificate", args=["ABCDEFGHJKLM"])
    assert Client().get(reverse("students:verify"), {"code": "ABCDEFGHJKLM"}).status_code == 200
    assert call(None, url).status_code == 404
    throttled = call(None, url)
    assert throttled.status_code == 429 and throttled["Retry-After"] == "60"


def test_the_docs_are_served_from_the_portal_under_its_csp(client):
    page = client.get(reverse("api:docs"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
    assert "script-src 'self'" in page["Content-Security-Policy"]
    assert "<script>" not in html  # the start-up script is a file, so CSP needs no 'unsafe-inline'
    schema = client.get(reverse("api:schema"), {"format": "json"})
    assert schema.status_code == 200 and "/api/v1/university/credits/" in schema.json()["paths"]


def test_the_token_page_is_for_staff_only(world):
    client = Client()
    client.force_login(world.yx_host)
    assert client.get(reverse("api:tokens")).status_code == 404
    client.force_login(world.student)
    assert client.get(reverse("api:tokens")).status_code == 404
    assert Client().get(reverse("api:tokens")).status_code == 302
    assert PASSWORD and Role.COUNTY  # the module's imports are the suite's usual ones


def test_the_command_creates_a_token_for_a_unit_the_account_manages(world, capsys):
    call_command("create_api_token", by="gz_city", scope="county:440104", name="创青春同步")
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    assert call(secret, reverse("api:county_posts")).status_code == 200
    with pytest.raises(Exception, match="只能为本单位"):
        call_command("create_api_token", by="tianhe", scope="county:440104", name="x")


@pytest.mark.parametrize("name", ["county_posts", "county_applications", "county_placements"])
def test_county_lists_cost_the_same_queries_for_one_row_or_many(world, name):
    secret = make(world.yx_staff, "county:440104")
    url = reverse(f"api:{name}")
    call(secret, url)  # warm: the token's own lookups
    for n in range(6):
        post = PostFactory(host_unit=world.unit_yx)
        placement(StudentFactory(name=f"列表生{n}"), post, hours=10, rating="good")
    with CaptureQueriesContext(connection) as few:
        assert call(secret, url).status_code == 200
    for n in range(6, 12):
        placement(
            StudentFactory(name=f"列表生{n}"),
            PostFactory(host_unit=world.unit_yx),
            hours=10,
            rating="good",
        )
    with CaptureQueriesContext(connection) as many:
        assert call(secret, url).json()["count"] > 6
    assert len(many) == len(few)
