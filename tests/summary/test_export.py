"""The score table in Excel: the rows the user may read, nothing more; audited."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from schedule.models import ProgrammeYear
from summary import services
from summary.models import Score
from tests.summary.conftest import AS_OF

pytestmark = pytest.mark.usefixtures("summary_day")


def export_url(programme_year) -> str:
    return reverse("summary:scores_export", args=[programme_year.pk])


def sheet(response) -> list[list]:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    workbook = load_workbook(io.BytesIO(body), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def rows_for(client, user, programme_year, kind="county") -> list[list]:
    client.force_login(user)
    response = client.get(export_url(programme_year), {"kind": kind})
    assert response.status_code == 200
    return sheet(response)


def units(client, user, programme_year, kind="county") -> list[str]:
    return [row[1] for row in rows_for(client, user, programme_year, kind)[1:]]


@pytest.fixture
def scored(sw):
    services.scores_recompute(
        programme_year=sw.programme_year, actor=sw.province_staff, as_of=AS_OF
    )
    yuexiu = Score.objects.get(region=sw.yuexiu)
    services.score_adjust(
        score=yuexiu, adjustment=-1, reason='=HYPERLINK("x")', actor=sw.province_staff
    )
    return sw


def publish(sw):
    services.commendations_choose(
        programme_year=sw.programme_year,
        scores=Score.objects.filter(region=sw.yuexiu),
        actor=sw.province_staff,
    )
    services.commendations_publish(
        programme_year=sw.programme_year, title="", note="", actor=sw.province_staff
    )


def test_the_province_exports_every_county_with_parts_and_figures(client, scored):
    rows = rows_for(client, scored.province_staff, scored.programme_year)
    header, data = rows[0], rows[1:]
    assert header[:3] == ["名次", "县（市、区）", "所属地市"]
    assert "岗位与报到（30分）" in header and "最终得分" in header
    assert [r[1] for r in data] == ["越秀区", "天河区", "梅县区"]  # 60.3, 25.0, 15.0
    yuexiu = dict(zip(header, data[0], strict=True))
    assert yuexiu["岗位与报到（30分）"] == 22.5
    assert yuexiu["岗位与报到：依据"] == "3 / 4"
    assert yuexiu["联系台账：依据"] == "1 / 4"  # contacted in the year over the rule's target
    assert yuexiu["计算得分"] == 61.3 and yuexiu["最终得分"] == 60.3
    assert yuexiu["调整原因"] == '=HYPERLINK("x")'  # text, never a formula
    event = AuditEvent.objects.get(action="export")
    assert event.actor == scored.province_staff and event.data["rows"] == 3
    universities = units(client, scored.province_staff, scored.programme_year, "university")
    assert universities == ["中山大学", "华南理工大学"]
    assert units(client, scored.province_staff, scored.programme_year, "city") == [
        "广州市",
        "梅州市",
    ]


def test_before_publication_only_the_province_exports(client, scored):
    for user in (scored.gz_staff, scored.yx_staff, scored.zsu_staff):
        client.force_login(user)
        assert client.get(export_url(scored.programme_year)).status_code == 404


def test_after_publication_each_export_keeps_to_its_scope(client, scored):
    publish(scored)
    year = scored.programme_year
    assert units(client, scored.gz_staff, year) == ["越秀区", "天河区"]
    assert units(client, scored.mz_staff, year) == ["梅县区"]
    assert units(client, scored.gz_staff, year, "city") == ["广州市"]
    assert units(client, scored.yx_staff, year, "city") == []
    assert units(client, scored.yx_staff, year) == ["越秀区"]
    assert units(client, scored.gz_staff, year, "university") == []
    assert units(client, scored.zsu_staff, year, "university") == ["中山大学"]
    assert units(client, scored.zsu_staff, year, "county") == []
    for user in (scored.yx_host, scored.s1.user, scored.gx_staff):
        client.force_login(user)
        assert client.get(export_url(year)).status_code == 404
    guangxi = ProgrammeYear.objects.get(province=scored.guangxi)
    assert units(client, scored.gx_staff, guangxi) == []
