"""Browser fixtures: Debian's Chromium driven by Playwright's sync API.

Playwright's own browser download is never used; the tests launch /usr/bin/chromium. Where it
is missing the browser tests are skipped on a developer machine, but fail in CI (CI set), so a
CI image without Chromium cannot pass silently.
"""

import os
from pathlib import Path

import pytest

# Playwright's sync API keeps an asyncio event loop running in this thread, which makes
# Django refuse ORM calls from the test body ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# The browser's own widgets (a file input's 选择文件, a date field's 年/月/日) in Chinese, as on
# users' machines: Debian's chromium-l10n, chosen by LANGUAGE (a flag does not do it on Linux).
CHROMIUM_ENV = {**os.environ, "LANGUAGE": "zh_CN"}
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
}


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """The Chromium to drive: skip without it on a developer machine, fail in CI."""
    if not os.access(CHROMIUM, os.X_OK):
        reason = f"{CHROMIUM} is missing: run `make browser` (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    return str(CHROMIUM)


@pytest.fixture(scope="session")
def chromium(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS, env=CHROMIUM_ENV
        )
        yield browser
        browser.close()


OFFICE = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}


def _page_opener(chromium, device: dict):
    """A fixture body: yields a function that opens a page in a fresh context (its own cookies)
    of this device, and afterwards closes them all and fails the test on any console error or
    uncaught script error seen on the way (a Content Security Policy block is one)."""
    contexts, errors = [], []

    def open_page(**options):
        context = chromium.new_context(**device, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                message.type == "error" and errors.append(f"{page.url}: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not errors, "console errors:\n" + "\n".join(errors)


@pytest.fixture
def phone_page(chromium):
    """Open a page in a fresh phone-sized (390×844) context; any console error fails the test."""
    yield from _page_opener(chromium, PHONE)


@pytest.fixture
def office_page(chromium):
    """Open a page in a fresh office-screen (1366×768) context; any console error fails the
    test."""
    yield from _page_opener(chromium, OFFICE)
