"""Words users know (issue 16): every role's main pages, on the demo data, speak the notice's
language. A ranked choice is a 意向, never a 志愿 (in the League, volunteering); the rating of the
期满鉴定 is its 鉴定等次; the matching page is 人岗匹配 and names no algorithm; a post closed to
applicants is 已截止; a participant is 参与实践的学生; county-level units are 县（市、区）; and a
season is named with its months, 2026年度暑假（2026年7—8月）."""

import datetime
import io
import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from positions.models import Post
from schedule.models import season_label

# Every demo role: 团省委, 市团委 (a city with counties and 东莞 with its 镇街), 县级团委 (a
# district and a 镇街), 用人单位, 高校团委, and students before and after their practice.
LOGINS = [
    "gd_province",
    "gz_city",
    "dg_city",
    "yuexiu",
    "humen",
    "yuexiu_host",
    "sysu_uni",
    "yuexiu_s1",
    "tianhe_whu",
]
PAGES_PER_ROLE = 45  # the menu's pages and the pages they link to, breadth first

RETIRED = [
    # 志愿 for a ranked choice (志愿者 and 志愿服务 are volunteering, and stay).
    re.compile(r"志愿(?!者|服务|精神)"),
    # The rating of the 期满鉴定 is its 鉴定等次.
    re.compile(r"评价等级|评级|等级"),
    # The matching page is 人岗匹配, and its outcome is told in plain words.
    re.compile(r"双向选择匹配|Gale|Shapley|延迟接受|稳定匹配|deferred acceptance", re.I),
    # A post closed to applicants is 已截止.
    re.compile(r"已结束"),
    # One name for a participant.
    re.compile(r"返家乡参与者|返家乡学员"),
    # County-level units in the notice's words, with full-width parentheses.
    re.compile(r"区县|县\(市、区\)"),
    # A season is named with its months wherever it is shown.
    re.compile(r"\d{4}年度(?:暑假|寒假|暑期)(?!（\d{4}年\d{1,2}(?:—\d{1,2})?月)"),
]
SKIP = re.compile(r"/(logout|admin|export|download|api)/|\.(xlsx|csv|pdf|png|jpg)$|/static/")


def _visible(html: str) -> str:
    """The words a user reads (text and attributes), not scripts or styles."""
    return re.sub(r"<(script|style)\b.*?</\1>", "", html, flags=re.S)


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"#]+)"', html):
        parts = urlsplit(href.replace("&amp;", "&"))
        if parts.netloc or not parts.path.startswith("/") or SKIP.search(parts.path):
            continue
        found.append(parts.path)
    return found


def _walk(client, start: list[str]) -> dict[str, str]:
    """GET pages breadth first from `start`, same site, each path once: {path: html}."""
    pages: dict[str, str] = {}
    queue, seen = deque(start), set(start)
    while queue and len(pages) < PAGES_PER_ROLE:
        path = queue.popleft()
        response = client.get(path)
        assert response.status_code < 500, path
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        pages[path] = html
        for link in _links(html):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def _retired_words(pages: dict[str, str]) -> list[tuple[str, str]]:
    found = []
    for path, html in pages.items():
        text = _visible(html)
        for pattern in RETIRED:
            for match in pattern.finditer(text):
                context = text[max(0, match.start() - 30) : match.end() + 30]
                found.append((path, " ".join(context.split())))
    return found


@pytest.fixture
def demo(db):
    call_command("load_regions", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())


def test_no_page_of_any_role_uses_a_retired_word_or_an_algorithm_name(client, demo):
    closed = Post.objects.filter(status=Post.Status.PUBLISHED).first()
    Post.objects.filter(pk=closed.pk).update(status=Post.Status.CLOSED)
    public = _walk(client, ["/", reverse("positions:search")])
    found = [("public", *hit) for hit in _retired_words(public)]
    for username in LOGINS:
        client.force_login(User.objects.get(username=username))
        start = ["/", reverse("positions:public_detail", args=[closed.pk])]
        found += [(username, *hit) for hit in _retired_words(_walk(client, start))]
        client.logout()
    assert not found, "\n".join(sorted({f"{who} {path}: {text}" for who, path, text in found}))


def test_the_matching_page_is_called_人岗匹配_and_explains_the_outcome_in_plain_words(
    client, world
):
    client.force_login(world.yx_staff)
    page = client.get(reverse("students:matching")).content.decode()
    assert "人岗匹配</h1>" in page and "按学生意向顺序和用人单位排序确定人选" in page


def test_a_post_closed_to_applicants_is_shown_as_已截止_on_staff_lists_and_its_page(client, world):
    Post.objects.filter(pk=world.post_yx.pk).update(status=Post.Status.CLOSED)
    client.force_login(world.yx_staff)
    staff_list = client.get(reverse("positions:post_list"), {"status": "closed"}).content.decode()
    assert world.post_yx.title in staff_list and "已截止" in staff_list
    public = client.get(reverse("positions:public_detail", args=[world.post_yx.pk]))
    assert "该岗位已截止报名。" in public.content.decode()


def test_a_season_is_named_with_the_months_of_its_own_practice_window(client, world):
    summer = world.post_th.season
    year = summer.programme_year.year
    assert str(summer) == f"{year}年度暑假（{year}年7—8月）"
    winter = summer.programme_year.seasons.get(kind="winter")
    assert str(winter) == f"{year}年度寒假（{year + 1}年1—2月）"
    # The search and the post's page name it the same way.
    assert (
        f"{year}年度暑假（{year}年7—8月）"
        in client.get(reverse("positions:search")).content.decode()
    )
    page = client.get(reverse("positions:public_detail", args=[world.post_th.pk])).content.decode()
    assert f"{year}年度暑假（{year}年7—8月）" in page


def test_a_season_across_the_new_year_or_within_one_month_names_its_months_plainly():
    def label(starts, ends):
        return season_label(
            year=2026,
            kind="winter",
            starts=datetime.date.fromisoformat(starts),
            ends=datetime.date.fromisoformat(ends),
        )

    assert label("2026-12-20", "2027-02-28") == "2026年度寒假（2026年12月—2027年2月）"
    assert label("2027-01-10", "2027-01-31") == "2026年度寒假（2027年1月）"


def test_东莞_calls_its_practice_units_镇街_and_guangzhou_calls_them_县市区(client, demo):
    client.force_login(User.objects.get(username="dg_city"))
    board = client.get(reverse("dashboards:region", args=["441900"])).content.decode()
    calendar = client.get(reverse("schedule:calendar")).content.decode()
    assert "镇街报到指标" in board and "<th>镇街</th>" in calendar
    client.force_login(User.objects.get(username="gz_city"))
    board = client.get(reverse("dashboards:region", args=["440100"])).content.decode()
    calendar = client.get(reverse("schedule:calendar")).content.decode()
    assert "县（市、区）报到指标" in board and "<th>县（市、区）</th>" in calendar
    assert "镇街报到指标" not in board
