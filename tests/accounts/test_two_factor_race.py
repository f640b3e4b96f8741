"""A code signs in once even when sent twice at the same moment (two tabs, or someone replaying
what they watched being typed): held by the device's row lock and a conditional UPDATE."""

import pytest

from accounts import twofactor
from accounts.models import Role
from tests.factories import UserFactory, authenticator, totp_code
from tests.race import OK, race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_check(monkeypatch):
    """Checking a code takes a moment (as on a loaded server), so both requests are inside it
    together: without the row lock both would read the old last_t and both pass."""
    import time

    from django_otp.oath import TOTP

    check = TOTP.verify

    def slow(self, *args, **kwargs):
        result = check(self, *args, **kwargs)
        time.sleep(0.5)
        return result

    monkeypatch.setattr(TOTP, "verify", slow)


def test_the_same_totp_code_sent_twice_at_once_signs_in_once(gd, slow_check):
    officer = UserFactory(role=Role.COUNTY, region=gd.yuexiu)
    device = authenticator(officer)
    code = totp_code(device)
    outcomes = race([lambda: twofactor.two_factor_verify(user=officer, code=code)] * 2)
    assert sorted(outcomes, key=lambda o: o != OK)[0] == OK
    assert outcomes.count(OK) == 1
    assert any("验证码不正确或已使用" in o for o in outcomes if o != OK)


def test_the_same_recovery_code_sent_twice_at_once_signs_in_once(gd):
    officer = UserFactory(role=Role.CITY, region=gd.guangzhou)
    authenticator(officer)
    code = twofactor.recovery_codes_make(user=officer)[0]
    outcomes = race([lambda: twofactor.two_factor_verify(user=officer, code=code)] * 4)
    assert outcomes.count(OK) == 1
    assert twofactor.recovery_codes_left(officer) == 9


def test_two_enrolments_at_once_leave_one_device(gd, slow_check):
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

    officer = UserFactory(role=Role.COUNTY, region=gd.tianhe)
    keys = [default_key(), default_key()]  # two tabs, two QR codes

    def enrol(key):
        code = f"{TOTP(TOTPDevice(key=key).bin_key).token():06d}"
        return lambda: twofactor.two_factor_enrol(user=officer, key=key, code=code)

    outcomes = race([enrol(k) for k in keys])
    assert outcomes.count(OK) == 1
    assert TOTPDevice.objects.filter(user=officer, confirmed=True).count() == 1


def test_wrong_codes_sent_at_once_never_pass_the_limit(gd, slow_check, settings):
    """The limit is checked before a code and counted only when it is wrong: six guesses at
    once with a limit of three get three answers of 不正确 and three of 次数过多, never more."""
    settings.TWO_FACTOR_ATTEMPTS = 3
    officer = UserFactory(role=Role.COUNTY, region=gd.yuexiu)
    authenticator(officer)
    outcomes = race([lambda: twofactor.two_factor_verify(user=officer, code="000000")] * 6)
    assert sum("验证码不正确" in o for o in outcomes) == 3
    assert sum("验证码尝试次数过多" in o for o in outcomes) == 3
