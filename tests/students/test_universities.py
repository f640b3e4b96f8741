import pytest
from django.urls import reverse

from students.models import University
from tests.factories import UniversityFactory, region


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
