"""Two-factor sign-in in a real browser: a county officer enrols by the QR code's secret, keeps
the recovery codes, signs out, signs in with password and code; the security administrator's
账号安全 page; the idle notice. Screenshots at 390×844 and 1366×768 under var/screenshots/."""

import base64

import pytest
from django.conf import settings
from django_otp.oath import TOTP
from playwright.sync_api import expect

from accounts.models import Role
from tests.factories import PASSWORD, UserFactory, authenticator, region, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = settings.BASE_DIR / "var" / "screenshots"
NO_SIDEWAYS_SCROLL = "document.documentElement.scrollWidth <= window.innerWidth"


def code_for(secret: str, step_offset: int = 0) -> str:
    key = base64.b32decode(secret.replace(" ", ""))
    totp = TOTP(key)
    totp.time = totp.time + 30 * step_offset
    return f"{totp.token():06d}"


def sign_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()


@pytest.mark.parametrize("device", ["phone", "office"])
def test_an_officer_enrols_and_signs_in_with_a_code(
    live_server, phone_page, office_page, settings, device
):
    settings.STAFF_TWO_FACTOR = True
    SHOTS.mkdir(parents=True, exist_ok=True)
    officer = staff(Role.COUNTY, region=region("440104"), username="yuexiu")
    page = (phone_page if device == "phone" else office_page)()
    url = live_server.url
    sign_in(page, url, officer.username)
    expect(page.get_by_role("heading", name="绑定身份验证器")).to_be_visible()
    expect(page.locator("svg.two-factor-qr")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=SHOTS / f"two_factor_setup_{device}.png", full_page=True)
    secret = page.locator("code").first.inner_text()

    page.fill("#id_code", "123")
    page.get_by_role("button", name="完成绑定").click()
    expect(page.locator("#id_code_error")).to_contain_text("验证码不正确")
    page.fill("#id_code", code_for(secret))
    page.get_by_role("button", name="完成绑定").click()
    expect(page.get_by_role("heading", name="两步验证已启用")).to_be_visible()
    expect(page.locator(".recovery-codes li")).to_have_count(10)
    page.screenshot(path=SHOTS / f"two_factor_codes_{device}.png", full_page=True)
    page.get_by_role("link", name="我已保存，继续").click()
    expect(page).to_have_url(f"{url}/")

    # A new sign-in: the code of the next 30 s (the one above is spent).
    page.context.clear_cookies()
    sign_in(page, url, officer.username)
    expect(page.get_by_role("heading", name="两步验证")).to_be_visible()
    page.screenshot(path=SHOTS / f"two_factor_verify_{device}.png", full_page=True)
    page.fill("#id_code", code_for(secret, step_offset=1))
    page.get_by_role("button", name="验证并登录").click()
    expect(page).to_have_url(f"{url}/")


@pytest.mark.parametrize("device", ["phone", "office"])
def test_the_security_administrator_resets_an_officers_authenticator(
    live_server, phone_page, office_page, device
):
    SHOTS.mkdir(parents=True, exist_ok=True)
    UserFactory(role=Role.SECURITY_ADMIN, is_staff=True, username="secadmin")
    officer = staff(Role.COUNTY, region=region("440104"), username="yuexiu")
    authenticator(officer)
    page = (phone_page if device == "phone" else office_page)()
    url = live_server.url
    sign_in(page, url, "secadmin")
    page.goto(f"{url}/accounts/security/")
    expect(page.get_by_role("cell", name="已绑定")).to_be_visible()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    page.screenshot(path=SHOTS / f"security_accounts_{device}.png", full_page=True)
    page.get_by_role("link", name="yuexiu").click()
    page.get_by_role("button", name="重置两步验证").click()
    expect(page.get_by_text("已重置该账号的两步验证")).to_be_visible()
    page.screenshot(path=SHOTS / f"account_two_factor_reset_{device}.png", full_page=True)


def test_the_login_page_says_why_a_session_ended(live_server, phone_page, office_page, settings):
    settings.STAFF_IDLE_MINUTES = 30  # the default (the suite runs with it off)
    for device, opener in (("phone", phone_page), ("office", office_page)):
        page = opener()
        page.goto(f"{live_server.url}/accounts/login/?reason=idle")
        expect(page.get_by_text("您已超过 30 分钟未操作")).to_be_visible()
        page.screenshot(path=SHOTS / f"login_idle_{device}.png", full_page=True)
