"""Without a mouse: a student tabs through the login form and the application form, sees where
the focus is at every stop, and submits with Enter and then with Space."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from students.models import Application
from tests.browser.checks import assert_accessible
from tests.factories import PASSWORD, StudentFactory

# The focused element shows it: an outline (the browser's or Bootstrap's) or a focus ring
# (Bootstrap's box-shadow).
_FOCUS_SHOWN = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return outline || (style.boxShadow && style.boxShadow !== "none") ? "" : element.outerHTML;
}"""


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the element matching `selector` has the focus; every element passed on
    the way, and the target, must show that it has it."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        unseen = page.evaluate(_FOCUS_SHOWN)
        assert not unseen, f"the keyboard focus is invisible on {unseen[:200]}"
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reached with Tab")


def focused(page, selector: str) -> bool:
    return page.locator(selector).evaluate("element => element === document.activeElement")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_student_logs_in_and_applies_with_the_keyboard_only(live_server, world, office_page):
    student = StudentFactory(name="王小红")
    post = world.post_yx
    url = live_server.url
    detail = reverse("positions:public_detail", args=[post.pk])
    page = office_page()
    page.goto(f"{url}{reverse('accounts:login')}?next={detail}")
    assert_accessible(page, "the login page")

    tab_to(page, "#id_username")
    page.keyboard.type(student.user.username)
    page.keyboard.press("Tab")
    assert focused(page, "#id_password"), "Tab from the user name does not reach the password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{url}{detail}")
    assert_accessible(page, "the post's page with the application form")

    tab_to(page, "#id_statement")
    page.keyboard.type("我熟悉图书分类，想为家乡读者服务。")
    apply = f"form[action='{reverse('students:apply', args=[post.pk])}'] button[type=submit]"
    page.keyboard.press("Tab")
    assert focused(page, apply), "Tab from the statement does not reach the apply button"
    page.keyboard.press("Space")
    expect(page).to_have_url(f"{url}{reverse('students:me')}")
    expect(page.locator("[role=alert].alert-success")).to_be_visible()

    application = Application.objects.get(student=student, post=post)
    assert application.statement == "我熟悉图书分类，想为家乡读者服务。"
