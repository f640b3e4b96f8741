"""The national register: `load_universities` loads it once, and again without duplicating
anything or undoing what provincial staff did by hand."""

import io

import pytest
from django.core.management import call_command

from positions.regions import regions_load
from students.models import University
from students.register import UNIVERSITIES_CSV, universities_load
from tests.factories import UniversityFactory, region

HEADER = "code,name,province,city,authority,level,remarks\n"


def _rows() -> list[tuple]:
    return list(
        University.objects.order_by("pk").values_list(
            "pk",
            "code",
            "name",
            "province_id",
            "city",
            "authority",
            "level",
            "remarks",
            "source",
            "register_name",
            "initials",
        )
    )


@pytest.fixture
def regions(db):
    regions_load()


def test_the_register_file_is_small_enough_to_ship():
    assert UNIVERSITIES_CSV.stat().st_size < 2 * 1024 * 1024


def test_loading_twice_gives_the_same_rows(regions):
    out = io.StringIO()
    call_command("load_universities", stdout=out)
    assert "新增 2631 所" in out.getvalue()
    first = _rows()
    out = io.StringIO()
    call_command("load_universities", stdout=out)
    assert "新增 0 所，更新 0 所，未变 2631 所" in out.getvalue()
    assert _rows() == first
    pku = University.objects.get(name="北京大学")
    assert (pku.code, pku.province.name, pku.city, pku.level) == (
        "4111010001",
        "北京市",
        "北京市",
        "本科",
    )
    assert pku.initials == "bjdx"


def test_universities_typed_in_by_staff_are_matched_not_duplicated(regions):
    by_code = UniversityFactory(name="中山大学", code="4144010558")
    by_name = University.objects.create(name="华南理工大学", province=region("440000"))
    universities_load()
    assert University.objects.filter(name__in=["中山大学", "华南理工大学"]).count() == 2
    by_code.refresh_from_db()
    by_name.refresh_from_db()
    assert by_code.city == "广州市" and by_code.source == "register"
    assert by_name.code == "4144010561" and by_name.register_name == "华南理工大学"
    assert University.objects.count() == 2631


def test_a_provinces_addition_and_rename_survive_a_reload(db, tmp_path):
    guangdong = region("440000")
    path = tmp_path / "register.csv"
    path.write_text(
        HEADER
        + "4144010558,中山大学,广东省,广州市,教育部,本科,\n"
        + "4144010561,华南理工大学,广东省,广州市,教育部,本科,\n",
        encoding="utf-8",
    )
    universities_load(path=path)
    added = University.objects.create(name="广州新设大学", province=guangdong)
    University.objects.filter(code="4144010561").update(name="华南理工大学（五山校区）")
    # A later register renames 中山大学 and changes 华南理工大学's authority.
    path.write_text(
        HEADER
        + "4144010558,中山大学（新名）,广东省,广州市,教育部,本科,\n"
        + "4144010561,华南理工大学,广东省,广州市,广东省,本科,\n",
        encoding="utf-8",
    )
    result = universities_load(path=path)
    assert (result.created, result.updated, result.kept) == (0, 2, 0)
    assert result.renamed_kept == 1 and result.added_by_province == 1
    scut = University.objects.get(code="4144010561")
    assert scut.name == "华南理工大学（五山校区）" and scut.authority == "广东省"
    assert University.objects.get(code="4144010558").name == "中山大学（新名）"
    assert University.objects.filter(pk=added.pk, name="广州新设大学").exists()
    assert universities_load(path=path).kept == 2
