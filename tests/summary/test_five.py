"""The county's five tasks (五个一): its page, the matrix, its Excel, the dashboard panel and the
to-do list, on the summary world of conftest.py (as of 2031-03-20) plus the evidence below.

Counted by hand (quota 4; dates of the 2030 year: last practice 2031-02-28, summer posts
2030-05-31, summer practice 2030-08-31, summary 2031-03-31):

越秀区: 2 published posts (headcount 3 each), 3 reported; one exchange held on 2030-08-10 with 2
  ledger people and 5 others (7); one channel of 2 members and one with nobody (not counted);
  2 ledger entries, none a participant, 1 contacted in the year; 1 verified return, 1 pending.
  1 已逾期 3/4 · 2 已完成 1 次 · 7 人 · 3 已完成 1 个 · 2 人 · 4 已完成 2 人 · 联系 1 · 5 已完成 1 人
天河区: no posts, nobody reported; an exchange registered for 2031-03-25 (planned, not held);
  no channel; 10 entries, none contacted; 6 verified returns.
  1 已逾期 0/4 · 2 已逾期 0 次 · 0 人 · 3 已逾期 0 个 · 0 人 · 4 已逾期 10 人 · 联系 0 · 5 已完成 6 人
梅县区: 2 reported (frozen), nothing else.
  1 已逾期 2/4 · 2 已逾期 · 3 已逾期 · 4 已逾期 0 人 · 联系 0 · 5 未开始 0 人
"""

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent, Role
from demo.summary import png
from ledger import services as ledger
from ledger.models import ContactLog, Entry, EventMaterial
from positions.models import Region
from summary import five, services
from summary.figures import county_figures
from summary.models import Score
from tests.factories import HostUnitFactory, PostFactory, staff
from tests.summary.conftest import AS_OF

pytestmark = pytest.mark.usefixtures("summary_day")

FIVE = reverse("summary:five")


def county_url(county) -> str:
    return reverse("summary:five_county", args=[county.code])


@pytest.fixture
def fw(sw):
    """The summary world with the five tasks' evidence of the module's docstring."""
    yx = list(Entry.objects.filter(county=sw.yuexiu).order_by("pk"))
    sw.exchange = ledger.event_save(
        county=sw.yuexiu,
        actor=sw.yx_staff,
        season=sw.summer,
        title="越秀暑期集中交流",
        date=datetime.date(2030, 8, 10),
        place="越秀区青年之家",
        speakers="区人社局局长",
        attendance_extra=5,
    )
    ledger.event_attendance_set(event=sw.exchange, entries=yx, actor=sw.yx_staff)
    ledger.event_materials_add(
        event=sw.exchange, files=[ContentFile(png(), name="合影.png")], actor=sw.yx_staff
    )
    channel = ledger.channel_save(actor=None, county=sw.yuexiu, kind="alumni", name="越秀校友群")
    ledger.channel_members_set(actor=None, channel=channel, entries=yx)
    ledger.channel_save(actor=None, county=sw.yuexiu, kind="alumni", name="越秀空群")
    ContactLog.objects.create(
        entry=yx[0], date=datetime.date(2030, 9, 1), method="phone", content="联系"
    )
    ContactLog.objects.create(  # before the year: not counted
        entry=yx[1], date=datetime.date(2030, 3, 1), method="phone", content="联系"
    )
    ledger.event_save(
        county=sw.tianhe,
        actor=sw.th_staff,
        season=sw.winter,
        title="天河集中交流（筹备中）",
        date=datetime.date(2031, 3, 25),
        place="天河区团委",
    )
    # The sw world's 越秀 posts are published; a second one makes the headcount 6.
    assert sw.post_summer.status == "published"
    return sw


YUEXIU = {
    "quota": 4,
    "reported": 3,
    "posts_published": 2,
    "posts_headcount": 6,
    "exchanges": 1,
    "exchanges_planned": 0,
    "exchange_attendance": 7,
    "exchange_last": "2030-08-10",
    "channels": 1,
    "channel_members": 2,
    "ledger_entries": 2,
    "ledger_beyond_participants": 2,
    "ledger_contacted": 1,
    "returns_verified": 1,
    "returns_pending": 1,
}
CELLS = {
    "越秀区": [
        ("overdue", "3/4"),
        ("done", "1 次 · 7 人"),
        ("done", "1 个 · 2 人"),
        ("done", "2 人 · 联系 1"),
        ("done", "1 人"),
    ],
    "天河区": [
        ("overdue", "0/4"),
        ("overdue", "0 次 · 0 人"),
        ("overdue", "0 个 · 0 人"),
        ("overdue", "10 人 · 联系 0"),
        ("done", "6 人"),
    ],
    "梅县区": [
        ("overdue", "2/4"),
        ("overdue", "0 次 · 0 人"),
        ("overdue", "0 个 · 0 人"),
        ("overdue", "0 人 · 联系 0"),
        ("not_started", "0 人"),
    ],
}


