"""An e-mailed link sets one password even when its form is sent twice at the same moment:
the token is checked against the locked row, whose password hash the first one changed."""

import pytest
from django.contrib.auth.tokens import default_token_generator

from accounts import password_reset
from accounts.models import AuditEvent, Role
from tests.factories import UserFactory
from tests.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_hashing(monkeypatch):
    """Setting a password takes a moment (as real hashing does), so both are inside it together:
    without the row lock both would check the token against the old hash and both pass."""
    import time

    from accounts.models import User

    set_password = User.set_password

    def slow(self, raw):
        time.sleep(0.5)
        return set_password(self, raw)

    monkeypatch.setattr(User, "set_password", slow)


def test_the_same_link_sent_twice_at_once_sets_one_password(gd, slow_hashing):
    officer = UserFactory(role=Role.COUNTY, region=gd.yuexiu, email="o@yx.gov.cn")
    token = default_token_generator.make_token(officer)
    passwords = ["Qn-2026-first", "Qn-2026-second"]

    def finish(password):
        return lambda: password_reset.password_reset_finish(
            user=officer, token=token, password=password
        )

    outcomes = race([finish(p) for p in passwords], returns=True)

    assert sorted(outcomes) == [False, True]
    officer.refresh_from_db()
    assert officer.check_password(passwords[outcomes.index(True)])
    assert AuditEvent.objects.filter(action="account.password_reset").count() == 1
