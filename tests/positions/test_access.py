"""Every host-unit and post page, as every role: owner, read-only, outsider."""

import pytest
from django.urls import reverse

OWNER, READERS, OUTSIDERS = (
    ["yx_staff"],
    ["gz_staff", "province_staff", "yx_host"],
    [
        "th_staff",
        "mz_staff",
        "th_host",
        "uni_staff",
        "student",
    ],
)

# (url name, the world object whose pk goes in the URL, method)
OBJECT_READS = [
    ("positions:host_unit_detail", "unit_yx", "get"),
    ("positions:post_detail", "post_yx", "get"),
]
OBJECT_WRITES = [
    ("positions:host_unit_edit", "unit_yx", "get"),
    ("positions:host_unit_edit", "unit_yx", "post"),
    ("positions:post_edit", "post_yx", "get"),
    ("positions:post_edit", "post_yx", "post"),
    ("positions:post_publish", "draft_yx", "post"),
    ("positions:post_close", "post_yx", "post"),
    ("positions:post_cancel", "post_yx", "post"),
]


def _request(client, world, user, name, obj, method):
    if user:
        client.force_login(getattr(world, user))
    url = reverse(name, args=[getattr(world, obj).pk]) if obj else reverse(name)
    return getattr(client, method)(url)


@pytest.mark.parametrize(("name", "obj", "method"), OBJECT_READS)
@pytest.mark.parametrize("user", OWNER + READERS)
def test_owner_and_readers_see_the_page(client, world, user, name, obj, method):
    assert _request(client, world, user, name, obj, method).status_code == 200


@pytest.mark.parametrize(("name", "obj", "method"), OBJECT_READS + OBJECT_WRITES)
@pytest.mark.parametrize("user", OUTSIDERS)
def test_outsiders_get_404(client, world, user, name, obj, method):
    assert _request(client, world, user, name, obj, method).status_code == 404


@pytest.mark.parametrize(("name", "obj", "method"), OBJECT_WRITES)
@pytest.mark.parametrize("user", READERS)
def test_read_only_members_get_403_on_changes(client, world, user, name, obj, method):
    before = getattr(world, obj).__class__.objects.get(pk=getattr(world, obj).pk)
    assert _request(client, world, user, name, obj, method).status_code == 403
    after = before.__class__.objects.get(pk=before.pk)
    assert after.__dict__ | {"_state": None} == before.__dict__ | {"_state": None}


@pytest.mark.parametrize("name", ["positions:host_unit_create", "positions:post_create"])
def test_only_county_staff_may_open_create_pages(client, world, name):
    expected = {
        "yx_staff": 200,
        "gz_staff": 403,
        "province_staff": 403,
        "yx_host": 403,
        "uni_staff": 404,
        "student": 404,
    }
    for user, status in expected.items():
        client.force_login(getattr(world, user))
        assert client.get(reverse(name)).status_code == status, user


@pytest.mark.parametrize(
    "name", ["positions:post_publish", "positions:post_close", "positions:post_cancel"]
)
def test_state_changes_refuse_get(client, world, name):
    client.force_login(world.yx_staff)
    assert client.get(reverse(name, args=[world.post_yx.pk])).status_code == 405


def test_state_changes_refuse_post_without_csrf(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(world.yx_staff)
    response = client.post(reverse("positions:post_publish", args=[world.draft_yx.pk]))
    assert response.status_code == 403
    world.draft_yx.refresh_from_db()
    assert world.draft_yx.status == "draft"


@pytest.mark.parametrize(
    "name", ["positions:host_unit_list", "positions:post_list", "positions:post_create"]
)
def test_anonymous_visitors_are_sent_to_login(client, world, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


@pytest.mark.parametrize(
    ("user", "sees", "hidden"),
    [
        ("yx_staff", ["越秀图书馆阅读推广员", "越秀草稿岗位"], ["天河图书馆阅读推广员"]),
        ("th_staff", ["天河图书馆阅读推广员"], ["越秀图书馆阅读推广员", "越秀草稿岗位"]),
        ("gz_staff", ["越秀图书馆阅读推广员", "天河图书馆阅读推广员"], []),
        ("province_staff", ["越秀图书馆阅读推广员", "天河图书馆阅读推广员"], []),
        ("mz_staff", [], ["越秀图书馆阅读推广员", "天河图书馆阅读推广员"]),
        ("yx_host", ["越秀图书馆阅读推广员"], ["天河图书馆阅读推广员"]),
    ],
)
def test_post_list_shows_only_the_users_scope(client, world, user, sees, hidden):
    client.force_login(getattr(world, user))
    page = client.get(reverse("positions:post_list")).content.decode()
    for title in sees:
        assert title in page
    for title in hidden:
        assert title not in page


@pytest.mark.parametrize(
    ("user", "sees", "hidden"),
    [
        ("yx_staff", ["越秀区图书馆"], ["天河区图书馆"]),
        ("gz_staff", ["越秀区图书馆", "天河区图书馆"], []),
        ("mz_staff", [], ["越秀区图书馆", "天河区图书馆"]),
        ("th_host", ["天河区图书馆"], ["越秀区图书馆"]),
    ],
)
def test_host_unit_list_shows_only_the_users_scope(client, world, user, sees, hidden):
    client.force_login(getattr(world, user))
    page = client.get(reverse("positions:host_unit_list")).content.decode()
    for name in sees:
        assert name in page
    for name in hidden:
        assert name not in page


@pytest.mark.parametrize("user", ["uni_staff", "student"])
def test_position_lists_are_not_for_universities_or_students(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get(reverse("positions:post_list")).status_code == 404
    assert client.get(reverse("positions:host_unit_list")).status_code == 404
