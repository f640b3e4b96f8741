"""接口令牌 in the browser: 越秀区团委 makes a token on a phone and at an office width, sees its
secret once, revokes it; the API docs (Swagger UI from the portal's own files) load under the
site's CSP with no console error. Screenshots under var/screenshots/."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.models import User
from positions.models import Region
from tests.factories import region

PASSWORD = "Yuexiu-Tuanwei-2025"
SHOTS = settings.BASE_DIR / "var" / "screenshots"


def _sign_in(page, url: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", "yuexiu")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(f"{url}/")


def _staff() -> None:
    region("440104")
    staff = User(
        username="yuexiu",
        name="越秀区团委",
        role="county",
        region=Region.objects.get(code="440104"),
    )
    staff.set_password(PASSWORD)
    staff.save()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("device", ["phone_page", "office_page"])
def test_county_staff_make_a_token_see_it_once_and_revoke_it(live_server, device, request):
    _staff()
    page = request.getfixturevalue(device)()
    _sign_in(page, live_server.url)
    page.goto(f"{live_server.url}/manage/api-tokens/")
    page.fill("#id_name", "创青春平台岗位同步")
    page.check("#id_can_write")
    page.get_by_role("button", name="创建", exact=True).click()
    secret = page.locator("[data-secret] code")
    expect(secret).to_contain_text("fjx_")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"api_tokens_{device}.png"), full_page=True)
    page.goto(f"{live_server.url}/manage/api-tokens/")
    expect(page.locator("[data-secret]")).to_have_count(0)
    page.get_by_role("button", name="撤销").click()
    expect(page.get_by_text("已撤销令牌：创青春平台岗位同步")).to_be_visible()
    expect(page.get_by_role("cell", name="已撤销")).to_be_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_api_docs_load_from_the_portal_under_its_csp(live_server, office_page):
    page = office_page()
    outside = []
    page.on(
        "request", lambda r: None if r.url.startswith(live_server.url) else outside.append(r.url)
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("返家乡社会实践平台开放接口")).to_be_visible()
    expect(page.get_by_text("/api/v1/university/credits/").first).to_be_visible()
    assert not outside, outside
    page.screenshot(path=str(SHOTS / "api_docs_office.png"))
