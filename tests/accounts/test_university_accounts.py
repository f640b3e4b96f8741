"""Who opens a university's account (issue 15): the staff of the province where the university
is, wherever its students come from; a superuser only for a province with no staff on the
portal."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.models import AuditEvent, Role, User
from accounts.services import account_create
from tests.factories import UniversityFactory, region, staff

STRONG = "Qingnian-2026-gd"


@pytest.fixture
def away(world):
    world.pku = UniversityFactory(name="北京大学", code="4111010001", province=region("110000"))
    world.whu = UniversityFactory(name="武汉大学", code="4142010486", province=region("420000"))
    world.root = User.objects.create_superuser("root", password=STRONG)
    return world


def _open(client, creator, university, username="newbie"):
    client.force_login(creator)
    data = {
        "role": "university",
        "university": university.pk,
        "name": "高校团委老师",
        "username": username,
        "phone": "13900139000",
        "password": STRONG,
    }
    return client.post(reverse("accounts:account_create"), data)


def test_a_superuser_opens_the_account_of_a_university_in_a_province_without_staff(client, away):
    response = _open(client, away.root, away.pku)
    account = User.objects.get(username="newbie")
    assert response.status_code == 302
    assert (account.role, account.university, account.created_by) == (
        Role.UNIVERSITY,
        away.pku,
        away.root,
    )
    event = AuditEvent.objects.get(action="account.create", target_id=account.pk)
    assert event.province.name == "北京市"


def test_a_superuser_leaves_a_staffed_province_to_its_staff(client, away):
    client.force_login(away.root)
    page = client.get(reverse("accounts:account_create")).content.decode()
    assert "北京大学" in page and "武汉大学" in page and "中山大学" not in page
    response = _open(client, away.root, away.university)
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_once_beijing_has_staff_the_superuser_may_no_longer_open_its_universities(client, away):
    staff(Role.PROVINCE, region=away.pku.province, username="bj_province")
    response = _open(client, away.root, away.pku)
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()


def test_the_service_refuses_a_superuser_for_a_staffed_province_in_chinese(away):
    with pytest.raises(ValidationError) as refused:
        account_create(
            actor=away.root,
            username="newbie",
            password=STRONG,
            role=Role.UNIVERSITY,
            name="老师",
            university=away.university,
        )
    assert "广东省已有团省委账号" in str(refused.value.message_dict["university"])


def test_provincial_staff_open_only_their_own_provinces_universities(client, away):
    response = _open(client, away.province_staff, away.pku)
    assert response.status_code == 200
    assert not User.objects.filter(username="newbie").exists()
    response = _open(client, away.province_staff, away.university)
    assert response.status_code == 302


def test_the_superuser_lists_and_deactivates_the_accounts_it_keeps(client, away):
    pku_staff = staff(Role.UNIVERSITY, university=away.pku, username="pku")
    client.force_login(away.root)
    page = client.get(reverse("accounts:account_list")).content.decode()
    assert "pku" in page and "sysu" not in page
    url = reverse("accounts:account_set_active", args=[pku_staff.pk])
    assert client.post(url, {"active": "0"}).status_code == 302
    pku_staff.refresh_from_db()
    assert not pku_staff.is_active
    assert (
        client.get(reverse("accounts:account_detail", args=[away.uni_staff.pk])).status_code == 404
    )


def test_beijings_staff_take_over_the_accounts_the_superuser_opened(client, away):
    pku_staff = staff(Role.UNIVERSITY, university=away.pku, username="pku")
    bj = staff(Role.PROVINCE, region=away.pku.province, username="bj_province")
    client.force_login(bj)
    assert client.get(reverse("accounts:account_detail", args=[pku_staff.pk])).status_code == 200
    client.force_login(away.root)
    assert client.get(reverse("accounts:account_detail", args=[pku_staff.pk])).status_code == 404


def test_the_admin_follows_the_same_rule(client, away):
    account = User.objects.create_user("teacher", password=STRONG)
    client.force_login(away.root)
    url = reverse("admin:accounts_user_change", args=[account.pk])
    data = {
        "username": "teacher",
        "role": "university",
        "name": "老师",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(url, data | {"university": away.university.pk})
    assert "广东省已有团省委账号" in response.content.decode()
    assert User.objects.get(pk=account.pk).role == ""
    response = client.post(url, data | {"university": away.pku.pk})
    assert response.status_code == 302
    assert User.objects.get(pk=account.pk).university == away.pku
