"""Issue 23, registration: the hometown cascade, the throttle per client address, and refusals
that do not tell an anonymous visitor whose ID number or student number is registered."""

import datetime
import re

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse

from accounts.models import User
from students.models import Student
from tests.factories import PASSWORD, StudentFactory, region, registration_form, valid_id_number
from tests.race import race

REGISTER = "students:register"


_registration = registration_form


def _register(client, data, ip="10.0.0.1", **headers):
    return client.post(reverse(REGISTER), data, REMOTE_ADDR=ip, **headers)


# --- 1. the hometown cascade ---------------------------------------------------------------------


def _oob_ids(markup: str) -> list[str]:
    return re.findall(r'<select id="([^"]+)" hx-swap-oob="innerHTML"', markup)


def test_a_new_province_on_the_registration_form_resets_its_county_select(client, world):
    region("450100")
    # What htmx sends when the registration form's province select changes.
    markup = client.get(
        reverse("positions:region_options"), {"hometown_province": "450000"}
    ).content.decode()
    assert "南宁市" in markup
    assert _oob_ids(markup) == ["id_hometown"]
    page = client.get(reverse(REGISTER)).content.decode()
    assert 'id="id_hometown"' in page and 'id="id_county"' not in page


def test_the_public_search_cascade_still_resets_its_own_county_select(client, world):
    markup = client.get(reverse("positions:region_options"), {"province": "440000"}).content
    assert _oob_ids(markup.decode()) == ["id_county"]
    counties = client.get(reverse("positions:region_options"), {"city": "440100"}).content
    assert "越秀区" in counties.decode() and not _oob_ids(counties.decode())


def test_the_registration_forms_county_list_asks_for_a_choice(client, world):
    markup = client.get(
        reverse("positions:region_options"), {"hometown_city": "440100"}
    ).content.decode()
    assert "越秀区" in markup and "选择县（市、区）或镇街" in markup and "全部" not in markup


@pytest.mark.parametrize(
    ("province", "city"),
    [("450000", "450100"), ("440000", "441400"), ("450000", "440100")],
    ids=["another-province", "another-city", "city-not-in-province"],
)
def test_a_county_outside_the_chosen_province_and_city_is_refused(client, world, province, city):
    for code in ("450100", "441400"):
        region(code)
    data = _registration(world.university, hometown_province=province, hometown_city=city)
    response = _register(client, data)
    assert response.status_code == 200
    assert not Student.objects.exists() and not User.objects.filter(username="xiaoming").exists()
    assert "hometown" in response.context["form"].errors
    page = response.content.decode()
    assert "生源地" in " ".join(response.context["form"].errors["hometown"])
    # What was typed and chosen is kept, so the student only chooses the county again.
    assert 'value="李小明"' in page and f'value="{province}" selected' in page
    if city[:2] == province[:2]:  # a city of another province is not among this one's cities
        assert f'value="{city}" selected' in page


def test_a_hometown_without_its_province_and_city_is_refused(client, world):
    data = _registration(world.university, hometown_province="", hometown_city="")
    response = _register(client, data)
    assert "hometown" in response.context["form"].errors
    assert not Student.objects.exists()


def test_a_consistent_hometown_still_registers(client, world):
    response = _register(client, _registration(world.university))
    assert response.status_code == 302
    assert Student.objects.get().hometown == world.yuexiu


def test_a_dongguan_town_registers_under_its_city(client, world):
    data = _registration(world.university, hometown_city="441900", hometown="441900121")
    region("441900121")
    assert _register(client, data).status_code == 302


# --- 5. refusals that enumerate nothing ---------------------------------------------------------


@pytest.fixture
def registered(world):
    return StudentFactory(
        id_number=valid_id_number(3), university=world.university, student_number="20220001"
    )


def _clash_errors(response) -> dict:
    form = response.context["form"]
    return {field: list(errors) for field, errors in form.errors.items()}


def test_a_registered_id_number_is_not_confirmed_to_a_visitor(client, world, registered):
    data = _registration(world.university, student_number="20229999")
    response = _register(client, data)
    assert response.status_code == 200
    errors = _clash_errors(response)
    assert set(errors) == {"__all__"}, errors  # no field is marked as the one taken
    message = errors["__all__"][0]
    assert "直接登录" in message
    assert "身份证号已注册" not in response.content.decode()
    assert Student.objects.count() == 1