def cells(tasks) -> list[tuple[str, str]]:
    return [(task.status, task.figure) for task in tasks]


def sheet(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


def test_the_figures_are_counted_by_hand(fw):
    figures = county_figures(fw.programme_year, as_of=AS_OF)
    assert {key: figures[fw.yuexiu.pk][key] for key in YUEXIU} == YUEXIU
    assert figures[fw.tianhe.pk]["exchanges_planned"] == 1
    assert figures[fw.tianhe.pk]["exchanges"] == 0
    found = five.year_tasks(fw.programme_year, as_of=AS_OF)
    names = {fw.yuexiu.pk: "越秀区", fw.tianhe.pk: "天河区", fw.meixian.pk: "梅县区"}
    assert {names[pk]: cells(tasks) for pk, (_f, tasks) in found.items()} == CELLS


def test_page_matrix_excel_dashboard_and_score_show_the_same_numbers(client, fw):
    """One selector: the score stores county_figures, and every screen shows what it returns."""
    services.scores_recompute(programme_year=fw.programme_year, actor=fw.province_staff)
    stored = Score.objects.get(programme_year=fw.programme_year, region=fw.yuexiu).figures
    assert {key: stored[key] for key in YUEXIU} == YUEXIU

    client.force_login(fw.gz_staff)
    page = client.get(county_url(fw.yuexiu), {"year": 2030})
    assert page.status_code == 200
    assert {key: page.context["figures"][key] for key in YUEXIU} == YUEXIU
    assert cells(page.context["tasks"]) == CELLS["越秀区"]
    text = page.content.decode()
    for _status, figure in CELLS["越秀区"]:
        assert figure in text
    assert "越秀暑期集中交流" in text and "区人社局局长" in text and "合影.png" in text
    assert "越秀校友群" in text

    matrix = client.get(FIVE, {"year": 2030})
    rows = {row.county.name: cells(row.tasks) for row in matrix.context["rows"]}
    assert rows == {"越秀区": CELLS["越秀区"], "天河区": CELLS["天河区"]}  # 广州市's only

    export = client.get(reverse("summary:five_export"), {"year": 2030})
    header, *data = sheet(export)
    yuexiu = dict(zip(header, data[0], strict=True))
    assert yuexiu["县（市、区）"] == "越秀区"
    assert yuexiu["1. 开发一批实践岗位"] == "已逾期" and yuexiu["岗位：数据"] == "3/4"
    assert yuexiu["集中交流：数据"] == "1 次 · 7 人"
    assert yuexiu["已报到人数"] == 3 and yuexiu["集中交流出席人数"] == 7
    assert yuexiu["渠道联系人数"] == 2 and yuexiu["本年度联系人数"] == 1
    assert yuexiu["返乡就业创业（已核实）"] == 1
    assert AuditEvent.objects.filter(action="export", actor=fw.gz_staff).count() == 1

    board = client.get(reverse("dashboards:region", args=[fw.guangzhou.code]), {"year": 2030})
    panel = board.context["five"]
    assert panel.counties == 2
    assert panel.counts["exchange"] == {"overdue": 1, "not_started": 0, "in_progress": 0, "done": 1}
    assert panel.counts["returns"]["done"] == 2 and panel.counts["posts"]["overdue"] == 2

    client.force_login(fw.yx_staff)
    own = client.get(reverse("dashboards:region", args=[fw.yuexiu.code]), {"year": 2030})
    assert cells(own.context["five"].tasks) == CELLS["越秀区"]


def test_the_province_sees_every_county_grouped_by_city_and_filters(client, fw):
    client.force_login(fw.province_staff)
    page = client.get(FIVE, {"year": 2030})
    assert [r.county.name for r in page.context["rows"]] == ["越秀区", "天河区", "梅县区"]
    assert "广州市" in page.content.decode() and "梅州市" in page.content.decode()
    by_city = client.get(FIVE, {"year": 2030, "city": fw.meizhou.code})
    assert [r.county.name for r in by_city.context["rows"]] == ["梅县区"]
    not_started = client.get(FIVE, {"year": 2030, "status": "not_started"})
    assert [r.county.name for r in not_started.context["rows"]] == ["梅县区"]
    returns_done = client.get(FIVE, {"year": 2030, "task": "returns", "status": "done"})
    assert [r.county.name for r in returns_done.context["rows"]] == ["越秀区", "天河区"]
    export = client.get(reverse("summary:five_export"), {"year": 2030, "status": "not_started"})
    assert [row[1] for row in sheet(export)[1:]] == ["梅县区"]


@pytest.mark.parametrize(
    "query",
    [
        {"year": "abc"},
        {"year": 2030, "city": "999999"},
        {"year": 2030, "task": "<script>"},
        {"year": 2030, "status": "🙂"},
        {"year": 2030, "city": ["440100", "441400"]},
    ],
)
def test_no_query_value_gives_a_500(client, fw, query):
    client.force_login(fw.province_staff)
    assert client.get(FIVE, query).status_code in (200, 404)
    assert client.get(reverse("summary:five_export"), query).status_code in (200, 404)


def test_a_county_reads_its_own_page_and_is_sent_there_from_the_matrix(client, fw):
    client.force_login(fw.yx_staff)
    response = client.get(FIVE, {"year": 2030})
    assert response.status_code == 302
    assert response["Location"] == f"{county_url(fw.yuexiu)}?year=2030"
    assert client.get(county_url(fw.yuexiu)).status_code == 200
    assert client.get(reverse("summary:five_export"), {"year": 2030}).status_code == 404


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("yx_staff", 200),
        ("gz_staff", 200),
        ("province_staff", 200),
        ("th_staff", 404),
        ("mz_staff", 404),
        ("gx_staff", 404),
        ("yx_host", 404),
        ("zsu_staff", 404),
    ],
)
def test_yuexius_page_is_read_by_its_own_levels_only(client, fw, reader, status):
    client.force_login(getattr(fw, reader))
    assert client.get(county_url(fw.yuexiu)).status_code == status


