"""The dashboards' figures against the hand count in conftest.py, their scope, their exports
and their query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html
from openpyxl import load_workbook

from dashboards.models import CountySeasonStats
from dashboards.services import stats_refresh
from tests.dashboards.conftest import EXPECTED
from tests.factories import HostUnitFactory, PostFactory, region

FUNNEL_LABELS = ["发布岗位", "报名人次", "发出录用", "确认录用", "已报到", "已完成", "可认定学分"]
FUNNEL_KEYS = ["posts", "applications", "offers", "confirmed", "reported", "completed", "credited"]


def page(client, user, code, **query):
    client.force_login(user)
    response = client.get(reverse("dashboards:region", args=[code]), query)
    assert response.status_code == 200
    return html.fromstring(response.content.decode())


def figures(doc) -> dict:
    return {
        node.get("data-figure"): node.text_content().strip()
        for node in doc.xpath("//*[@data-figure]")
    }


def table(doc, table_id) -> dict[str, list[str]]:
    rows = {}
    for tr in doc.xpath(f"//table[@id='{table_id}']//tr[td]"):
        cells = [td.text_content().strip() for td in tr.xpath("td")]
        rows[cells[0]] = cells[1:]
    return rows


def as_row(expected: dict, attainment: str) -> list[str]:
    return [
        *[str(expected[key]) for key in FUNNEL_KEYS],
        attainment,
        str(expected["ledger_size"]),
        str(expected["contacts"]),
        str(expected["returns"]),
    ]


def test_the_provincial_dashboard_shows_the_hand_counted_figures(client, board):
    doc = page(client, board.province_staff, "440000", year=board.year)

    expected = EXPECTED["province_all"]
    shown = figures(doc)
    assert {
        key: int(shown[key]) for key in (*FUNNEL_KEYS, "ledger_size", "contacts", "returns")
    } == expected
    # Quotas 4 + 0 + 10 reported against 4 + 50 + 50.
    assert shown["attainment"] == "13%"
    units = table(doc, "units-table")
    assert units["广州市"] == as_row(expected, "7%")  # 4 of 54
    assert units["梅州市"] == ["0"] * 7 + ["20%", "0", "0", "0"]  # 10 of 50
    assert units["合计"] == as_row(expected, "13%")
    assert "南宁市" not in units and "兴宁区" not in doc.text_content()


def test_choosing_a_season_counts_that_season_only(client, board):
    doc = page(client, board.province_staff, "440000", year=board.year, season="summer")

    shown = figures(doc)
    assert {key: int(shown[key]) for key in EXPECTED["province_summer"]} == EXPECTED[
        "province_summer"
    ]
    doc = page(client, board.province_staff, "440000", year=board.year, season="winter")
    assert [figures(doc)[key] for key in FUNNEL_KEYS] == ["1"] * 7


def test_the_city_dashboard_drills_down_to_its_counties(client, board):
    doc = page(client, board.gz_staff, "440100", year=board.year)

    units = table(doc, "units-table")
    assert units["越秀区"] == as_row(EXPECTED["yuexiu_all"], "100%")
    assert units["天河区"] == as_row(EXPECTED["tianhe_all"], "0%")
    assert "梅县区" not in units
    matrix = table(doc, "milestone-matrix")
    assert matrix["本级"][0] == "✓1" and matrix["天河区"][:2] == ["逾期1", "✓1"]
    links = doc.xpath("//table[@id='units-table']//a/@href")
    assert any(link.startswith("/dashboard/440104/") for link in links)


def test_the_county_dashboard_shows_its_own_figures(client, board):
    doc = page(client, board.yx_staff, "440104", year=board.year)

    shown = figures(doc)
    assert {key: int(shown[key]) for key in EXPECTED["yuexiu_all"]} == EXPECTED["yuexiu_all"]
    assert table(doc, "units-table")["越秀区"] == as_row(EXPECTED["yuexiu_all"], "100%")


def test_quota_attainment_is_coloured_by_standing(client, board):
    doc = page(client, board.province_staff, "440000", year=board.year)

    quotas = table(doc, "quota-table")
    assert quotas["广州市 越秀区"] == ["4", "4", "100%", "已达标"]
    assert quotas["广州市 天河区"] == ["0", "50", "0%", "未达标风险"]
    assert quotas["梅州市 梅县区"] == ["10", "50", "20%", "未达标"]
    badges = {b.text_content().strip() for b in doc.xpath("//span[contains(@class,'quota-')]")}
    assert {"已达标 1", "未达标风险 1", "未达标 1", "正常推进 0"} <= badges


def test_the_milestone_matrix_counts_each_unit_and_marks_overdue_red(client, board):
    doc = page(client, board.province_staff, "440000", year=board.year)

    matrix = table(doc, "milestone-matrix")
    # 广州市 itself and 越秀 planned, 天河 is overdue; everyone in 广州 onboarded.
    assert matrix["广州市"][:2] == ["✓2 逾期1", "✓2"]
    assert matrix["梅州市"][:2] == ["未完成1 豁免1", "逾期1"]
    red = doc.xpath("//table[@id='milestone-matrix']//td[contains(@class,'table-danger')]")
    assert len(red) == 2


def test_each_table_exports_what_the_page_shows_within_scope(client, board):
    client.force_login(board.gz_staff)
    url = reverse("dashboards:export", args=["440100", "units"])
    response = client.get(url, {"year": board.year})

    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = {r[0]: [str(v) for v in r[1:]] for r in sheet.iter_rows(values_only=True)}
    yuexiu = EXPECTED["yuexiu_all"]
    assert rows["越秀区"] == [
        *[str(yuexiu[key]) for key in FUNNEL_KEYS],
        *["4", "4", "100%"],  # quota, reported, attainment
        *[str(yuexiu[key]) for key in ("ledger_size", "contacts", "returns")],
    ]
    assert set(rows) == {"单位", "越秀区", "天河区", "合计"}
    for name in ("quotas", "milestones"):
        url = reverse("dashboards:export", args=["440100", name])
        content = b"".join(client.get(url, {"year": board.year}).streaming_content)
        text = " ".join(
            str(v)
            for r in load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
            for v in r
        )
        assert "越秀区" in text and "梅县区" not in text


@pytest.mark.parametrize(
    "who,code",
    [
        ("yx_staff", "440106"),  # another county
        ("yx_staff", "440100"),  # the city above
        ("gz_staff", "441400"),  # another city
        ("gz_staff", "440000"),  # the province above
        ("gx_staff", "440000"),  # another province
        ("province_staff", "national"),
        ("host", "440104"),
        ("uni", "440104"),
        ("student", "440104"),
    ],
)
def test_nobody_sees_a_dashboard_outside_their_region(client, board, who, code):
    client.force_login(getattr(board, who))
    assert client.get(reverse("dashboards:region", args=[code])).status_code == 404
    export = reverse("dashboards:export", args=[code, "units"])
    assert client.get(export).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, board):
    response = client.get(reverse("dashboards:region", args=["440000"]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_each_role_lands_on_its_own_region(client, board):
    for user, code in (
        (board.province_staff, "440000"),
        (board.gz_staff, "440100"),
        (board.yx_staff, "440104"),
        (board.superuser, "national"),
    ):
        client.force_login(user)
        assert client.get(reverse("dashboards:home"))["Location"] == f"/dashboard/{code}/"


def test_the_national_dashboard_shows_every_province(client, board):
    doc = page(client, board.superuser, "national", year=board.year)

    units = table(doc, "units-table")
    assert units["广东省"][:7] == [str(EXPECTED["province_all"][k]) for k in FUNNEL_KEYS]
    assert units["广西壮族自治区"][:7] == ["1", "1", "1", "1", "1", "1", "1"]


def test_a_dashboard_takes_the_same_queries_however_many_counties_report(client, board):
    def count():
        client.force_login(board.province_staff)
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("dashboards:region", args=["440000"]), {"year": board.year})
        return len(queries)

    before = count()
    for code in ("441403", "441900121"):
        PostFactory(host_unit=HostUnitFactory(county=region(code)), season=board.summer)
    stats_refresh(season_id=board.summer.pk)
    # 15 for the figures and tables, 1 for the milestones of the compliance matrix (a province's
    # own share one code, so they are read by id), 8 for the 五个一 panel (summary.five: the
    # year, its dates and county_figures' grouped queries).
    assert count() == before <= 15 + 1 + 8


def test_recounting_twice_writes_the_same_rows(board):
    before = list(CountySeasonStats.objects.order_by("pk").values(*FUNNEL_KEYS, "county", "season"))
    stats_refresh(season_id=board.summer.pk)
    stats_refresh(season_id=board.summer.pk)
    after = list(CountySeasonStats.objects.order_by("pk").values(*FUNNEL_KEYS, "county", "season"))
    assert after == before


def test_the_recount_is_on_the_beat_schedule_every_ten_minutes(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-dashboards"]
    assert entry["task"] == "dashboards.tasks.refresh_all_stats"
    assert entry["schedule"].minute == set(range(0, 60, 10))


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_recounts_a_season_and_a_second_delivery_changes_nothing(worker):
    from dashboards.tasks import refresh_stats
    from tests.dashboards.conftest import build_board

    board = build_board()
    CountySeasonStats.objects.all().delete()
    PostFactory(host_unit=HostUnitFactory(county=board.tianhe), season=board.summer)

    results = [
        refresh_stats.apply_async(args=[board.summer.pk], ignore_result=False) for _ in range(2)
    ]
    assert [result.get(timeout=30) for result in results] == [3, 3]  # 越秀, 天河 and 梅县, twice
    assert CountySeasonStats.objects.get(county=board.tianhe, season=board.summer).posts == 2
    assert CountySeasonStats.objects.count() == 3


def test_a_seasons_contacts_start_where_the_previous_seasons_ended_even_last_year(board):
    from dashboards.services import contact_window
    from schedule.services import programme_year_create

    later = programme_year_create(province=board.gd, year=board.year + 1)
    summer = later.seasons.get(kind="summer")

    start, end = contact_window(summer)
    assert start == board.winter.practice_ends + datetime.timedelta(days=1)
    assert end == summer.practice_ends
    assert contact_window(board.summer)[0] == datetime.date(board.year, 1, 1)


def test_the_beat_recounts_seasons_still_under_way_or_ended_within_120_days(board):
    from dashboards.services import seasons_to_refresh

    winter_ended = board.winter.practice_ends
    assert {board.summer.pk, board.winter.pk} <= set(
        seasons_to_refresh(today=board.summer.practice_starts)
    )
    later = winter_ended + datetime.timedelta(days=121)
    assert board.winter.pk not in seasons_to_refresh(today=later)
    assert board.winter.pk in seasons_to_refresh(today=winter_ended + datetime.timedelta(days=120))
