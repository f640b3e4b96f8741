"""The 帮助中心's pictures and words, taken from the demo by a real browser (issue 22).

Each guide step's page is opened as the guide's demo account, on a fixed demo day, so the same
code shows the same screen: the names the step gives in 「」 must all be on that page, and its
screenshot is taken again whenever what the page shows has changed (its signature, kept in
helpcentre/shots/<role>.json, differs) or the picture is missing. A developer's run refreshes the
pictures to commit; in CI a picture that needed refreshing fails the run, so the manual never
shows an old screen.
"""

import datetime
import io
import json
import os
import random
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from accounts.models import User
from demo.help_pages import page_path
from helpcentre.guides import MANIFESTS_DIR, SHOTS_DIR, Guide, Question, Step, guides, questions
from tests.helpcentre.screens import missing_names, screen_signature

# The demo is seeded on this day for the pictures: a winter season with every stage on show.
SHOT_DAY = datetime.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
DEMO_PASSWORD = "Demo@2026fjx"
OFFICE = {"viewport": {"width": 1366, "height": 768}, "locale": "zh-CN"}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
PHONE["locale"] = "zh-CN"
MAX_HEIGHT = {False: 1100, True: 1500}  # the top of a long page is the part a step shows


def _log_in(page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.press("#id_password", "Enter")
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{username} could not sign in"


def _save_shot(page, step: Step) -> None:
    path = SHOTS_DIR / step.role / f"{step.id}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    viewport = page.viewport_size
    height = min(page.evaluate("document.documentElement.scrollHeight"), MAX_HEIGHT[step.phone])
    clip = {"x": 0, "y": 0, "width": viewport["width"], "height": max(height, 200)}
    png = page.screenshot(full_page=True, clip=clip, animations="disabled", caret="hide")
    # 256 colours keep a screen's text sharp at a third of the size.
    image = Image.open(io.BytesIO(png)).convert("RGB").quantize(256)
    image.save(path, optimize=True)


def _account(guide: Guide, step: Step) -> str:
    return step.account or guide.account


class Pages:
    """One signed-in browser context per guide account, one for visitors, opened on demand."""

    def __init__(self, chromium, url: str):
        self.chromium, self.url, self.open = chromium, url, {}

    def page(self, guide: Guide, step: Step):
        return self.page_for(None if step.visitor else _account(guide, step), phone=step.phone)

    def page_for(self, username: str | None, phone: bool):
        key = (username, phone)
        if key not in self.open:
            context = self.chromium.new_context(**(PHONE if phone else OFFICE))
            context.set_default_timeout(15_000)
            page = context.new_page()
            if username:
                _log_in(page, self.url, username)
            self.open[key] = page
        return self.open[key]

    def close(self) -> None:
        for page in self.open.values():
            page.context.close()


def _look(pages: Pages, guide: Guide, step: Step, manifest: dict) -> tuple[list[str], bool]:
    """Open the step's page: the names it lacks, and whether its picture was (re)taken."""
    user = None if step.visitor else User.objects.get(username=_account(guide, step))
    path = page_path(step, user)
    page = pages.page(guide, step)
    response = page.goto(f"{pages.url}{path}")
    assert response is not None and response.ok, f"{step.role}/{step.id}: {path} failed"
    html = response.text()
    problems = [
        f"{step.role}/{step.id} ({path}): 页面上没有「{name}」"
        for name in missing_names(step.names, html)
    ]
    key = step.id
    signature = screen_signature(html)
    picture = SHOTS_DIR / step.role / f"{step.id}.png"
    current = manifest.get(key, {}).get("signature") == signature and picture.exists()
    if current and not os.environ.get("HELP_RETAKE"):  # HELP_RETAKE=1: every picture again
        return problems, False
    _save_shot(page, step)
    manifest[key] = {"page": step.page, "signature": signature}
    return problems, True


def _manifest(role: str) -> dict:
    path = MANIFESTS_DIR / f"{role}.json"
    return json.loads(path.read_text()) if path.exists() else {}


def _save_manifest(guide: Guide, manifest: dict) -> None:
    kept = {step.id: manifest[step.id] for step in guide.steps if step.id in manifest}
    MANIFESTS_DIR.mkdir(exist_ok=True)
    text = json.dumps(kept, ensure_ascii=False, indent=1)
    (MANIFESTS_DIR / f"{guide.role}.json").write_text(text + "\n")


def _answer_problems(pages: Pages, question: Question) -> list[str]:
    if not question.page:
        return [f"常见问题 {question.id} 提到「」却没有 page"] if question.names else []
    key = (question.account or None, False)
    if key not in pages.open:
        pages.page_for(question.account or None, phone=False)
    response = pages.open[key].goto(f"{pages.url}{reverse(question.page)}")
    html = response.text()
    return [
        f"常见问题 {question.id} ({question.page}): 页面上没有「{name}」"
        for name in missing_names(question.names, html)
    ]


def _chosen() -> list[Guide]:
    """HELP_ROLES=county,host limits a writer's run to the guides being written."""
    roles = [role for role in os.environ.get("HELP_ROLES", "").split(",") if role]
    return [guide for guide in guides().values() if not roles or guide.role in roles]


# On PostgreSQL only, where CI takes them: a screen is the same there whatever the day and the
# tests run before it; another database could order a tie differently and flip the pictures.
@pytest.mark.browser
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_every_guide_step_names_what_its_page_shows_and_its_picture_is_that_page(
    live_server, chromium
):
    problems, refreshed = [], []
    with time_machine.travel(SHOT_DAY, tick=False):
        call_command("load_regions", stdout=io.StringIO())
        # Check-in and certificate codes are drawn by `secrets`: the same draw on every run
        # here, so a page that shows one is the same screen (the portal draws them at random).
        with mock.patch("secrets.choice", random.Random(SHOT_DAY.toordinal()).choice):
            call_command("seed_demo", stdout=io.StringIO(), stderr=io.StringIO())
        pages = Pages(chromium, live_server.url)
        try:
            for guide in _chosen():
                manifest = _manifest(guide.role)
                for step in guide.steps:
                    lacking, taken = _look(pages, guide, step, manifest)
                    problems += lacking
                    if taken:
                        refreshed.append(f"{step.role}/{step.id}")
                _save_manifest(guide, manifest)
            if not os.environ.get("HELP_ROLES"):
                for question in questions():
                    problems += _answer_problems(pages, question)
        finally:
            pages.close()
    assert not problems, "\n".join(problems)
    if os.environ.get("CI"):
        assert not refreshed, (
            "these screens changed and their pictures were out of date (refreshed now: run the "
            "browser tests and commit helpcentre/shots/ and helpcentre/static/helpcentre/"
            "shots/): " + ", ".join(refreshed)
        )
