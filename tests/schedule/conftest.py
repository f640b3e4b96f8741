"""A 2030 Guangdong programme year on the template calendar, with staff in every unit.

广州市 has three counties (越秀区, 天河区, 海珠区) and 梅州市 one (梅县区). Tests freeze the clock
at dates of that calendar (tests/schedule/support.py), never the real today.
"""

from types import SimpleNamespace

import pytest

from accounts.models import Role
from positions.models import Region
from schedule.services import programme_year_create
from tests.factories import HostUnitFactory, staff
from tests.schedule.support import YEAR


@pytest.fixture
def cal(gd):
    """The 2030 calendar: plan 3/31, onboard 4/15, summer posts 5/31, summer match 6/30,
    summer practice 7/1–8/31, winter posts 11/30, winter match 12/31, winter practice to
    2031-02-28, summary 2031-03-31."""
    haizhu = Region.objects.create(
        code="440105", name="海珠区", level="county", parent=gd.guangzhou
    )
    programme_year = programme_year_create(province=gd.province, year=YEAR)
    summer = programme_year.seasons.get(kind="summer")
    winter = programme_year.seasons.get(kind="winter")
    unit_yx = HostUnitFactory(county=gd.yuexiu, name="越秀区图书馆")
    unit_th = HostUnitFactory(county=gd.tianhe, name="天河区图书馆")
    return SimpleNamespace(
        **vars(gd),
        haizhu=haizhu,
        programme_year=programme_year,
        summer=summer,
        winter=winter,
        m={m.code: m for m in programme_year.milestones.all()},
        unit_yx=unit_yx,
        unit_th=unit_th,
        province_staff=staff(Role.PROVINCE, region=gd.province, username="gd_province"),
        gz_staff=staff(Role.CITY, region=gd.guangzhou, username="gz_city"),
        mz_staff=staff(Role.CITY, region=gd.meizhou, username="mz_city"),
        yx_staff=staff(Role.COUNTY, region=gd.yuexiu, username="yuexiu"),
        th_staff=staff(Role.COUNTY, region=gd.tianhe, username="tianhe"),
        hz_staff=staff(Role.COUNTY, region=haizhu, username="haizhu"),
        mx_staff=staff(Role.COUNTY, region=gd.meixian, username="meixian"),
    )
