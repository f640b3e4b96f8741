"""The registration form's type-ahead over the whole register: /universities/search/?q=."""

import pytest
from django.urls import reverse

from accounts.models import Throttle
from positions.regions import regions_load
from students.models import University
from students.register import universities_load
from tests.factories import UniversityFactory, region

URL = "/universities/search/"


def names(client, q) -> list[str]:
    response = client.get(URL, {"q": q})
    assert response.status_code == 200
    return [r["name"] for r in response.json()["results"]]


@pytest.fixture
def register(db):
    regions_load()
    universities_load()


def test_the_url_is_where_the_form_asks():
    assert reverse("students:university_search") == URL


def test_initials_or_part_of_the_name_find_peking_university(client, register):
    assert names(client, "bjdx")[0] == "北京大学"
    assert names(client, "BJDX")[0] == "北京大学"
    assert names(client, "北京")[0] == "北京大学"
    assert "北京大学" in names(client, "京大")
    result = client.get(URL, {"q": "北京大学"}).json()["results"][0]
    assert result == {"id": result["id"], "name": "北京大学", "province": "北京市", "city": ""}


def test_an_institution_of_another_province_is_found_with_its_city(client, register):
    result = client.get(URL, {"q": "武汉大学"}).json()["results"][0]
    assert (result["name"], result["province"], result["city"]) == ("武汉大学", "湖北省", "武汉市")


def test_at_most_fifteen_answers_exact_match_first(client, register):
    found = names(client, "大学")
    assert len(found) == 15
    assert names(client, "中山大学")[0] == "中山大学"


def test_a_province_rename_and_the_register_name_both_find_it(client, db):
    UniversityFactory(name="华南理工大学（五山校区）", code="4144010561")
    University.objects.filter(code="4144010561").update(register_name="华南理工大学")
    assert names(client, "华南理工大学") == ["华南理工大学（五山校区）"]
    assert names(client, "hnlgdx") == ["华南理工大学（五山校区）"]


@pytest.mark.parametrize(
    "q", ["", "   ", "%", "_", "'; drop table x", "²", "１２", "x" * 5000, "🙂", "41440105", "\\"]
)
def test_odd_queries_answer_without_error(client, db, q):
    UniversityFactory(name="中山大学", code="4144010558", province=region("440000"))
    response = client.get(URL, {"q": q})
    assert response.status_code == 200 and isinstance(response.json()["results"], list)


def test_a_code_prefix_finds_the_institution(client, db):
    UniversityFactory(name="中山大学", code="4144010558")
    assert names(client, "41440105") == ["中山大学"]


def test_too_many_lookups_from_one_address_are_refused_in_chinese(client, db, settings):
    settings.UNIVERSITY_SEARCHES_PER_MINUTE = 3
    for _ in range(3):
        assert client.get(URL, {"q": "大学"}).status_code == 200
    response = client.get(URL, {"q": "大学"})
    assert response.status_code == 429
    assert "查询过于频繁" in response.json()["error"]
    assert Throttle.objects.filter(scope="university_search").count() == 1


def test_search_is_get_only(client, db):
    assert client.post(URL, {"q": "大学"}).status_code == 405
