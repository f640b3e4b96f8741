"""Dates where a user needs them: the search cards say how many places are left and until when
one may apply; the post form shows the season's practice window beside its dates."""

import datetime

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html as lxml_html

from schedule.models import Milestone, UnitMilestone
from students import services
from students.models import Placement
from tests.factories import PostFactory, StudentFactory


def _card(client, title: str) -> str:
    page = client.get(reverse("positions:search"), {"county": "440104"}).content.decode()
    tree = lxml_html.fromstring(page)
    cards = [c for c in tree.find_class("post-card") if title in c.text_content()]
    assert len(cards) == 1, f"no single card for {title}"
    return " ".join(cards[0].text_content().split())


def _take_places(world, post, *, confirmed: int, offered: int, dropped: int) -> None:
    for n in range(confirmed + offered + dropped):
        student = StudentFactory(hometown=world.yuexiu)
        application = services.application_submit(student=student, post=post, actor=None)
        services.application_offer(application=application, actor=None)
        if n < offered:
            continue
        services.offer_confirm(application=application, actor=None)
        if n >= offered + confirmed:
            Placement.objects.filter(application=application).update(status="dropped")


def test_a_card_shows_the_places_left_after_confirmed_places_and_waiting_offers(client, world):
    post = PostFactory(host_unit=world.unit_yx, title="四人岗位", headcount=4)
    _take_places(world, post, confirmed=1, offered=1, dropped=1)
    assert "剩余 2 个名额" in _card(client, "四人岗位")


def test_a_full_post_says_so_on_its_card(client, world):
    post = PostFactory(host_unit=world.unit_yx, title="一人岗位", headcount=1)
    _take_places(world, post, confirmed=1, offered=0, dropped=0)
    assert "名额已满" in _card(client, "一人岗位")


def test_a_card_shows_the_county_s_date_to_apply_by_its_extension_included(client, world):
    post = PostFactory(host_unit=world.unit_yx, title="有截止日期的岗位")
    milestone = Milestone.objects.get(season=post.season, code=f"{post.season.kind}_match")
    due = milestone.due
    assert f"报名截止 {due.month}月{due.day}日" in _card(client, "有截止日期的岗位")

    later = due + datetime.timedelta(days=10)
    UnitMilestone.objects.update_or_create(
        milestone=milestone,
        region=world.yuexiu,
        defaults={"extended_to": later, "extension_reason": "防汛"},
    )
    cache.clear()  # written straight to the table, not through extension_grant
    assert f"报名截止 {later.month}月{later.day}日" in _card(client, "有截止日期的岗位")
    other = client.get(reverse("positions:search"), {"county": "440106"}).content.decode()
    assert f"报名截止 {due.month}月{due.day}日" in other  # 天河 has no extension


def test_the_post_page_shows_places_left_and_the_date_to_apply_by(client, world):
    page = client.get(reverse("positions:public_detail", args=[world.post_yx.pk])).content.decode()
    assert f"剩余 {world.post_yx.headcount} 个名额" in page and "报名截止" in page


def test_the_cards_cost_the_same_queries_for_one_post_as_for_twenty(client, world):
    def queries() -> int:
        cache.clear()  # the cards as built, not as cached
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("positions:search"), {"county": "440104"})
        return len(captured)

    few = queries()
    for n in range(19):
        post = PostFactory(host_unit=world.unit_yx, title=f"批量岗位{n}", headcount=3)
        if n % 4 == 0:
            _take_places(world, post, confirmed=1, offered=1, dropped=0)
    assert queries() == few


def test_the_post_form_shows_the_season_s_practice_window_beside_the_dates(client, world):
    client.force_login(world.yx_staff)
    page = client.get(reverse("positions:post_create")).content.decode()
    tree = lxml_html.fromstring(page)
    season = world.post_yx.season
    start, end = season.practice_starts, season.practice_ends
    window = f"{start.year}年{start.month}月{start.day}日 至 {end.year}年{end.month}月{end.day}日"
    for name in ("starts_on", "ends_on"):
        field = tree.get_element_by_id(f"id_{name}")
        help_text = tree.get_element_by_id(field.get("aria-describedby")).text_content()
        assert "实践期" in help_text and str(season) in help_text and window in help_text
        assert field.get("min") <= start.isoformat() and field.get("max") >= end.isoformat()


def test_a_chosen_season_narrows_the_window_to_its_own(client, world):
    client.force_login(world.yx_staff)
    season = world.post_yx.season
    data = {"season": season.pk, "title": ""}
    page = client.post(reverse("positions:post_create"), data).content.decode()
    field = lxml_html.fromstring(page).get_element_by_id("id_starts_on")
    assert field.get("min") == season.practice_starts.isoformat()
    assert field.get("max") == season.practice_ends.isoformat()
