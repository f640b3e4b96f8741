"""The score pages as each role meets them. Before publication only 团省委 reads the scores; after
it, 广州市 reads 越秀区 and 天河区 (not 梅县区), each county and university its own. Outsiders get
404, read-only readers 403 on any change, the anonymous the sign-in page; changes are POSTs."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import AuditEvent
from students.models import University
from summary import selectors, services
from summary.models import Publication, Score
from tests.summary.conftest import AS_OF
from tests.summary.test_scores import _more_counties

pytestmark = pytest.mark.usefixtures("summary_day")

SCORES = reverse("summary:scores")


def as_(client, user):
    client.force_login(user)
    return client


def recompute(sw):
    services.scores_recompute(
        programme_year=sw.programme_year, actor=sw.province_staff, as_of=AS_OF
    )


def publish(sw, *units):
    scores = [
        Score.objects.get(
            programme_year=sw.programme_year,
            **{"university" if isinstance(unit, University) else "region": unit},
        )
        for unit in units
    ]
    services.commendations_choose(
        programme_year=sw.programme_year, scores=scores, actor=sw.province_staff
    )
    services.commendations_publish(
        programme_year=sw.programme_year, title="", note="", actor=sw.province_staff
    )


def score(sw, unit) -> Score:
    field = "university" if isinstance(unit, University) else "region"
    return Score.objects.get(programme_year=sw.programme_year, **{field: unit})


def page(client, user, url=SCORES, **query) -> str:
    response = as_(client, user).get(url, query)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_province_recomputes_from_the_page_and_sees_every_unit_with_the_formula(client, sw):
    as_(client, sw.province_staff)
    assert (
        client.get(reverse("summary:scores_recompute", args=[sw.programme_year.pk])).status_code
        == 405
    )
    response = client.post(reverse("summary:scores_recompute", args=[sw.programme_year.pk]))
    assert response.status_code == 302
    assert Score.objects.count() == 3 + 2 + 2
    html = page(client, sw.province_staff, year=2030)
    for name in ("越秀区", "天河区", "梅县区", "广州市", "梅州市", "中山大学", "华南理工大学"):
        assert name in html
    for points in ("61.3", "65.9", "75.0"):
        assert points in html
    # The formula is on the page, each part with the year's weight and target.
    assert "评分办法" in html and "岗位与报到" in html and "在校表现证明与行前安全教育" in html
    assert "联系渠道（有成员的）覆盖的在外学子人数 ÷ 4" in html  # the rule's target, not 50
    assert "3 / 4" in html  # 越秀区's reported students over its quota
    assert "86.3 / 200" in html  # 广州市's counties' points


def test_province_adjusts_a_score_on_its_page(client, sw):
    recompute(sw)
    url = reverse("summary:score_detail", args=[score(sw, sw.yuexiu).pk])
    as_(client, sw.province_staff)
    response = client.post(url, {"adjustment": "2.5", "reason": ""})
    assert response.status_code == 200 and "请填写调整原因" in response.content.decode()
    response = client.post(url, {"adjustment": "2.5", "reason": "集中交流组织出色"})
    assert response.status_code == 302
    adjusted = score(sw, sw.yuexiu)
    assert adjusted.adjustment == Decimal("2.5") and adjusted.final == Decimal("63.8")
    assert AuditEvent.objects.filter(action="summary.adjust", actor=sw.province_staff).exists()


def test_province_chooses_and_publishes_commendations(client, sw):
    recompute(sw)
    as_(client, sw.province_staff)
    chosen = [score(sw, sw.yuexiu).pk, score(sw, sw.zsu).pk]
    url = reverse("summary:commendations_choose", args=[sw.programme_year.pk])
    assert client.post(url, {"commended": chosen}).status_code == 302
    assert set(Score.objects.filter(commended=True).values_list("pk", flat=True)) == set(chosen)
    publish_url = reverse("summary:commendations_publish", args=[sw.programme_year.pk])
    response = client.post(publish_url, {"title": "2030年度表扬名单", "note": "特此表扬。"})
    assert response.status_code == 302
    assert Publication.objects.get().title == "2030年度表扬名单"
    commendations = reverse("summary:commendations", args=[sw.programme_year.pk])
    html = page(client, sw.province_staff, commendations)
    assert "越秀区" in html and "中山大学" in html and "天河区" not in html
    # Published: the page offers no more changes, and a POST is refused with a message.
    assert 'id="commend-form"' not in page(client, sw.province_staff, year=2030)
    client.post(url, {"commended": []})
    assert Score.objects.filter(commended=True).count() == 2


def test_before_publication_only_the_province_reads_scores(client, sw):
    recompute(sw)
    for user in (sw.gz_staff, sw.yx_staff, sw.zsu_staff):
        html = page(client, user, year=2030)
        assert "尚未公布" in html and "61.3" not in html and "75.0" not in html
        detail = reverse("summary:score_detail", args=[score(sw, sw.yuexiu).pk])
        assert as_(client, user).get(detail).status_code == 404
    export = reverse("summary:scores_export", args=[sw.programme_year.pk])
    assert as_(client, sw.gz_staff).get(export).status_code == 404


def test_after_publication_each_level_reads_its_own_scope(client, sw):
    recompute(sw)
    publish(sw, sw.yuexiu)
    gz = page(client, sw.gz_staff, year=2030)
    assert "越秀区" in gz and "天河区" in gz and "梅县区" not in gz and "中山大学" not in gz
    # The city's own score, as a card with its parts.
    assert 'id="own-score"' in gz and "广东省广州市" in gz and "65.9" in gz
    assert "梅州市" not in gz
    mz = page(client, sw.mz_staff, year=2030)
    assert "梅县区" in mz and "越秀区" not in mz and "广州市" not in mz
    yx = page(client, sw.yx_staff, year=2030)
    assert "越秀区" in yx and "61.3" in yx and "天河区" not in yx and "获团省委表扬" in yx
    assert "65.9" not in yx  # not its city's score
    th = page(client, sw.th_staff, year=2030)
    assert "天河区" in th and "越秀区" not in th and "获团省委表扬" not in th
    zsu = page(client, sw.zsu_staff, year=2030)
    assert "中山大学" in zsu and "75.0" in zsu and "华南理工大学" not in zsu and "越秀区" not in zsu


@pytest.mark.parametrize(
    ("reader", "unit", "status"),
    [
        ("province_staff", "yuexiu", 200),
        ("gz_staff", "yuexiu", 200),
        ("yx_staff", "yuexiu", 200),
        ("zsu_staff", "zsu", 200),
        ("gx_staff", "yuexiu", 404),  # another province
        ("mz_staff", "yuexiu", 404),  # another city
        ("th_staff", "yuexiu", 404),  # another county
        ("scut_staff", "zsu", 404),  # another university
        ("zsu_staff", "yuexiu", 404),
        ("gz_staff", "zsu", 404),  # cities read their counties and themselves
        ("gz_staff", "guangzhou", 200),
        ("mz_staff", "guangzhou", 404),  # another city
        ("yx_staff", "guangzhou", 404),  # a county does not read its city's score
        ("gx_staff", "guangzhou", 404),
        ("yx_host", "yuexiu", 404),
    ],
)
def test_a_published_score_is_read_in_scope_and_changed_by_the_province_only(
    client, sw, reader, unit, status
):
    recompute(sw)
    publish(sw, sw.yuexiu)
    url = reverse("summary:score_detail", args=[score(sw, getattr(sw, unit)).pk])
    as_(client, getattr(sw, reader))
    assert client.get(url).status_code == status
    answer = client.post(url, {"adjustment": "5", "reason": "越界"}).status_code
    if reader == "province_staff":
        assert answer == 200  # the form again, with the refusal: the year is published
    else:
        assert answer == (403 if status == 200 else 404)
    assert score(sw, getattr(sw, unit)).adjustment == 0


def test_students_and_host_units_have_no_score_pages(client, sw):
    recompute(sw)
    for user in (sw.s1.user, sw.yx_host):
        as_(client, user)
        assert client.get(SCORES).status_code == 404
        recompute_url = reverse("summary:scores_recompute", args=[sw.programme_year.pk])
        assert client.post(recompute_url).status_code == 404
    client.logout()
    response = client.get(SCORES)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("reader", ["gz_staff", "yx_staff", "zsu_staff"])
def test_read_only_readers_cannot_recompute_commend_or_publish(client, sw, reader):
    recompute(sw)
    as_(client, getattr(sw, reader))
    for name, data in (
        ("summary:scores_recompute", {}),
        ("summary:commendations_choose", {"commended": [score(sw, sw.yuexiu).pk]}),
        ("summary:commendations_publish", {"title": "越界"}),
    ):
        assert client.post(reverse(name, args=[sw.programme_year.pk]), data).status_code == 403
    assert not Score.objects.filter(commended=True).exists()
    assert not Publication.objects.exists()


def test_another_provinces_staff_cannot_reach_this_year(client, sw):
    recompute(sw)
    as_(client, sw.gx_staff)
    assert client.get(SCORES, {"year": 2031}).status_code == 404
    html = client.get(SCORES, {"year": 2030}).content.decode()  # 广西's own 2030 year
    assert "越秀区" not in html and "中山大学" not in html
    for name in ("summary:commendations_choose", "summary:scores_recompute"):
        assert client.post(reverse(name, args=[sw.programme_year.pk])).status_code == 404
    assert not Score.objects.filter(programme_year__province=sw.province, commended=True).exists()
    assert not Score.objects.filter(programme_year__province=sw.guangxi, region=sw.yuexiu).exists()


def test_the_commendation_list_is_for_the_province_and_the_commended(client, sw):
    recompute(sw)
    url = reverse("summary:commendations", args=[sw.programme_year.pk])
    assert as_(client, sw.province_staff).get(url).status_code == 404  # not yet published
    publish(sw, sw.yuexiu, sw.zsu)
    for user in (sw.province_staff, sw.yx_staff, sw.zsu_staff):
        html = page(client, user, url)
        assert "越秀区" in html and "中山大学" in html
    assert "61.3" not in page(client, sw.yx_staff, url)  # names, not others' scores
    for user in (sw.th_staff, sw.gz_staff, sw.scut_staff, sw.yx_host, sw.s1.user, sw.gx_staff):
        assert as_(client, user).get(url).status_code == 404


def test_the_score_page_runs_the_same_number_of_queries_however_many_counties(client, sw):
    recompute(sw)
    as_(client, sw.province_staff)
    client.get(SCORES, {"year": 2030})  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(SCORES, {"year": 2030}).status_code == 200
    _more_counties(sw, 15, start=60)
    recompute(sw)
    with CaptureQueriesContext(connection) as many:
        html = client.get(SCORES, {"year": 2030}).content.decode()
    assert "测试74区" in html
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(few.captured_queries) <= 12


def test_a_citys_page_runs_the_same_number_of_queries_however_many_counties(client, sw):
    recompute(sw)
    publish(sw, sw.yuexiu)
    as_(client, sw.gz_staff)
    client.get(SCORES, {"year": 2030})
    with CaptureQueriesContext(connection) as few:
        client.get(SCORES, {"year": 2030})
    Publication.objects.all().delete()
    _more_counties(sw, 10, start=60)
    recompute(sw)
    publish(sw, sw.yuexiu)
    with CaptureQueriesContext(connection) as many:
        assert "测试69区" in client.get(SCORES, {"year": 2030}).content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_long_county_table_shows_the_first_twenty_and_folds_the_rest_still_commendable(
    client, sw
):
    _more_counties(sw, 22, start=60)  # 3 + 22 counties
    recompute(sw)
    html = page(client, sw.province_staff, year=2030)
    shown, _, folded = html.partition('id="county-scores-rest"')
    assert folded, "no folded part"
    ranked = [
        s
        for s in selectors.scores_for_user(sw.province_staff, sw.programme_year, published=False)
        if s.kind == "county"
    ]
    names = [s.region.name for s in ranked]
    # Ranks 1–20 in the open table, 21–25 inside <details>, numbered on.
    assert all(name in shown for name in names[:20])
    folded = folded.partition("</details>")[0]
    assert all(name not in shown.partition('id="county-scores"')[2] for name in names[20:])
    assert all(name in folded for name in names[20:])
    assert "<summary" in folded and "展开其余 5 个" in folded and "<td>21</td>" in folded
    # A county ticked in the folded part is commended like any other.
    last = ranked[-1]
    assert f'value="{last.pk}" form="commend-form"' in folded
    as_(client, sw.province_staff).post(
        reverse("summary:commendations_choose", args=[sw.programme_year.pk]),
        {"commended": [last.pk]},
    )
    last.refresh_from_db()
    assert last.commended
    # Universities are fewer than twenty here: nothing folds.
    assert 'id="university-scores-rest"' not in html


def test_a_commended_city_is_listed_told_and_reads_the_list(client, sw):
    recompute(sw)
    publish(sw, sw.guangzhou, sw.yuexiu)
    assert sw.gz_staff.notices.filter(text__contains="表扬").exists()
    assert not sw.mz_staff.notices.filter(text__contains="表扬").exists()
    url = reverse("summary:commendations", args=[sw.programme_year.pk])
    html = page(client, sw.province_staff, url)
    cities = html.partition('id="commended-cities"')[2].partition("</ol>")[0]
    assert "广州市团委" in cities and "65.9" in cities
    assert "广州市团委" in page(client, sw.gz_staff, url)
    assert as_(client, sw.mz_staff).get(url).status_code == 404
