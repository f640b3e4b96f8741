"""The university's dashboard: its students by hometown province and county, the season
filters, the Excel, its scope, and a query count that does not grow with the students."""

import io

import openpyxl
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from students.models import Application, Placement
from tests.factories import PostFactory, StudentFactory, season
from tests.universities.conftest import client_for

URL = reverse("universities:dashboard")


def _placed(student, post, **fields):
    if fields.get("status") == "completed":
        fields.setdefault("rating", "pass")
        fields["certificate_code"] = f"C{student.pk:011d}"
    application = Application.objects.create(
        student=student, post=post, season=post.season, rank=1, status="confirmed"
    )
    return Placement.objects.create(
        application=application,
        student=student,
        post=post,
        season=post.season,
        checkin_code="12345678",
        **fields,
    )


def _figures(response, region_name):
    row = next(r for r in response.context["rows"] if r.region.name == region_name)
    return row.figures()


def test_the_university_sees_its_students_by_hometown_province(uni):
    _placed(uni.b, uni.post_th, status="completed", hours=40, rating="excellent")

    response = client_for(uni.uni_staff).get(URL)

    # 注册 3, 报名 2 (越秀甲 applied, 天河乙 placed), 录用 1, 完成 1, 学分 1.
    assert response.status_code == 200
    assert _figures(response, "广东省") == [3, 2, 1, 1, 1]
    assert "华工丁" not in response.content.decode()


def test_drilling_into_a_province_shows_its_counties(uni):
    response = client_for(uni.uni_staff).get(URL, {"province": "440000"})

    assert _figures(response, "越秀区") == [2, 1, 0, 0, 0]
    assert _figures(response, "天河区") == [1, 0, 0, 0, 0]
    assert "广州市 越秀区" in response.content.decode()


def test_a_university_of_another_province_counts_its_own_students_only(uni):
    response = client_for(uni.pku_staff).get(URL)

    assert _figures(response, "广东省") == [1, 0, 0, 0, 0]
    assert client_for(uni.pku_staff).get(URL, {"province": "440000"}).status_code == 200
    page = client_for(uni.pku_staff).get(URL, {"province": "440000"}).content.decode()
    assert "梅县区" in page and "越秀区" not in page


def test_the_season_filter_counts_only_that_season(uni):
    winter = season("winter")
    _placed(uni.b, PostFactory(host_unit=uni.unit_th, season=winter))

    client = client_for(uni.uni_staff)
    summer_page = client.get(URL, {"season": "summer"})
    winter_page = client.get(URL, {"season": "winter"})

    assert _figures(summer_page, "广东省")[1:3] == [1, 0]
    assert _figures(winter_page, "广东省")[1:3] == [1, 1]


def test_odd_filters_give_the_whole_picture_not_an_error(uni):
    client = client_for(uni.uni_staff)

    assert client.get(URL, {"year": "x", "season": "spring"}).status_code == 200
    assert client.get(URL, {"province": "<script>"}).status_code == 200
    # A province none of its students comes from.
    assert client.get(URL, {"province": "450000"}).status_code == 404


def test_other_roles_get_no_dashboard(uni):
    for user in (uni.yx_staff, uni.province_staff, uni.a.user, uni.yx_host):
        assert client_for(user).get(URL).status_code == 404


def test_the_dashboard_query_count_does_not_grow_with_students(uni):
    client = client_for(uni.uni_staff)
    client.get(URL)  # the session and the user's rows are warm alike for both counts

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"province": "440000"}).status_code == 200
        return len(queries)

    before = count()
    for n in range(8):
        student = StudentFactory(university=uni.sysu, hometown=uni.meixian)
        _placed(student, PostFactory(host_unit=uni.unit_th), status="completed", hours=n)

    assert count() == before
    assert before <= 12


def test_the_excel_has_a_row_per_county_and_is_audited(uni):
    response = client_for(uni.uni_staff).get(reverse("universities:dashboard_export"))

    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [
        "生源省份",
        "生源城市",
        "生源县（市、区）",
        "注册",
        "报名",
        "录用",
        "完成",
        "学分认定",
    ]
    assert ["广东省", "广州市", "越秀区", 2, 1, 0, 0, 0] in rows
    assert len(rows) == 3
    assert AuditEvent.objects.filter(action="export", actor=uni.uni_staff).exists()