def test_students_and_the_anonymous_never_reach_the_five_tasks(client, fw):
    assert client.get(county_url(fw.yuexiu)).status_code == 302  # to the sign-in page
    client.force_login(fw.s1.user)
    for url in (FIVE, county_url(fw.yuexiu), reverse("summary:five_export")):
        assert client.get(url).status_code == 404
    client.force_login(fw.yx_host)
    assert client.get(FIVE).status_code == 404


def _counties(sw, n: int, start: int) -> None:
    for k in range(start, start + n):
        county = Region.objects.create(
            code=f"4401{k:02d}", name=f"测试{k}区", level="county", parent=sw.guangzhou
        )
        PostFactory(host_unit=HostUnitFactory(county=county), season=sw.summer)
        channel = ledger.channel_save(actor=None, county=county, kind="alumni", name=f"群{k}")
        entry = Entry.objects.create(county=county, name=f"人{k}", phone=f"1390000{k:04d}")
        ledger.channel_members_set(actor=None, channel=channel, entries=[entry])


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, {"year": 2030}).status_code == 200
    return len(captured.captured_queries)


def test_the_matrix_and_the_panel_cost_the_same_for_2_or_6_counties(client, fw):
    client.force_login(fw.gz_staff)
    board = reverse("dashboards:region", args=[fw.guangzhou.code])
    export = reverse("summary:five_export")
    few = [_queries(client, url) for url in (FIVE, board)]
    with CaptureQueriesContext(connection) as captured:
        client.get(export, {"year": 2030})
    few_export = len(captured.captured_queries)
    _counties(fw, 4, start=60)
    assert [_queries(client, url) for url in (FIVE, board)] == few
    with CaptureQueriesContext(connection) as captured:
        rows = sheet(client.get(export, {"year": 2030}))
    assert len(rows) == 1 + 6
    assert len(captured.captured_queries) == few_export


def test_the_county_page_costs_the_same_however_much_evidence(client, fw):
    client.force_login(fw.yx_staff)
    few = _queries(client, county_url(fw.yuexiu))
    for n in range(3):
        event = ledger.event_save(
            county=fw.yuexiu,
            actor=fw.yx_staff,
            season=fw.winter,
            title=f"越秀寒假交流{n}",
            date=datetime.date(2031, 1, 10 + n),
            place="青年之家",
        )
        ledger.event_materials_add(
            event=event, files=[ContentFile(png(), name=f"{n}.png")], actor=fw.yx_staff
        )
        ledger.channel_save(actor=None, county=fw.yuexiu, kind="association", name=f"促进会{n}")
    assert _queries(client, county_url(fw.yuexiu)) == few


def test_the_year_dates_decide_overdue_and_not_started():
    dates = five.Dates(
        last_practice=datetime.date(2031, 2, 28),
        summer_posts=datetime.date(2030, 5, 31),
        summer_practice=datetime.date(2030, 8, 31),
        summary=datetime.date(2031, 3, 31),
    )
    empty = dict.fromkeys(YUEXIU, 0) | {"quota": 50, "exchange_last": None}
    early = five.tasks(empty, dates, as_of=datetime.date(2030, 4, 20))
    assert [t.status for t in early] == ["not_started"] * 5
    started = empty | {"posts_published": 3, "exchanges_planned": 1, "ledger_entries": 4}
    started |= {"returns_pending": 1}
    june = five.tasks(started, dates, as_of=datetime.date(2030, 6, 1))
    assert [t.status for t in june] == [
        "in_progress",
        "in_progress",
        "overdue",  # no channel by the summer posts date
        "in_progress",
        "in_progress",
    ]
    done = started | {"reported": 50, "exchanges": 1, "channels": 1, "channel_members": 3}
    done |= {"ledger_beyond_participants": 1, "ledger_contacted": 1, "returns_verified": 2}
    late = five.tasks(done, dates, as_of=datetime.date(2031, 3, 30))
    assert [t.status for t in late] == ["done"] * 5  # done late still counts as done
    assert [t.due for t in late] == [
        dates.last_practice,
        dates.last_practice,
        dates.summer_posts,
        dates.summer_practice,
        dates.summary,
    ]


