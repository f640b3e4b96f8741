"""Each level opens accounts for the level below, inside its own scope; login and logout."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.factories import PASSWORD, region

STRONG = "Qingnian-2026-gd"


def _open(client, creator, **fields):
    client.force_login(creator)
    data = {
        "name": "新同志",
        "username": "newbie",
        "phone": "13900139000",
        "email": "",
        "password": STRONG,
    } | fields
    return client.post(reverse("accounts:account_create"), data)


def test_province_opens_a_city_account(client, world):
    response = _open(client, world.province_staff, role="city", region=world.meizhou.pk)
    account = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert (account.role, account.region, account.created_by) == (
        "city",
        world.meizhou,
        world.province_staff,
    )
    assert account.check_password(STRONG)


def test_province_opens_a_university_account(client, world):
    _open(client, world.province_staff, role="university", university=world.university.pk)
    assert User.objects.get(username="newbie").university == world.university


def test_city_opens_a_county_account_only_in_its_own_city(client, world):
    response = _open(client, world.gz_staff, role="county", region=world.meixian.pk)
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not User.objects.filter(username="newbie").exists()
    _open(client, world.gz_staff, role="county", region=world.yuexiu.pk)
    assert User.objects.get(username="newbie").region == world.yuexiu


def test_county_opens_host_unit_accounts_only_for_its_own_units(client, world):
    response = _open(client, world.yx_staff, role="host", host_unit=world.unit_th.pk)
    assert "选择一个有效的选项" in response.content.decode()
    _open(client, world.yx_staff, role="host", host_unit=world.unit_yx.pk)
    assert User.objects.get(username="newbie").host_unit == world.unit_yx


def test_a_county_cannot_open_a_city_account(client, world):
    response = _open(client, world.yx_staff, role="city", region=world.guangzhou.pk)
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_weak_password_and_bad_phone_are_refused_and_input_kept(client, world):
    response = _open(
        client,
        world.yx_staff,
        role="host",
        host_unit=world.unit_yx.pk,
        password="12345678",
        phone="555",
    )
    page = response.content.decode()
    assert "不是有效的中国大陆手机号" in page
    assert "密码" in page and ("太短" in page or "全都是数字" in page or "常见" in page)
    assert 'value="newbie"' in page
    assert not User.objects.filter(username="newbie").exists()


def test_duplicate_username_is_refused(client, world):
    response = _open(
        client, world.yx_staff, role="host", host_unit=world.unit_yx.pk, username="TIANHE"
    )
    assert "该用户名已被使用" in response.content.decode()


@pytest.mark.parametrize("user", ["yx_host", "uni_staff", "student"])
def test_roles_without_subordinates_have_no_account_pages(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get(reverse("accounts:account_list")).status_code == 404
    assert client.get(reverse("accounts:account_create")).status_code == 404


@pytest.mark.parametrize(
    ("viewer", "account", "status"),
    [
        ("yx_staff", "yx_host", 200),
        ("gz_staff", "yx_host", 200),
        ("province_staff", "yx_host", 200),
        ("th_staff", "yx_host", 404),
        ("mz_staff", "yx_host", 404),
        ("gz_staff", "yx_staff", 200),
        ("mz_staff", "yx_staff", 404),
        ("yx_staff", "th_staff", 404),
        ("province_staff", "uni_staff", 200),
        ("gz_staff", "uni_staff", 404),
    ],
)
def test_account_detail_is_scoped(client, world, viewer, account, status):
    client.force_login(getattr(world, viewer))
    url = reverse("accounts:account_detail", args=[getattr(world, account).pk])
    assert client.get(url).status_code == status


@pytest.mark.parametrize(
    ("actor", "account", "status"),
    [
        ("yx_staff", "yx_host", 302),  # the county opened it, the county may close it
        ("gz_staff", "yx_host", 403),  # the city only reads host-unit accounts
        ("province_staff", "yx_staff", 403),
        ("th_staff", "yx_host", 404),
    ],
)
def test_only_the_level_above_deactivates(client, world, actor, account, status):
    client.force_login(getattr(world, actor))
    target = getattr(world, account)
    response = client.post(
        reverse("accounts:account_set_active", args=[target.pk]), {"active": "0"}
    )
    target.refresh_from_db()
    assert response.status_code == status
    assert target.is_active is (status != 302)


def test_a_deactivated_officer_is_signed_out_and_cannot_sign_in(client, world):
    officer = world.yx_host
    client.force_login(officer)
    User.objects.filter(pk=officer.pk).update(is_active=False)
    response = client.get(reverse("positions:post_list"))
    assert response.status_code == 302 and "login" in response.url
    client.logout()
    response = client.post(
        reverse("accounts:login"), {"username": officer.username, "password": PASSWORD}
    )
    assert "_auth_user_id" not in client.session


def test_account_list_shows_everyone_below_and_no_one_else(client, world):
    client.force_login(world.gz_staff)
    page = client.get(reverse("accounts:account_list")).content.decode()
    assert "yuexiu" in page and "tianhe_host" in page
    assert "mz_city" not in page and "gd_province" not in page and "sysu" not in page


def test_phones_are_masked_in_account_lists(client, world):
    User.objects.filter(pk=world.yx_staff.pk).update(phone="13912345678")
    client.force_login(world.gz_staff)
    page = client.get(reverse("accounts:account_list")).content.decode()
    assert "139****5678" in page and "13912345678" not in page


def test_login_and_logout(client, world):
    response = client.post(reverse("accounts:login"), {"username": "yuexiu", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).context["user"] == world.yx_staff
    assert client.get(reverse("accounts:logout")).status_code == 405  # logging out is a POST
    client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session


def test_wrong_password_says_so_in_chinese(client, world):
    response = client.post(reverse("accounts:login"), {"username": "yuexiu", "password": "wrong"})
    assert "请输入一个正确的" in response.content.decode()


def test_admin_is_for_superusers_only(client, world):
    client.force_login(world.province_staff)
    assert client.get("/admin/").status_code == 302
    superuser = User.objects.create_superuser("root", password=STRONG)
    client.force_login(superuser)
    assert client.get("/admin/").status_code == 200


def test_database_refuses_staff_without_scope(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="lost", role="county")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="wrong_scope", role="host", region=region("440104"))


def test_a_refused_form_does_not_write_the_password_back_into_the_page(client, world):
    response = _open(client, world.yx_staff, role="host", host_unit=world.unit_yx.pk, phone="555")
    assert STRONG not in response.content.decode()


def test_usernames_differing_only_in_case_are_one_name(client, world):
    response = _open(
        client, world.yx_staff, role="host", host_unit=world.unit_yx.pk, username="YueXiu"
    )
    assert "该用户名已被使用" in response.content.decode()


def test_error_pages_speak_chinese(client, world):
    client.force_login(world.gz_staff)
    forbidden = client.get(reverse("positions:post_edit", args=[world.post_yx.pk]))
    assert forbidden.status_code == 403 and "没有权限" in forbidden.content.decode()
    client.force_login(world.th_staff)
    missing = client.get(reverse("positions:post_edit", args=[world.post_yx.pk]))
    assert missing.status_code == 404 and "页面不存在" in missing.content.decode()
