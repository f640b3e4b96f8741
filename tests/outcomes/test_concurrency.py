"""Races on PostgreSQL: a student saving the 实践总结 while the host unit makes the 期满鉴定; two
first hand-ins at once (two tabs) make one summary."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from outcomes import services
from outcomes.models import Outcome
from students import services as students
from students.models import PracticeLog
from tests.outcomes.conftest import TEXT
from tests.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def over(ow):
    """The day after 越秀小林's practice ended, with confirmed hours: it can be evaluated."""
    post = ow.post_yx
    PracticeLog.objects.create(
        placement=ow.placement, day=post.starts_on, hours=8, confirmed_at=timezone.now()
    )
    day = post.ends_on + datetime.timedelta(days=1)
    with time_machine.travel(datetime.datetime(day.year, day.month, day.day, 10), tick=True):
        yield ow


def test_a_save_and_the_evaluation_at_once_never_change_a_locked_summary(over):
    first = services.outcome_save(placement=over.placement, text=TEXT, actor=over.me.user)
    results = race(
        [
            lambda: services.outcome_save(
                placement=over.placement, text=TEXT + "最后补充", actor=over.me.user
            ),
            lambda: students.placement_evaluate(
                placement=over.placement, rating="good", actor=over.yx_host
            ),
        ]
    )
    over.placement.refresh_from_db()
    outcome = Outcome.objects.get()
    assert results[1] == "ok" and over.placement.status == "completed"
    if results[0] == "ok":  # saved first: the evaluators read the revision
        assert outcome.text.endswith("最后补充")
    # Either way the evaluation locked it: no save after it changes the summary. (The times are
    # not compared: the evaluation reads the clock before it waits for the placement's row lock.)
    kept = Outcome.objects.get().text
    with pytest.raises(ValidationError, match="期满鉴定已完成"):
        services.outcome_save(placement=over.placement, text=TEXT + "又一次", actor=over.me.user)
    assert Outcome.objects.get().text == kept
    if results[0] != "ok":
        # evaluated first: refused, and what was read stays
        assert results[0] == "期满鉴定已完成，实践总结不能再修改。"
        assert outcome.text == first.text


def test_two_first_hand_ins_at_once_make_one_summary(over):
    results = race(
        [
            lambda n=n: services.outcome_save(
                placement=over.placement, text=TEXT + str(n), actor=over.me.user
            )
            for n in range(2)
        ]
    )
    assert results == ["ok", "ok"]
    assert Outcome.objects.count() == 1
