"""County staff register host units and publish posts; bad input is refused in Chinese."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from positions import services
from positions.models import HostUnit, Post
from tests.factories import HostUnitFactory, PostFactory, season


def _post_form(world, **overrides):
    summer = season("summer")
    data = {
        "host_unit": world.unit_yx.pk,
        "season": summer.pk,
        "title": "乡村振兴调研员",
        "category": "rural",
        "headcount": "4",
        "description": "走访重点村",
        "duties": "调研、写报告",
        "majors": "",
        "skills": "",
        "grade": "",
        "place": "越秀区某街道",
        "starts_on": summer.practice_starts.isoformat(),
        "ends_on": (summer.practice_starts + datetime.timedelta(days=14)).isoformat(),
        "hours": "9:00-17:00",
        "training": "",
        "safety_notes": "",
        "contact_name": "陈老师",
        "contact_phone": "13800138000",
    }
    return data | overrides


def test_county_staff_register_a_host_unit(client, world):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("positions:host_unit_create"),
        {
            "kind": "enterprise",
            "name": "越秀科技有限公司",
            "credit_code": "9144030071526726xg",
            "address": "越秀区",
            "contact_name": "李经理",
            "contact_phone": "020-83331234",
            "description": "",
            "is_active": "on",
        },
    )
    unit = HostUnit.objects.get(name="越秀科技有限公司")
    assert response.status_code == 302
    assert unit.county == world.yuexiu
    assert unit.credit_code == "9144030071526726XG"
    assert unit.contact_phone == "02083331234"


def test_bad_host_unit_input_is_explained_in_chinese_and_kept(client, world):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("positions:host_unit_create"),
        {
            "kind": "enterprise",
            "name": "越秀科技有限公司",
            "credit_code": "914403007152672600",
            "contact_name": "李经理",
            "contact_phone": "12345",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码无效" in page
    assert "不是有效的中国大陆手机号或固定电话" in page
    assert 'value="越秀科技有限公司"' in page
    assert not HostUnit.objects.filter(name="越秀科技有限公司").exists()


def test_a_county_cannot_register_two_host_units_of_one_name(client, world):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("positions:host_unit_create"),
        {
            "kind": "institution",
            "name": "越秀区图书馆",
            "contact_name": "李",
            "contact_phone": "13800138000",
        },
    )
    assert "本县已登记同名用人单位" in response.content.decode()


def test_county_staff_create_then_publish_a_post(client, world):
    client.force_login(world.yx_staff)
    response = client.post(reverse("positions:post_create"), _post_form(world))
    post = Post.objects.get(title="乡村振兴调研员")
    assert response.status_code == 302
    assert post.status == Post.Status.DRAFT
    assert post.created_by == world.yx_staff
    client.post(reverse("positions:post_publish", args=[post.pk]))
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    assert post.published_at is not None
    search = client.get(reverse("positions:search"), {"county": world.yuexiu.code})
    assert "乡村振兴调研员" in search.content.decode()


def test_post_dates_outside_the_season_are_refused_and_input_kept(client, world):
    client.force_login(world.yx_staff)
    summer = season("summer")
    response = client.post(
        reverse("positions:post_create"),
        _post_form(
            world,
            starts_on=(summer.practice_starts - datetime.timedelta(days=3)).isoformat(),
            headcount="0",
        ),
    )
    page = response.content.decode()
    assert "须在" in page and "实践期" in page
    assert "招募人数至少为 1" in page
    assert 'value="乡村振兴调研员"' in page
    assert not Post.objects.filter(title="乡村振兴调研员").exists()


def test_end_before_start_is_refused(client, world):
    client.force_login(world.yx_staff)
    summer = season("summer")
    response = client.post(
        reverse("positions:post_create"),
        _post_form(
            world,
            starts_on=(summer.practice_starts + datetime.timedelta(days=10)).isoformat(),
            ends_on=summer.practice_starts.isoformat(),
        ),
    )
    assert "结束日期不能早于开始日期" in response.content.decode()


def test_a_county_cannot_create_posts_for_another_countys_host_unit(client, world):
    client.force_login(world.yx_staff)
    response = client.post(
        reverse("positions:post_create"), _post_form(world, host_unit=world.unit_th.pk)
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not Post.objects.filter(title="乡村振兴调研员").exists()


def test_a_post_cannot_use_another_provinces_season(world):
    guangxi_summer = season("summer", province="450000")
    with pytest.raises(ValidationError):
        services.post_create(
            actor=None,
            host_unit=world.unit_yx,
            season=guangxi_summer,
            **_service_fields(guangxi_summer),
        )


def _service_fields(summer):
    return dict(
        title="岗位",
        category="culture",
        description="d",
        duties="d",
        headcount=1,
        place="p",
        starts_on=summer.practice_starts,
        ends_on=summer.practice_starts,
        hours="h",
        contact_name="c",
        contact_phone="13800138000",
    )


def test_publishing_twice_is_refused_with_a_message(client, world):
    client.force_login(world.yx_staff)
    response = client.post(reverse("positions:post_publish", args=[world.post_yx.pk]), follow=True)
    assert "只有草稿状态的岗位可以发布" in response.content.decode()


def test_closed_posts_cannot_be_edited_or_cancelled(world):
    services.post_close(actor=None, post=world.post_yx)
    with pytest.raises(ValidationError, match="已截止或已撤销"):
        services.post_update(actor=None, post=world.post_yx, title="新标题")
    with pytest.raises(ValidationError, match="已截止或已撤销"):
        services.post_cancel(actor=None, post=world.post_yx)


def test_a_post_whose_dates_passed_cannot_be_published(world):
    with pytest.raises(ValidationError, match="结束日期已过"):
        services.post_publish(
            actor=None,
            post=world.draft_yx,
            today=world.draft_yx.ends_on + datetime.timedelta(days=1),
        )


def test_the_nightly_task_closes_finished_posts_once(world):
    after = world.post_yx.ends_on + datetime.timedelta(days=1)
    assert services.posts_close_finished(today=after) == 2  # both published posts end that day
    assert services.posts_close_finished(today=after) == 0
    world.post_yx.refresh_from_db()
    assert world.post_yx.status == Post.Status.CLOSED


# The database holds the rules even when the services are bypassed --------------------------


def test_database_refuses_a_headcount_of_zero(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=world.post_yx.pk).update(headcount=0)


def test_database_refuses_a_post_ending_before_it_starts(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=world.post_yx.pk).update(
            ends_on=world.post_yx.starts_on - datetime.timedelta(days=1)
        )


def test_database_refuses_post_dates_outside_the_season_on_insert(world):
    summer = season("summer")
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(
            host_unit=world.unit_yx,
            season=summer,
            starts_on=summer.practice_ends,
            ends_on=summer.practice_ends + datetime.timedelta(days=1),
        )


def test_database_refuses_moving_a_post_out_of_its_season(world):
    winter = season("winter")
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=world.post_yx.pk).update(season=winter)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=world.post_yx.pk).update(
            starts_on=winter.practice_starts, ends_on=winter.practice_starts
        )


def test_database_refuses_a_duplicate_credit_code_in_a_county(world):
    HostUnitFactory(county=world.yuexiu, credit_code="9144030071526726XG")
    with pytest.raises(IntegrityError), transaction.atomic():
        HostUnitFactory(county=world.yuexiu, credit_code="9144030071526726XG")


def test_a_published_post_whose_dates_passed_cannot_be_edited(world):
    with time_machine.travel(world.post_yx.ends_on + datetime.timedelta(days=1)):
        with pytest.raises(ValidationError, match="不能早于今天"):
            services.post_update(actor=None, post=world.post_yx, title="改个名字")


def test_headcount_over_999_is_refused_by_form_and_database(client, world):
    client.force_login(world.yx_staff)
    response = client.post(reverse("positions:post_create"), _post_form(world, headcount="1000"))
    assert "999" in response.content.decode()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=world.post_yx.pk).update(headcount=1000)


def test_deactivating_a_host_unit_takes_its_posts_off_the_public_pages(client, world):
    services.host_unit_update(actor=None, host_unit=world.unit_yx, is_active=False)
    assert "越秀图书馆阅读推广员" not in client.get(reverse("positions:search")).content.decode()
    detail = reverse("positions:public_detail", args=[world.post_yx.pk])
    assert client.get(detail).status_code == 404


def test_database_refuses_shrinking_a_season_past_its_live_posts(world):
    summer = world.post_yx.season
    later = world.post_yx.starts_on + datetime.timedelta(days=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        type(summer).objects.filter(pk=summer.pk).update(practice_starts=later)
    Post.objects.filter(season=summer).update(status="cancelled")
    type(summer).objects.filter(pk=summer.pk).update(practice_starts=later)  # nothing live left
