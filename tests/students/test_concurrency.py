"""Thirty students confirm offers for a post of five at the same moment: five get it."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from positions.models import Post
from students import services
from students.models import Placement
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_thirty_simultaneous_confirmations_fill_five_places_exactly():
    county = region("440104")
    post = PostFactory(host_unit=HostUnitFactory(county=county), headcount=5)
    offers = []
    for _ in range(30):
        application = services.application_submit(
            student=StudentFactory(hometown=county), post=post
        )
        offers.append(services.application_offer(application=application))

    barrier, outcomes = threading.Barrier(30), []

    def confirm(application):
        try:
            barrier.wait()
            services.offer_confirm(application=application)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=[offer]) for offer in offers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert outcomes.count("ok") == 5
    assert outcomes.count("很遗憾，该岗位名额已满。") == 25
    assert Placement.objects.filter(post=post).count() == 5
    assert Post.objects.get(pk=post.pk).applications.filter(status="confirmed").count() == 5


def _race(actions) -> list[str]:
    """Run the actions in threads released together; each reports 'ok' or its refusal."""
    barrier, outcomes = threading.Barrier(len(actions)), []

    def run(action):
        try:
            barrier.wait()
            action()
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=[action]) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_one_student_confirming_two_offers_at_once_gets_one_place_and_no_error():
    """Without a lock on the student first, PostgreSQL found a deadlock here (a 500)."""
    county = region("440104")
    unit = HostUnitFactory(county=county)
    for _ in range(5):
        student = StudentFactory(hometown=county)
        offers = [
            services.application_offer(
                application=services.application_submit(
                    student=student, post=PostFactory(host_unit=unit)
                )
            )
            for _ in range(2)
        ]
        outcomes = _race([lambda o=o: services.offer_confirm(application=o) for o in offers])
        assert sorted(outcomes) == ["ok", "没有待确认的录用。"]
        assert Placement.objects.filter(student=student).count() == 1