def test_a_taken_student_number_gets_the_same_answer_as_a_taken_id_number(
    client, world, registered
):
    by_id = _register(client, _registration(world.university, student_number="20229999"))
    by_number = _register(
        client, _registration(world.university, id_number=valid_id_number(7), username="other")
    )
    assert _clash_errors(by_id) == _clash_errors(by_number)
    assert "已有使用此学号" not in by_number.content.decode()
    assert Student.objects.count() == 1


# --- 5. the throttle per client address ---------------------------------------------------------


@pytest.fixture
def three_per_hour(settings):
    """Three attempts an hour, counted from mid-hour so no test straddles two windows."""
    settings.REGISTRATION_ATTEMPTS_PER_HOUR = 3
    moment = datetime.datetime(2026, 7, 1, 10, 20, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=True):
        yield


def _refused_attempts(client, world, count, ip="10.0.0.1", **headers):
    bad = _registration(world.university, password2="other")
    return [_register(client, bad, ip, **headers).status_code for _ in range(count)]


def test_registration_attempts_are_throttled_per_address(client, world, three_per_hour):
    assert _refused_attempts(client, world, 3) == [200, 200, 200]
    response = _register(client, _registration(world.university))
    assert response.status_code == 429
    page = response.content.decode()
    assert "注册尝试过于频繁" in page and "直接登录" in page
    assert 'value="李小明"' in page and 'value="440104" selected' in page  # kept for later
    assert PASSWORD not in page
    assert not Student.objects.exists()
    # Another address is not held back by this one.
    assert _register(client, _registration(world.university), ip="10.0.0.2").status_code == 302


def test_the_throttle_lifts_after_an_hour(client, world, three_per_hour):
    _refused_attempts(client, world, 3)
    assert _register(client, _registration(world.university)).status_code == 429
    with time_machine.travel(datetime.timedelta(hours=1, minutes=1)):
        assert _register(client, _registration(world.university)).status_code == 302


def test_reading_the_form_is_not_throttled(client, world, three_per_hour):
    _refused_attempts(client, world, 3)
    assert client.get(reverse(REGISTER), REMOTE_ADDR="10.0.0.1").status_code == 200


def test_behind_a_trusted_proxy_the_forwarded_address_is_throttled(
    client, world, settings, three_per_hour
):
    settings.TRUSTED_PROXY_COUNT = 1
    proxy = "10.9.9.9"
    _refused_attempts(client, world, 3, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.7")
    held = _register(
        client, _registration(world.university), proxy, HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    other = _register(
        client, _registration(world.university), proxy, HTTP_X_FORWARDED_FOR="203.0.113.8"
    )
    assert (held.status_code, other.status_code) == (429, 302)


def test_one_ipv6_client_cannot_escape_the_count_by_changing_address_in_its_64(
    client, world, three_per_hour
):
    _refused_attempts(client, world, 3, ip="2001:db8:1:2::10")
    same_64 = _register(client, _registration(world.university), "2001:db8:1:2:ffff::99")
    other_64 = _register(client, _registration(world.university), "2001:db8:1:3::10")
    assert (same_64.status_code, other_64.status_code) == (429, 302)


def test_the_count_outlives_any_one_process(client, world, three_per_hour):
    """Several web processes share only the database: nothing kept in one process's memory (the
    local-memory cache) may hold the count."""
    _refused_attempts(client, world, 3)
    for cache in caches.all():
        cache.clear()
    assert _register(client, _registration(world.university)).status_code == 429


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_attempts_from_one_address_pass_the_limit_exactly(client, settings):
    settings.REGISTRATION_ATTEMPTS_PER_HOUR = 4
    from django.test import Client

    from tests.factories import UniversityFactory

    university = UniversityFactory(name="中山大学", code="4144010558")
    region("440104")

    def attempt(n: int) -> int:
        data = _registration(university, password2="other", username=f"s{n}")
        return Client().post(reverse(REGISTER), data).status_code

    with time_machine.travel(datetime.datetime(2026, 7, 1, 10, 20, tzinfo=datetime.UTC)):
        statuses = race([lambda n=n: attempt(n) for n in range(8)], returns=True)
    assert sorted(statuses) == [200] * 4 + [429] * 4
