"""The public pages' cache (positions/public_cache.py): what it saves, and that nobody sees a
post as it was once it is closed, cancelled, edited or full."""

import os
import threading
import time

import pytest
from django.core.cache import cache, caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanjiaxiang.cache import FailOpenRedisCache
from positions import services
from positions.models import Post
from positions.public_cache import cached, public_key
from students import services as student_services
from tests.factories import PostFactory, StudentFactory


def search(client, **query) -> str:
    return client.get(reverse("positions:search"), query).content.decode()


def detail(client, post) -> str:
    return client.get(reverse("positions:public_detail", args=[post.pk])).content.decode()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run what a change queues on commit, as the real commit would."""

    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def test_a_closed_post_leaves_the_search_and_says_so_at_once(client, world, on_commit):
    assert "越秀图书馆阅读推广员" in search(client, county="440104")  # now cached
    assert "剩余" in detail(client, world.post_yx)
    on_commit(lambda: services.post_close(post=world.post_yx, actor=world.yx_staff))
    assert "越秀图书馆阅读推广员" not in search(client, county="440104")
    page = detail(client, world.post_yx)
    assert "该岗位已截止报名" in page
    assert "剩余" not in page and "报名截止" not in page  # no seats or deadline beside 已截止


def test_a_cancelled_post_is_gone_from_search_and_its_page(client, world, on_commit):
    search(client)
    detail(client, world.post_yx)
    on_commit(lambda: services.post_cancel(post=world.post_yx, actor=world.yx_staff))
    assert "越秀图书馆阅读推广员" not in search(client)
    assert (
        client.get(reverse("positions:public_detail", args=[world.post_yx.pk])).status_code == 404
    )


def test_an_edited_post_shows_its_new_words_at_once(client, world, on_commit):
    search(client, q="阅读")
    detail(client, world.post_yx)
    on_commit(
        lambda: services.post_update(
            post=world.post_yx, actor=world.yx_staff, title="越秀图书馆少儿阅读推广员"
        )
    )
    assert "越秀图书馆少儿阅读推广员" in search(client, q="阅读")
    assert "越秀图书馆少儿阅读推广员" in detail(client, world.post_yx)


def test_a_published_post_appears_at_once(client, world, on_commit):
    assert "越秀草稿岗位" not in search(client, county="440104")
    on_commit(lambda: services.post_publish(post=world.draft_yx, actor=world.yx_staff))
    assert "越秀草稿岗位" in search(client, county="440104")


def test_the_offer_taking_the_last_seat_shows_the_post_full_at_once(client, world, on_commit):
    post = PostFactory(host_unit=world.unit_yx, title="一人岗位", headcount=1)
    assert "剩余 1 个名额" in detail(client, post)
    student = StudentFactory(hometown=world.yuexiu, university=world.university)
    application = student_services.application_submit(actor=None, student=student, post=post)
    on_commit(lambda: student_services.application_offer(actor=None, application=application))
    assert "名额已满" in detail(client, post)
    card = search(client, q="一人岗位")
    assert "名额已满" in card and "剩余 1 个名额" not in card


def test_a_rolled_back_change_keeps_the_cache(client, world, django_capture_on_commit_callbacks):
    search(client)
    key = public_key("probe")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.post_close(post=world.post_yx, actor=world.yx_staff)
    assert len(callbacks) == 1  # queued for the commit, nothing before it
    assert public_key("probe") == key


def test_a_cached_search_costs_no_query_for_an_anonymous_visitor(client, world):
    search(client, province="440000", q="图书馆")
    with CaptureQueriesContext(connection) as captured:
        page = search(client, province="440000", q="图书馆")
    assert "越秀图书馆阅读推广员" in page
    assert len(captured) == 0


def test_a_cached_post_page_costs_no_query_for_an_anonymous_visitor(client, world):
    detail(client, world.post_yx)
    with CaptureQueriesContext(connection) as captured:
        page = detail(client, world.post_yx)
    assert "越秀图书馆阅读推广员" in page and "登录后可见完整号码" in page
    assert len(captured) == 0


def test_every_page_of_a_search_shares_one_count(client, world):
    for n in range(45):
        PostFactory(host_unit=world.unit_yx, title=f"批量岗位{n}")
    assert "第 1 / 3 页" in search(client, county="440104")
    with CaptureQueriesContext(connection) as captured:
        page = search(client, county="440104", page=2)
    assert "第 2 / 3 页" in page
    assert not [q for q in captured if q["sql"].upper().startswith("SELECT COUNT(")]


def test_a_signed_in_student_sees_their_own_state_on_a_cached_post(client, world):
    detail(client, world.post_yx)  # cached by an anonymous visit
    outsider = StudentFactory(hometown=world.tianhe, university=world.university)
    client.force_login(outsider.user)
    page = detail(client, world.post_yx)
    assert "仅面向本县生源学生" in page and "13" in page
    assert "登录后可见完整号码" not in page
    client.logout()
    assert "登录后可见完整号码" in detail(client, world.post_yx)


def test_a_post_that_does_not_exist_is_404_cached_or_not(client, world):
    url = reverse("positions:public_detail", args=[999999])
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "99999999999999999999"},
        {"province": "<script>", "city": "44" * 40, "county": "x"},
        {"season": "2026-", "category": "nope", "remote": "maybe"},
        {"season": "99999999999999999999-summer"},
        {"q": "％_\\'\"" * 30},
        {"q": "服务", "q2": "x", "page": "2"},
    ],
)
def test_odd_query_values_answer_a_page_twice(client, world, query):
    for _ in range(2):  # built, then from the cache
        assert client.get(reverse("positions:search"), query).status_code == 200


def test_one_build_per_key_when_many_ask_at_once():
    builds = []

    def build():
        builds.append(1)
        time.sleep(0.3)
        return "页面"

    key = public_key("stampede", time.time())
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cached(key, build))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["页面"] * 8
    assert len(builds) == 1


def test_an_entry_past_its_minute_is_rebuilt_by_one_while_the_others_get_it():
    key = public_key("expiry", time.time())
    cache.set(key, (time.time() - 1, "旧"), timeout=60)  # past its freshness
    cache.add(f"{key}:lock", 1)  # another request is rebuilding it
    assert cached(key, lambda: "新") == "旧"
    cache.delete(f"{key}:lock")
    assert cached(key, lambda: "新") == "新"
    assert cached(key, lambda: "更新") == "新"  # fresh again


# On the production stack: PostgreSQL, real commits, the Redis cache every process shares.

REDIS_URL = os.environ.get("REDIS_URL", "")


@pytest.fixture
def redis_cache(settings):
    if not REDIS_URL:
        pytest.skip("needs Redis: set REDIS_URL")
    settings.CACHES = {
        "default": {"BACKEND": "fanjiaxiang.cache.FailOpenRedisCache", "LOCATION": REDIS_URL}
    }
    cache.clear()
    yield cache
    cache.clear()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgres_and_redis_a_closed_or_edited_post_is_never_served_stale(
    client, world, redis_cache
):
    assert isinstance(caches["default"], FailOpenRedisCache)
    assert "越秀图书馆阅读推广员" in search(client, county="440104")
    assert "越秀图书馆阅读推广员" in detail(client, world.post_yx)
    services.post_update(post=world.post_yx, actor=world.yx_staff, title="越秀图书馆讲解员")
    assert "越秀图书馆讲解员" in search(client, county="440104")
    assert "越秀图书馆讲解员" in detail(client, world.post_yx)
    services.post_close(post=Post.objects.get(pk=world.post_yx.pk), actor=world.yx_staff)
    assert "越秀图书馆讲解员" not in search(client, county="440104")
    assert "该岗位已截止报名" in detail(client, world.post_yx)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgres_a_reader_during_the_change_cannot_keep_the_old_page(
    client, world, redis_cache
):
    """A request that reads the rows while the close is not yet committed caches the open post
    under the version of before; the commit then moves the version on, so the next visitor
    does not get that page."""
    from django.db import transaction

    with transaction.atomic():
        services.post_close(post=world.post_yx, actor=world.yx_staff)
        # Another connection (a visitor's request) still sees the post open.
        seen = []

        def visit():
            try:
                seen.append(search(client, county="440104"))
            finally:
                connection.close()

        thread = threading.Thread(target=visit)
        thread.start()
        thread.join()
    assert "越秀图书馆阅读推广员" in seen[0]
    assert "越秀图书馆阅读推广员" not in search(client, county="440104")


# Keyword search: the trigram indexes (PostgreSQL only) change the plan, never the answer.

WORDS = ["阅读推广", "图书馆", "服务", "越秀", "志愿者", "调研", "ABC", "a", "%", "_"]


def _found(word: str) -> list[int]:
    from positions.selectors import PostSearch, published_posts

    return list(published_posts(PostSearch(keyword=word)).values_list("pk", flat=True))


@pytest.mark.postgres
def test_keyword_results_are_the_same_with_and_without_the_trigram_indexes(world):
    for n, (title, place) in enumerate(
        [("社区服务专员", "越秀区北京街"), ("乡村振兴调研员", "梅县"), ("abc数据助理", "天河")]
    ):
        PostFactory(host_unit=world.unit_yx, title=title, place=place, description=f"第{n}号")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # the indexes wherever they can serve
        cursor.execute(
            "EXPLAIN SELECT id FROM positions_post WHERE UPPER(title::text) LIKE UPPER('%图书馆%')"
        )
        assert "positions_post_title_trgm" in " ".join(r[0] for r in cursor.fetchall())
        with_indexes = {word: _found(word) for word in WORDS}
        for table, column in [
            ("positions_post", c) for c in ("title", "description", "duties", "place")
        ]:
            cursor.execute(f"DROP INDEX {table}_{column}_trgm")
        cursor.execute("DROP INDEX positions_hostunit_name_trgm")
        cursor.execute("SET LOCAL enable_seqscan = on")
    without = {word: _found(word) for word in WORDS}
    assert with_indexes == without
    assert with_indexes["图书馆"] and with_indexes["服务"] and with_indexes["ABC"]
