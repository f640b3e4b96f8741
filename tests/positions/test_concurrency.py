"""Races between real concurrent transactions on PostgreSQL."""

import pytest

from positions import services
from positions.models import HostUnit, Post
from tests.factories import PostFactory, region
from tests.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_ten_simultaneous_publish_clicks_publish_once():
    post = PostFactory(host_unit__county=region("440104"), status="draft", published_at=None)
    outcomes = race(
        [lambda: services.post_publish(actor=None, post=Post.objects.get(pk=post.pk))] * 10
    )
    assert outcomes.count("ok") == 1
    assert outcomes.count("只有草稿状态的岗位可以发布。") == 9
    assert Post.objects.get(pk=post.pk).status == "published"


def test_two_officers_registering_the_same_unit_at_once_make_one():
    county = region("440104")
    fields = dict(
        county=county,
        kind="social",
        name="越秀区青年志愿者协会",
        contact_name="陈",
        contact_phone="13800138000",
    )
    outcomes = race([lambda: services.host_unit_create(actor=None, **fields)] * 8)
    assert outcomes.count("ok") == 1
    assert all("本县已登记" in o for o in outcomes if o != "ok")
    assert HostUnit.objects.filter(county=county, name="越秀区青年志愿者协会").count() == 1


def test_two_officers_opening_the_same_username_at_once_make_one_account():
    from accounts import services as account_services
    from accounts.models import User
    from tests.factories import staff

    county_staff = staff("county", region=region("440104"))
    unit = HostUnit.objects.create(
        county=county_staff.region, kind="social", name="协会", contact_name="陈", contact_phone="1"
    )

    def open_account():
        account_services.account_create(
            actor=county_staff,
            username="same_name",
            password="Qingnian-2026-gd",
            role="host",
            name="新同志",
            host_unit=unit,
        )

    outcomes = race([open_account] * 6)
    assert outcomes.count("ok") == 1
    assert all(o == "该用户名已被使用。" for o in outcomes if o != "ok")
    assert User.objects.filter(username="same_name").count() == 1
