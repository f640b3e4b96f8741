"""The public, login-free post search."""

import pytest
from django.urls import reverse

from positions.models import Post
from tests.factories import (
    HostUnitFactory,
    PostFactory,
    StudentFactory,
    practice_year,
    region,
    season,
)


def _search(client, **params):
    return client.get(reverse("positions:search"), params).content.decode()


def test_the_public_sees_published_posts_but_never_drafts(client, world):
    page = _search(client)
    assert "越秀图书馆阅读推广员" in page and "天河图书馆阅读推广员" in page
    assert "越秀草稿岗位" not in page
    assert (
        client.get(reverse("positions:public_detail", args=[world.draft_yx.pk])).status_code == 404
    )


@pytest.mark.parametrize("status", ["closed", "cancelled"])
def test_closed_and_cancelled_posts_leave_the_search(client, world, status):
    Post.objects.filter(pk=world.post_yx.pk).update(status=status)
    assert "越秀图书馆阅读推广员" not in _search(client)


def test_a_cancelled_post_has_no_public_page(client, world):
    Post.objects.filter(pk=world.post_yx.pk).update(status="cancelled")
    detail = client.get(reverse("positions:public_detail", args=[world.post_yx.pk]))
    assert detail.status_code == 404


def test_a_post_closed_to_applicants_says_it_is_closed_and_offers_no_form(client, world):
    Post.objects.filter(pk=world.post_yx.pk).update(status="closed")
    client.force_login(StudentFactory(hometown=world.unit_yx.county).user)
    page = client.get(reverse("positions:public_detail", args=[world.post_yx.pk])).content.decode()
    assert "已截止" in page and "该岗位已截止报名。" in page
    assert "报名这个岗位" not in page and "已结束" not in page


def test_applying_from_a_page_left_open_after_the_post_closed_says_it_is_closed(client, world):
    student = StudentFactory(hometown=world.unit_yx.county)
    Post.objects.filter(pk=world.post_yx.pk).update(status="closed")
    client.force_login(student.user)
    url = reverse("students:apply", args=[world.post_yx.pk])
    response = client.post(url, {"statement": "我想参加"})
    assert response.status_code == 200
    assert "该岗位已截止报名。" in response.content.decode()
    assert not student.applications.exists()


@pytest.mark.parametrize(
    ("params", "found", "missing"),
    [
        ({"county": "440104"}, ["越秀"], ["天河", "梅县"]),
        ({"city": "440100"}, ["越秀", "天河"], ["梅县"]),
        ({"province": "440000", "city": "441400"}, ["梅县"], ["越秀", "天河"]),
        ({"province": "440000"}, ["越秀", "天河", "梅县"], []),
        ({"category": "culture"}, ["梅县"], ["越秀", "天河"]),
        ({"q": "天河"}, ["天河"], ["越秀", "梅县"]),
        ({"remote": "on"}, ["梅县"], ["越秀", "天河"]),
    ],
)
def test_search_filters(client, world, params, found, missing):
    unit = HostUnitFactory(county=region("441403"), name="梅县文化馆")
    PostFactory(host_unit=unit, title="梅县文化宣传员", category="culture", remote_allowed=True)
    page = _search(client, **params)
    for word in found:
        assert f"{word}图书馆阅读推广员" in page or f"{word}文化宣传员" in page, word
    for word in missing:
        assert f"{word}图书馆阅读推广员" not in page and f"{word}文化宣传员" not in page, word


def test_search_by_season(client, world):
    PostFactory(host_unit=world.unit_yx, title="寒假岗位", season=season("winter"))
    page = _search(client, season=f"{practice_year()}-winter")
    assert "寒假岗位" in page
    assert "越秀图书馆阅读推广员" not in page


def test_search_pages_results_with_bounded_queries(client, world, django_assert_max_num_queries):
    for n in range(45):
        PostFactory(host_unit=world.unit_yx, title=f"批量岗位{n:02d}")
    with django_assert_max_num_queries(7):  # region, count, seasons, 3 region lists, posts
        first = _search(client, county="440104")
    assert "共 46 个岗位" in first and "第 1 / 3 页" in first
    assert "page=2" in first and "county=440104" in first
    third = client.get(
        reverse("positions:search"), {"county": "440104", "page": 3}
    ).content.decode()
    assert third.count('class="list-group-item list-group-item-action') == 6


def test_an_unknown_region_code_is_ignored_not_an_error(client, world):
    response = client.get(reverse("positions:search"), {"county": "999999"})
    assert response.status_code == 200


def test_htmx_search_returns_only_the_results(client, world):
    response = client.get(reverse("positions:search"), {"county": "440104"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "越秀图书馆阅读推广员" in page
    assert "<nav" not in page.split("list-group")[0]  # no layout around the fragment
    assert "HX-Request" in response["Vary"]  # so the back button never shows the bare fragment


def test_htmx_history_restore_gets_the_whole_page(client, world):
    response = client.get(
        reverse("positions:search"),
        {"county": "440104"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<nav" in response.content.decode()


def test_region_options_cascade(client, world):
    cities = client.get(
        reverse("positions:region_options"), {"province": "440000"}
    ).content.decode()
    assert "广州市" in cities and "梅州市" in cities and "越秀区" not in cities
    assert 'hx-swap-oob="innerHTML"' in cities  # the county list is reset when the province changes
    counties = client.get(reverse("positions:region_options"), {"city": "440100"}).content.decode()
    assert "越秀区" in counties and "天河区" in counties and "梅县区" not in counties
    cleared = client.get(reverse("positions:region_options"), {"city": ""}).content.decode()
    assert "全部县（市、区）和镇街" in cleared and "全部地市" not in cleared


def test_anonymous_visitors_see_the_contact_phone_masked(client, world):
    page = client.get(reverse("positions:public_detail", args=[world.post_yx.pk])).content.decode()
    assert "138****8000" in page and "13800138000" not in page
    client.force_login(world.student)
    page = client.get(reverse("positions:public_detail", args=[world.post_yx.pk])).content.decode()
    assert "13800138000" in page


def test_staff_post_list_has_bounded_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        PostFactory(host_unit=world.unit_yx, title=f"批量岗位{n:02d}")
    client.force_login(world.gz_staff)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("positions:post_list"))
    assert response.status_code == 200


def test_one_bad_field_does_not_drop_the_other_filters(client, world):
    page = _search(client, county="440104", category="nonsense", q="x" * 80)
    assert "天河图书馆阅读推广员" not in page
    page = _search(client, county="440104", category="nonsense")
    assert "越秀图书馆阅读推广员" in page and "天河图书馆阅读推广员" not in page


@pytest.mark.parametrize(
    "params", [{"season": "²-summer"}, {"page": "abc"}, {"province": "44" * 20}]
)
def test_odd_search_input_is_not_an_error(client, world, params):
    assert client.get(reverse("positions:search"), params).status_code == 200


def test_odd_region_codes_give_empty_options_not_an_error(client, world):
    response = client.get(reverse("positions:region_options"), {"province": "4" * 40})
    assert response.status_code == 200
    assert "广州市" not in response.content.decode()
    # NUL is refused for every URL before a view reads it (fanjiaxiang.security).
    nul = client.get(reverse("positions:region_options"), {"province": "\x00"})
    assert nul.status_code == 400


def test_the_post_page_title_is_just_the_post(client, world):
    client.force_login(world.student)
    page = client.get(reverse("positions:public_detail", args=[world.post_yx.pk])).content.decode()
    assert "<title>越秀图书馆阅读推广员 · 返家乡社会实践岗位对接系统</title>" in page
