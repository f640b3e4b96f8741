"""On a phone: changing the province on /register/ clears the county chosen before (issue 23:
the options partial swapped #id_county, which only the post search has; the console said
htmx:oobErrorNoTarget and 越秀区 stayed selected under another province)."""

import pytest
from playwright.sync_api import expect

from positions.regions import regions_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_new_province_clears_the_county_chosen_before(live_server, phone_page):
    regions_load()
    page = phone_page()
    htmx_errors = []
    page.on("console", lambda m: "htmx:" in m.text and htmx_errors.append(m.text))
    page.goto(f"{live_server.url}/register/")

    page.select_option("#id_hometown_province", label="广东省")
    expect(page.locator("#id_hometown_city option", has_text="广州市")).to_have_count(1)
    page.select_option("#id_hometown_city", label="广州市")
    expect(page.locator("#id_hometown option", has_text="越秀区")).to_have_count(1)
    page.select_option("#id_hometown", label="越秀区")
    page.select_option("#id_hometown_province", label="广西壮族自治区")

    expect(page.locator("#id_hometown option", has_text="越秀区")).to_have_count(0)
    expect(page.locator("#id_hometown")).to_have_value("")
    expect(page.locator("#id_hometown_city option", has_text="南宁市")).to_have_count(1)
    assert not htmx_errors, htmx_errors
