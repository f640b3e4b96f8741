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
            executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone_page(chromium):
    """Open a page in a fresh phone-sized context (its own cookies); all closed afterwards.
    Anything the Content Security Policy blocked on the way fails the test."""
    contexts, blocked = [], []

    def open_page():
        context = chromium.new_context(**PHONE)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                "Content Security Policy" in message.text and blocked.append(message.text)
            ),
        )
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert not blocked, blocked
