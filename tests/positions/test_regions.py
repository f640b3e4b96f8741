"""The real GB/T 2260 regions, with 镇街 as the practice unit where a city has no counties."""

import pytest
from django.core.management import call_command

from positions.models import Region


@pytest.fixture
def regions(db):
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_guangdong_has_21_cities_and_181_practice_units(regions):
    guangdong = Region.objects.get(code="440000", level="province")
    assert Region.objects.filter(parent=guangdong, level="city").count() == 21
    units = Region.objects.filter(parent__parent=guangdong, level="county")
    assert units.count() == 181
    assert units.filter(parent__name="东莞市").count() == 36
    assert units.filter(parent__name="中山市").count() == 23


def test_cities_without_counties_use_their_towns(regions):
    assert Region.objects.get(code="441900121").name == "虎门镇"
    assert Region.objects.get(code="441900121").level == "county"
    assert Region.objects.filter(parent__code="460400", level="county").exists()  # 儋州
    assert Region.objects.filter(parent__code="620200", level="county").count() == 5  # 嘉峪关


def test_the_whole_country(regions):
    assert Region.objects.filter(level="province").count() == 31
    assert Region.objects.filter(level="county").count() == 3056
    assert not Region.objects.filter(level="county", parent__level="province").exists()


def test_municipalities_have_a_city_named_after_them(regions):
    assert Region.objects.get(code="110100").name == "北京市"
    chongqing = Region.objects.get(code="500100")
    assert chongqing.name == "重庆市"
    assert Region.objects.filter(parent=chongqing, name="城口县").exists()


def test_loading_again_changes_nothing(regions, capsys):
    call_command("load_regions")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert Region.objects.count() == 3428


def test_a_renamed_region_is_put_right_on_reload(regions):
    Region.objects.filter(code="440104").update(name="旧名")
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Region.objects.get(code="440104").name == "越秀区"
