from django.urls import reverse


def test_county_home_shows_its_own_figures(client, world):
    client.force_login(world.yx_staff)
    response = client.get(reverse("home"))
    assert response.context["post_counts"] == {"draft": 1, "published": 1, "closed": 0}
    assert response.context["host_unit_count"] == 1
    assert "新建岗位" in response.content.decode()


def test_city_home_adds_up_its_counties_without_create_buttons(client, world):
    client.force_login(world.gz_staff)
    response = client.get(reverse("home"))
    assert response.context["post_counts"] == {"draft": 1, "published": 2, "closed": 0}
    assert "新建岗位" not in response.content.decode()


def test_the_public_home_offers_the_search(client, db):
    page = client.get(reverse("home")).content.decode()
    assert "查找岗位" in page and 'action="/posts/"' in page
