"""Thirty students confirm offers for a post of five at the same moment: five get it."""

import pytest

from positions.models import Post
from students import services
from students.models import Placement
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region
from tests.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_thirty_simultaneous_confirmations_fill_five_places_exactly():
    county = region("440104")
    post = PostFactory(host_unit=HostUnitFactory(county=county), headcount=5)
    offers = []
    for _ in range(30):
        application = services.application_submit(
            actor=None, student=StudentFactory(hometown=county), post=post
        )
        offers.append(services.application_offer(actor=None, application=application))

    outcomes = race([lambda o=o: services.offer_confirm(actor=None, application=o) for o in offers])

    assert outcomes.count("ok") == 5
    assert outcomes.count("很遗憾，该岗位名额已满。") == 25
    assert Placement.objects.filter(post=post).count() == 5
    assert Post.objects.get(pk=post.pk).applications.filter(status="confirmed").count() == 5


def test_one_student_confirming_two_offers_at_once_gets_one_place_and_no_error():
    """Without a lock on the student first, PostgreSQL found a deadlock here (a 500)."""
    county = region("440104")
    unit = HostUnitFactory(county=county)
    for _ in range(5):
        student = StudentFactory(hometown=county)
        offers = [
            services.application_offer(
                actor=None,
                application=services.application_submit(
                    actor=None, student=student, post=PostFactory(host_unit=unit)
                ),
            )
            for _ in range(2)
        ]
        outcomes = race(
            [lambda o=o: services.offer_confirm(actor=None, application=o) for o in offers]
        )
        assert sorted(outcomes) == ["ok", "没有待确认的录用。"]
        assert Placement.objects.filter(student=student).count() == 1