def test_an_overdue_task_is_on_the_countys_to_do_list(client, fw):
    client.force_login(fw.yx_staff)
    todos = {t.key: t for t in client.get(reverse("home")).context["todos"]}
    item = todos["five_tasks"]
    assert item.count == 1 and item.urgent  # 1 开发一批实践岗位 is overdue
    assert "开发一批实践岗位" in item.title
    client.force_login(fw.gz_staff)
    assert "five_tasks" not in {t.key for t in client.get(reverse("home")).context["todos"]}


def test_the_sidebar_names_the_page_for_each_level(client, fw):
    client.force_login(fw.yx_staff)
    assert "五个一" in client.get(reverse("home")).content.decode()
    client.force_login(fw.province_staff)
    assert "五个一进展" in client.get(reverse("home")).content.decode()
    client.force_login(fw.zsu_staff)
    assert "五个一" not in client.get(reverse("home")).content.decode()


def test_exchange_photos_and_minutes_are_served_to_readers_only(client, fw):
    material = EventMaterial.objects.get(event=fw.exchange)
    url = reverse("ledger:event_material", args=[fw.exchange.pk, material.pk])
    client.force_login(fw.gz_staff)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    client.force_login(fw.th_staff)
    assert client.get(url).status_code == 404
    client.force_login(fw.gz_staff)
    delete = reverse("ledger:event_material_delete", args=[fw.exchange.pk, material.pk])
    assert client.post(delete).status_code == 403  # 广州市 reads 越秀's exchange, changes nothing
    upload = reverse("ledger:event_materials", args=[fw.exchange.pk])
    photo = ContentFile(png(), name="市里的.png")
    assert client.post(upload, {"materials": [photo]}).status_code == 403
    assert client.get(upload).status_code == 405  # uploads are POSTs only
    client.force_login(fw.yx_staff)
    assert client.post(delete).status_code == 302
    assert not EventMaterial.objects.filter(pk=material.pk).exists()


def test_a_bad_file_is_refused_by_name_and_nothing_is_saved(client, fw):
    client.force_login(fw.yx_staff)
    url = reverse("ledger:event_materials", args=[fw.exchange.pk])
    fake = ContentFile(b"not a pdf", name="纪要.pdf")
    good = ContentFile(png(), name="二.png")
    response = client.post(url, {"materials": [good, fake]})
    assert response.status_code == 200
    assert "纪要.pdf" in response.content.decode() and "文件扩展名与内容不符" in (
        response.content.decode()
    )
    assert EventMaterial.objects.filter(event=fw.exchange).count() == 1
    exe = ContentFile(b"MZ", name="病毒.exe")
    response = client.post(url, {"materials": [exe]})
    assert "只接受 JPG、PNG 照片或 PDF、Word、WPS 纪要" in response.content.decode()
    minutes = ContentFile(b"%PDF-1.4\n%%EOF\n", name="会议纪要.pdf")
    assert client.post(url, {"materials": [minutes]}).status_code == 302
    assert EventMaterial.objects.filter(event=fw.exchange).count() == 2
    saved = EventMaterial.objects.get(original_name="会议纪要.pdf")
    download = client.get(reverse("ledger:event_material", args=[fw.exchange.pk, saved.pk]))
    assert download["Content-Disposition"].startswith("attachment")  # never rendered inline
    assert AuditEvent.objects.filter(action="ledger.event_material").count() == 2


def test_an_exchange_counts_the_people_not_in_the_ledger(client, fw):
    client.force_login(fw.yx_staff)
    text = client.get(reverse("ledger:event_list")).content.decode()
    assert "7 人" in text and "每个实践季" not in text
    detail = client.get(reverse("ledger:event_detail", args=[fw.exchange.pk])).content.decode()
    assert "7 人（台账人员 2 人，其他 5 人）" in detail


def test_another_countys_staff_of_the_same_city_get_404_on_the_page(client, fw):
    other = staff(Role.COUNTY, region=fw.tianhe, username="tianhe2")
    client.force_login(other)
    assert client.get(county_url(fw.yuexiu)).status_code == 404
    assert client.get(county_url(fw.tianhe)).status_code == 200
