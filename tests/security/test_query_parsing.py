"""Odd query values get an answer, never a 500 (issue 23); the full sweep over every URL is
tests/security/test_odd_query_values.py."""

import pytest
from django.urls import reverse

from fanjiaxiang.params import int_param, year_param

ODD_YEARS = ("²", "¹²³", "١٢", "１２", "99999999999999999999", "-1", "1e5", "2_026", " ", "")


@pytest.mark.parametrize("value", ODD_YEARS)
def test_odd_years_are_no_year(value):
    assert year_param(value) is None


@pytest.mark.parametrize(("value", "number"), [("2026", 2026), (" 2026 ", 2026), (2026, 2026)])
def test_a_plain_year_is_read(value, number):
    assert year_param(value) == number


def test_int_param_keeps_to_its_bounds():
    assert int_param("7", low=1, high=9) == 7
    assert int_param("0", low=1) is None
    assert int_param("10", high=9) is None
    assert int_param(None) is None
    assert int_param("2147483648") is None  # past a 32-bit integer column


@pytest.mark.parametrize("page", ["schedule:calendar", "schedule:plan", "schedule:onboarding"])
@pytest.mark.parametrize("year", ["²", "99999999999999999999", "1e5"])
def test_calendar_pages_answer_an_odd_year(client, world, page, year):
    client.force_login(world.province_staff if page == "schedule:calendar" else world.yx_staff)
    response = client.get(reverse(page), {"year": year})
    assert response.status_code in (200, 404)


@pytest.mark.parametrize("query", [{"q": "越秀\x00"}, {"year": "\x00"}, {"a\x00": "1"}])
def test_nul_in_a_query_is_refused_with_a_chinese_message(client, world, query):
    client.force_login(world.gz_staff)
    response = client.get(reverse("ledger:entry_list"), query)
    assert response.status_code == 400
    assert "无效的字符" in response.content.decode()
    assert response["X-Frame-Options"] == "DENY" and "Content-Security-Policy" in response


def test_nul_in_a_form_post_is_refused_before_the_view(client, world):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("ledger:channel_create"),
        "name=%E6%B8%A0%E9%81%93%00",  # what a browser's form sends: url-encoded
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert not world.yuexiu.ledger_channels.exists()
