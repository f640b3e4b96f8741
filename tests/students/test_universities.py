import pytest
from django.urls import reverse

from accounts.models import AuditEvent, Role
from students.models import University
from tests.factories import UniversityFactory, region, staff


def test_province_registers_a_university_then_opens_its_account(client, world):
    client.force_login(world.province_staff)
    response = client.post(
        reverse("students:university_list"), {"name": "华南理工大学", "code": "4144010561"}
    )
    assert response.status_code == 302
    university = University.objects.get(code="4144010561")
    assert university.province == world.province
    page = client.get(reverse("accounts:account_create")).content.decode()
    assert "华南理工大学" in page


def test_a_bad_code_is_explained_and_the_name_kept(client, world):
    client.force_login(world.province_staff)
    response = client.post(reverse("students:university_list"), {"name": "某大学", "code": "12ab"})
    page = response.content.decode()
    assert "学校标识码应为 10 位数字" in page and 'value="某大学"' in page
    assert not University.objects.filter(name="某大学").exists()


def test_the_list_holds_only_the_provinces_universities(client, world):
    UniversityFactory(name="广西大学", code="4145010593", province=region("450000"))
    client.force_login(world.province_staff)
    page = client.get(reverse("students:university_list")).content.decode()
    assert "中山大学" in page and "广西大学" not in page


@pytest.mark.parametrize("user", ["gz_staff", "yx_staff", "yx_host", "uni_staff", "student"])
def test_only_provincial_staff_keep_the_register(client, world, user):
    client.force_login(getattr(world, user))
    assert client.get(reverse("students:university_list")).status_code == 404
    response = client.post(reverse("students:university_list"), {"name": "X", "code": "4144019999"})
    assert response.status_code == 404
    assert not University.objects.filter(code="4144019999").exists()


def test_the_list_is_searched_and_paged(client, world, django_assert_max_num_queries):
    for n in range(60):
        UniversityFactory(name=f"广东测试学院{n:02d}", code=f"41440199{n:02d}")
    client.force_login(world.province_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("students:university_list")).content.decode()
    assert "共 61 所" in page and "第 1 / 2 页" in page
    page = client.get(reverse("students:university_list"), {"q": "学院07"}).content.decode()
    assert "广东测试学院07" in page and "广东测试学院08" not in page and "中山大学" not in page
    page = client.get(reverse("students:university_list"), {"q": "4144010558"}).content.decode()
    assert "中山大学" in page and "共 1 所" in page


def test_a_province_adds_a_school_without_a_code_and_it_is_audited(client, world):
    client.force_login(world.province_staff)
    response = client.post(
        reverse("students:university_list"),
        {"name": " 广州新设 大学 ", "code": "", "city": "广州市", "level": "本科"},
    )
    assert response.status_code == 302
    added = University.objects.get(name="广州新设 大学")
    assert (added.code, added.province, added.added_by_province) == (None, world.province, True)
    assert added.initials == "gzxsdx"
    event = AuditEvent.objects.get(action="university.create")
    assert (event.actor, event.target_id, event.province) == (
        world.province_staff,
        added.pk,
        world.province,
    )
    page = client.get(reverse("students:university_list"), {"q": "新设"}).content.decode()
    assert "省级补充" in page


def test_a_name_taken_in_another_province_is_refused_naming_that_province(client, world):
    UniversityFactory(name="广西大学", code="4145010593", province=region("450000"))
    client.force_login(world.province_staff)
    response = client.post(reverse("students:university_list"), {"name": "广西大学"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "已有名为“广西大学”的高校（广西壮族自治区）" in page
    assert University.objects.filter(name="广西大学").count() == 1
    assert not AuditEvent.objects.filter(action="university.create").exists()


def test_a_province_renames_its_university_and_the_register_name_stays_beside_it(client, world):
    world.university.register_name, world.university.source = "中山大学", "register"
    world.university.save()
    url = reverse("students:university_rename", args=[world.university.pk])
    client.force_login(world.province_staff)
    assert "中山大学" in client.get(url).content.decode()
    response = client.post(url, {"name": "中山大学（广州校区）"})
    assert response.status_code == 302
    world.university.refresh_from_db()
    assert world.university.name == "中山大学（广州校区）" and world.university.renamed
    event = AuditEvent.objects.get(action="university.rename")
    assert event.data == {"from": "中山大学", "to": "中山大学（广州校区）"}
    page = client.get(reverse("students:university_list")).content.decode()
    assert "名单中为“中山大学”" in page


def test_a_rename_to_a_taken_name_keeps_what_was_typed(client, world):
    UniversityFactory(name="华南理工大学", code="4144010561")
    url = reverse("students:university_rename", args=[world.university.pk])
    client.force_login(world.province_staff)
    page = client.post(url, {"name": "华南理工大学"}).content.decode()
    assert "已有名为“华南理工大学”的高校" in page and 'value="华南理工大学"' in page
    page = client.post(url, {"name": ""}).content.decode()
    assert "请填写新的学校名称" in page
    assert not AuditEvent.objects.filter(action="university.rename").exists()


@pytest.mark.parametrize("user", ["gz_staff", "yx_staff", "yx_host", "uni_staff", "student"])
def test_only_provincial_staff_rename(client, world, user):
    url = reverse("students:university_rename", args=[world.university.pk])
    client.force_login(getattr(world, user))
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名"}).status_code == 404
    world.university.refresh_from_db()
    assert world.university.name == "中山大学"


def test_another_provinces_staff_cannot_rename(client, world):
    guangxi_staff = staff(Role.PROVINCE, region=region("450000"), username="gx_province")
    url = reverse("students:university_rename", args=[world.university.pk])
    client.force_login(guangxi_staff)
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "改名"}).status_code == 404


def test_provincial_staff_have_the_nav_entry(client, world):
    client.force_login(world.province_staff)
    assert 'href="/manage/universities/"' in client.get("/").content.decode()
    client.force_login(world.gz_staff)
    assert 'href="/manage/universities/"' not in client.get("/").content.decode()


def test_a_code_already_used_is_refused(client, world):
    client.force_login(world.province_staff)
    response = client.post(
        reverse("students:university_list"), {"name": "另一所大学", "code": "4144010558"}
    )
    page = response.content.decode()
    assert response.status_code == 200 and "学校标识码" in page and "已存在" in page
    assert not University.objects.filter(name="另一所大学").exists()
