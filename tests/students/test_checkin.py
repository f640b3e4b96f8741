"""Students report (报到) with the host unit's check-in code; wrong codes are limited per
placement and audited, and before the practice starts no code is compared at all (issue 23)."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent
from accounts.models import AuditEventAction as Action
from students import services
from students.models import Placement
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region
from tests.labels import fields_without_a_visible_label
from tests.race import race

REFUSED = Action.CHECKIN_REFUSE


def _placement(county) -> Placement:
    post = PostFactory(host_unit=HostUnitFactory(county=county))
    application = services.application_submit(
        actor=None, student=StudentFactory(hometown=county), post=post
    )
    services.application_offer(actor=None, application=application)
    return services.offer_confirm(actor=None, application=application)


@pytest.fixture
def placement(gd):
    return _placement(gd.yuexiu)


def _at(moment):
    return time_machine.travel(moment, tick=False)


def _first_day(placement) -> datetime.datetime:
    return datetime.datetime.combine(
        placement.post.starts_on, datetime.time(9), tzinfo=datetime.UTC
    )


def _try(placement, code) -> str:
    try:
        services.placement_checkin(actor=None, placement=placement, code=code)
    except ValidationError as error:
        return error.messages[0]
    return "ok"


def test_before_the_start_a_right_and_a_wrong_code_get_the_same_answer(placement):
    right, wrong = _try(placement, placement.checkin_code), _try(placement, "WRONG1")

    assert right == wrong and "报到将于" in right
    placement.refresh_from_db()
    assert placement.status == "confirmed" and placement.checkin_failures == 0
    assert not AuditEvent.objects.filter(action=REFUSED).exists()


def test_five_wrong_codes_pause_check_in_even_for_the_right_code(placement):
    with _at(_first_day(placement)):
        answers = [_try(placement, f"WRONG{n}") for n in range(5)]
        blocked = _try(placement, placement.checkin_code)

    assert all("报到码不正确" in a for a in answers[:4])
    assert "连续输错 5 次" in answers[4] and "连续输错 5 次" in blocked
    placement.refresh_from_db()
    assert placement.status == "confirmed"
    events = AuditEvent.objects.filter(action=REFUSED, target_id=placement.pk)
    assert events.count() == 5 and events.filter(data__paused=True).count() == 1


def test_after_the_pause_the_right_code_reports_and_the_count_starts_again(placement):
    with _at(_first_day(placement)):
        for n in range(5):
            _try(placement, f"WRONG{n}")
    with _at(_first_day(placement) + datetime.timedelta(minutes=31)):
        assert _try(placement, "WRONG9") == "报到码不正确，请向用人单位核对。"
        assert _try(placement, placement.checkin_code.lower()) == "ok"
    placement.refresh_from_db()
    assert placement.status == "reported"


def test_a_right_code_resets_the_count(placement, gd):
    other = _placement(gd.yuexiu)
    with _at(_first_day(placement)):
        for n in range(4):
            _try(placement, f"WRONG{n}")
        assert _try(placement, placement.checkin_code) == "ok"
    placement.refresh_from_db()
    assert placement.checkin_failures == 0
    assert other.checkin_failures == 0  # counted per placement


def test_wrong_codes_typed_in_the_browser_are_counted_not_rolled_back(client, placement):
    url = reverse("students:checkin", args=[placement.pk])
    with _at(_first_day(placement)):
        client.force_login(placement.student.user)
        for n in range(5):
            client.post(url, {"code": f"WRONG{n}"})
        page = client.post(url, {"code": placement.checkin_code}, follow=True)
    assert "连续输错 5 次" in page.content.decode()
    assert AuditEvent.objects.filter(action=REFUSED, target_id=placement.pk).count() == 5


def test_the_host_unit_still_records_the_report_during_a_pause(placement):
    with _at(_first_day(placement)):
        for n in range(5):
            _try(placement, f"WRONG{n}")
        services.placement_report(actor=None, placement=placement)
    placement.refresh_from_db()
    assert placement.status == "reported"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_guesses_are_compared_at_most_five_times():
    placement = _placement(region("440104"))
    guesses = [
        lambda n=n: _try(Placement.objects.get(pk=placement.pk), f"GUESS{n:02d}") for n in range(20)
    ]
    with _at(_first_day(placement)):
        answers = race(guesses, returns=True)

    assert AuditEvent.objects.filter(action=REFUSED, target_id=placement.pk).count() == 5
    assert sum("连续输错" in a for a in answers) == 16


def test_tries_that_die_after_their_claim_still_end_in_a_pause_not_a_lock_for_good(placement):
    """A worker killed between claiming an attempt and auditing it: the claim itself pauses."""
    start = _first_day(placement)
    with _at(start):
        for _ in range(5):
            assert services._checkin_claim(placement=placement, now=start)[1]
        assert "连续输错 5 次" in _try(placement, placement.checkin_code)
    with _at(start + datetime.timedelta(minutes=31)):
        assert _try(placement, placement.checkin_code) == "ok"


def test_before_the_start_the_page_says_when_check_in_opens_instead_of_asking_a_code(
    client, placement
):
    client.force_login(placement.student.user)
    page = client.get(reverse("students:me")).content.decode()
    opens = placement.post.starts_on
    assert "报到开放日期" in page and f"{opens.year}年{opens.month}月{opens.day}日" in page
    assert 'name="code"' not in page
    with _at(_first_day(placement)):
        client.force_login(placement.student.user)
        page = client.get(reverse("students:me")).content.decode()
        assert 'name="code"' in page and "报到开放日期" not in page
        assert f'<label class="form-label small mb-1" for="checkin-code-{placement.pk}">' in page


def test_after_the_last_day_the_page_says_the_practice_is_over_instead_of_asking_a_code(
    client, placement
):
    day_after = placement.post.ends_on + datetime.timedelta(days=1)
    with _at(datetime.datetime.combine(day_after, datetime.time(9), tzinfo=datetime.UTC)):
        client.force_login(placement.student.user)
        page = client.get(reverse("students:me")).content.decode()
    assert "不能再自行报到" in page and 'name="code"' not in page


def test_the_practice_log_fields_have_labels_a_user_sees(client, placement):
    with _at(_first_day(placement)):
        services.placement_report(placement=placement, actor=None)
        client.force_login(placement.student.user)
        page = client.get(reverse("students:me")).content.decode()
    assert 'name="content"' in page and not fields_without_a_visible_label(page)
    for field, label in (("day", "日期"), ("hours", "时长（小时）"), ("content", "实践内容")):
        assert f'for="log-{field}-{placement.pk}">{label}</label>' in page
