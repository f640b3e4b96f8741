"""Superusers import and export the register of universities and the host units in /admin/
(django-import-export): a preview first, each bad row's error, and nothing written until the
whole file is good and confirmed."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from positions.models import HostUnit
from students.models import University
from tests.factories import UniversityFactory, UserFactory, region

CSV = "0"  # the first of the admin's import formats
UNIVERSITY_HEADER = (
    "学校标识码,学校名称,所在省份,所在城市,主管部门,办学层次,备注,来源,名单中的名称\n"
)


@pytest.fixture
def superuser(client, db):
    user = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return user


def _import(client, model: str, text: str):
    upload = SimpleUploadedFile("file.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(f"/admin/{model}/import/", {"format": CSV, "import_file": upload})


def _confirm(client, model: str, preview):
    page = preview.content.decode()
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page))
    keys = ("csrfmiddlewaretoken", "import_file_name", "original_file_name", "format", "resource")
    data = {k: fields[k] for k in keys if k in fields}
    return client.post(f"/admin/{model}/process_import/", data)


def test_a_bad_row_is_shown_with_its_error_and_nothing_is_written(client, superuser):
    region("440000")
    text = (
        UNIVERSITY_HEADER
        + "4144019991,广东新一大学,广东省,广州市,广东省,本科,,全国高校名单,广东新一大学\n"
        + "12ab,广东新二大学,广东省,广州市,广东省,本科,,全国高校名单,\n"
        + "4144019993,广东新三大学,火星省,,,,,全国高校名单,\n"
    )
    response = _import(client, "students/university", text)
    page = response.content.decode()
    assert response.status_code == 200
    assert "学校标识码应为 10 位数字" in page
    assert "找不到省份“火星省”" in page
    assert not University.objects.exists()


def test_the_register_is_exported_and_a_good_file_imported_after_the_preview(client, superuser):
    UniversityFactory(name="中山大学", code="4144010558")
    columns = ["code", "name", "province", "city", "level", "source"]
    exported = client.post(
        "/admin/students/university/export/",
        {"format": CSV, "resource": "0"} | {f"universityresource_{c}": "on" for c in columns},
    )
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "学校标识码,学校名称,所在省份,所在城市,办学层次,来源"
    assert lines[1] == "4144010558,中山大学,广东省,,,省级团委补充"
    text = (
        UNIVERSITY_HEADER
        + "4144010558,中山大学（新）,广东省,广州市,教育部,本科,,全国高校名单,中山大学\n"
        + ",广州新设大学,广东省,广州市,,,,省级团委补充,\n"
    )
    preview = _import(client, "students/university", text)
    assert "广州新设大学" in preview.content.decode()
    assert not University.objects.filter(name="广州新设大学").exists()  # a preview only
    assert _confirm(client, "students/university", preview).status_code == 302
    renamed = University.objects.get(code="4144010558")
    assert (renamed.name, renamed.authority, renamed.initials) == (
        "中山大学（新）",
        "教育部",
        "zsdxx",
    )
    added = University.objects.get(name="广州新设大学")
    assert added.code is None and added.source == "province"
    assert University.objects.count() == 2


def test_host_units_import_with_a_row_error_and_export(client, superuser):
    yuexiu = region("440104")
    header = "县区代码,县区,单位类型,单位名称,统一社会信用代码,地址,联系人,联系电话,单位简介,启用\n"
    bad = header + "440104,越秀区,农场,越秀区某单位,,,张三,13800138000,,1\n"
    page = _import(client, "positions/hostunit", bad).content.decode()
    assert "“农场”不是可选的值" in page and not HostUnit.objects.exists()
    bad = header + "440104,越秀区,党政机关,越秀区某单位,,,张三,12345,,1\n"
    page = _import(client, "positions/hostunit", bad).content.decode()
    assert "12345" in page and "电话" in page and not HostUnit.objects.exists()
    good = header + "440104,越秀区,党政机关,越秀区人民政府办公室,,,张三,13800138000,,1\n"
    preview = _import(client, "positions/hostunit", good)
    assert _confirm(client, "positions/hostunit", preview).status_code == 302
    unit = HostUnit.objects.get()
    assert (unit.county, unit.kind, unit.name) == (yuexiu, "government", "越秀区人民政府办公室")


def test_staff_roles_have_no_import(client, world):
    client.force_login(world.province_staff)
    response = client.get("/admin/students/university/import/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
