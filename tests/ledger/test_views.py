"""The contact ledger in the browser, as each role meets it: 越秀区's staff own its ledger, 广州市
and 广东省 staff read it (403 on any change), 天河区, 梅州市 and every other role get 404, and the
anonymous are sent to sign in. Then what county staff do with it: enter people, log contacts,
merge duplicates, import Excel, send notices, record exchanges and return registrations."""

import csv
import datetime
import io
import re
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import resolve, reverse
from openpyxl import Workbook, load_workbook

from accounts.models import AuditEvent, Notice
from accounts.validators import id_number_make as id_number
from ledger import excel, imports, services, tasks
from ledger.models import (
    Channel,
    ContactLog,
    Delivery,
    Entry,
    ExchangeEvent,
    ImportJob,
    ReturnRegistration,
)
from ledger.selectors import delivery_from_token, delivery_token
from tests.factories import StudentFactory, season, staff

NOW = datetime.datetime(2026, 10, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=True):
        yield


# The right digits with the wrong check digit.
BAD_ID_NUMBER = id_number(1)[:-1] + ("1" if id_number(1)[-1] != "1" else "2")


def phone(n: int) -> str:
    return f"1380013{n:04d}"


def _entry(county, n: int, **fields) -> Entry:
    values = {"name": f"越秀{n}号", "id_number": id_number(n), "phone": phone(n)} | fields
    return services.entry_create(actor=None, county=county, **values)


def _as(client, user) -> Client:
    client.force_login(user)
    return client


def _xlsx(rows: list[dict]) -> bytes:
    """A workbook with the template's header and the rows (dicts keyed by header text)."""
    header = excel.headers()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(h) for h in header])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _upload(rows: list[dict], name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, _xlsx(rows), content_type=excel.XLSX_TYPE)


def _row(n: int, **cells) -> dict:
    return {"姓名": f"导入{n}", "身份证号": id_number(n), "手机号": phone(n)} | cells


def _sheet(response) -> list[list]:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def _field_error(response, name: str) -> str:
    """The error shown right below the field `name` (empty if none)."""
    html = response.content.decode()
    found = re.search(
        rf'name="{name}"[^>]*>\s*<div class="invalid-feedback d-block"[^>]*>([^<]*)</div>', html
    )
    return found.group(1) if found else ""


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# 越秀区's ledger, and who reaches it ----------------------------------------------------------


@pytest.fixture
def yx(world):
    """越秀区's ledger with one of everything: an entry, a channel, a notice, an exchange, a
    return registration and an import job."""
    entry = _entry(world.yuexiu, 1, name="越秀张三", email="zhangsan@example.com")
    second = _entry(world.yuexiu, 2, name="越秀李四")
    channel = services.channel_save(
        actor=None, county=world.yuexiu, kind="alumni", name="越秀中学校友群"
    )
    channel.members.add(entry)
    notice = services.notice_send(
        county=world.yuexiu,
        actor=world.yx_staff,
        category="activity",
        title="越秀座谈会",
        body="十月座谈",
        entries=Entry.objects.filter(pk=entry.pk),
        filters={},
    )
    event = services.event_save(
        actor=None,
        county=world.yuexiu,
        season=season(),
        title="越秀集中交流",
        date=datetime.date(2026, 8, 10),
        place="越秀区团委",
    )
    registration = services.registration_save(
        actor=None, entry=entry, kind="employment", year=2026, organisation="越秀区图书馆"
    )
    job = imports.job_create(
        county=world.yuexiu, upload=_upload([_row(3)], "越秀导入.xlsx"), actor=world.yx_staff
    )
    assert ImportJob.objects.get().status == "ready"
    return SimpleNamespace(
        **vars(world),
        entry=entry,
        second=second,
        channel=channel,
        notice=notice,
        event=event,
        registration=registration,
        job=job,
    )


READS = [
    ("ledger:entry_detail", "entry"),
    ("ledger:channel_detail", "channel"),
    ("ledger:notice_detail", "notice"),
    ("ledger:event_detail", "event"),
]


def _writes(yx) -> list[tuple[str, str, str, dict | None]]:
    """(method, url name, object, data): every change to one of 越秀's objects."""
    return [
        ("get", "ledger:entry_edit", "entry", None),
        (
            "post",
            "ledger:entry_edit",
            "entry",
            {"name": "改名", "phone": phone(9), "source": "other", "intention": "undecided"},
        ),
        ("post", "ledger:entry_delete", "entry", {}),
        ("post", "ledger:entry_merge", "entry", {"other": yx.second.pk}),
        (
            "post",
            "ledger:contact_add",
            "entry",
            {"date": "2026-10-14", "method": "phone", "content": "越权联系"},
        ),
        (
            "post",
            "ledger:registration_add",
            "entry",
            {"kind": "startup", "year": "2026", "organisation": "越权创业"},
        ),
        ("get", "ledger:channel_edit", "channel", None),
        ("post", "ledger:channel_edit", "channel", {"kind": "other", "name": "改名渠道"}),
        ("get", "ledger:event_edit", "event", None),
        (
            "post",
            "ledger:event_edit",
            "event",
            {
                "season": yx.event.season_id,
                "title": "改名活动",
                "date": "2026-08-11",
                "place": "别处",
            },
        ),
        ("post", "ledger:event_detail", "event", {"people": "越秀张三"}),
        ("post", "ledger:registration_decide", "registration", {"decision": "verify"}),
    ]


LIST_PAGES = [
    "ledger:entry_list",
    "ledger:entry_create",
    "ledger:duplicates",
    "ledger:export",
    "ledger:template",
    "ledger:import_upload",
    "ledger:channel_list",
    "ledger:channel_create",
    "ledger:notice_list",
    "ledger:notice_create",
    "ledger:event_list",
    "ledger:event_create",
    "ledger:registration_list",
]


IMPORT = [
    ("get", "ledger:import_job", "job", None),
    ("post", "ledger:import_confirm", "job", {}),
]


def _walk(client, yx, requests) -> dict[str, int]:
    statuses = {}
    for method, name, key, data in requests:
        url = reverse(name, args=[getattr(yx, key).pk])
        response = client.get(url) if method == "get" else client.post(url, data)
        statuses[f"{method.upper()} {name}"] = response.status_code
    return statuses


def _state(yx) -> tuple:
    """Everything the walks above could change."""
    return (
        sorted(Entry.objects.values_list("pk", "name", "phone")),
        ContactLog.objects.count(),
        sorted(ReturnRegistration.objects.values_list("pk", "kind", "status")),
        sorted(Channel.objects.values_list("name", flat=True)),
        list(ExchangeEvent.objects.values_list("title", "date")),
        yx.event.attendees.count(),
        list(ImportJob.objects.values_list("status", flat=True)),
    )


def test_the_county_reaches_everything_it_owns(client, yx):
    _as(client, yx.yx_staff)
    gets = [("get", name, key, None) for name, key in READS]
    gets += [w for w in _writes(yx) if w[0] == "get"] + IMPORT[:1]
    assert set(_walk(client, yx, gets).values()) == {200}


def test_another_countys_staff_get_404_on_everything_and_change_nothing(client, yx):
    before = _state(yx)
    _as(client, yx.th_staff)
    reads = _walk(client, yx, [("get", name, key, None) for name, key in READS])
    writes = _walk(client, yx, _writes(yx) + IMPORT)
    assert set(reads.values()) == {404}, reads
    assert set(writes.values()) == {404}, writes
    assert _state(yx) == before
    uploads = client.get(reverse("ledger:import_upload")).content.decode()
    assert "越秀导入.xlsx" not in uploads


@pytest.mark.parametrize("reader", ["gz_staff", "province_staff"])
def test_the_city_and_province_above_read_but_every_change_is_403(client, yx, reader):
    before = _state(yx)
    _as(client, getattr(yx, reader))
    reads = _walk(client, yx, [("get", name, key, None) for name, key in READS])
    writes = _walk(client, yx, _writes(yx))
    assert set(reads.values()) == {200}, reads
    assert set(writes.values()) == {403}, writes
    # An import job is the county's own work in progress: not even shown to readers.
    assert set(_walk(client, yx, IMPORT).values()) == {404}
    assert _state(yx) == before


@pytest.mark.parametrize("outsider", ["mz_staff", "yx_host", "uni_staff", "student"])
def test_another_city_and_non_ledger_roles_get_404_on_every_object(client, yx, outsider):
    before = _state(yx)
    _as(client, getattr(yx, outsider))
    reads = _walk(client, yx, [("get", name, key, None) for name, key in READS])
    writes = _walk(client, yx, _writes(yx) + IMPORT)
    assert set(reads.values()) == {404}, reads
    assert set(writes.values()) == {404}, writes
    assert _state(yx) == before


@pytest.mark.parametrize("outsider", ["yx_host", "uni_staff", "student"])
def test_hosts_universities_and_students_get_404_on_every_ledger_page(client, world, outsider):
    _as(client, getattr(world, outsider))
    statuses = {name: client.get(reverse(name)).status_code for name in LIST_PAGES}
    assert set(statuses.values()) == {404}, statuses


def test_the_anonymous_are_sent_to_sign_in(client, yx):
    login = reverse("accounts:login")
    urls = [reverse(name) for name in LIST_PAGES]
    urls += [reverse(name, args=[getattr(yx, key).pk]) for name, key in READS]
    urls += [reverse("ledger:import_job", args=[yx.job.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(login), url


@pytest.mark.parametrize(
    ("outsider", "own"), [("th_staff", ["天河王五"]), ("mz_staff", [])], ids=["天河区", "梅州市"]
)
def test_another_countys_or_citys_lists_and_export_never_show_its_people(client, yx, outsider, own):
    _entry(yx.tianhe, 5, name="天河王五", id_number="")
    _as(client, getattr(yx, outsider))
    pages = {
        name: client.get(reverse(name)).content.decode()
        for name in (
            "ledger:entry_list",
            "ledger:channel_list",
            "ledger:notice_list",
            "ledger:event_list",
            "ledger:registration_list",
        )
    }
    assert ("天河王五" in pages["ledger:entry_list"]) == bool(own)
    for name, html in pages.items():
        for secret in ("越秀张三", "越秀李四", "越秀中学校友群", "越秀座谈会", "越秀集中交流"):
            assert secret not in html, (name, secret)

    rows = _sheet(client.get(reverse("ledger:export")))
    assert rows[0] == excel.headers()
    assert [row[1] for row in rows[1:]] == own
    everything = repr(rows)
    assert id_number(1) not in everything and phone(1) not in everything


def _export_row(client, user, name: str) -> list:
    rows = _sheet(_as(client, user).get(reverse("ledger:export")))
    return next(row for row in rows if row[1] == name)


def test_county_staff_export_id_numbers_and_phones_in_full_and_readers_get_them_masked(client, yx):
    full = _export_row(client, yx.yx_staff, "越秀张三")
    assert (full[0], full[2], full[3]) == ("440104", id_number(1), phone(1))
    for reader in (yx.gz_staff, yx.province_staff):
        masked = _export_row(client, reader, "越秀张三")
        assert masked[2] == id_number(1)[:4] + "*" * 10 + id_number(1)[-4:]
        assert masked[3] == "138****0001"
    exports = AuditEvent.objects.filter(action="export")
    assert sorted(e.data["masked"] for e in exports) == [False, True, True]


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert ".csv" in response["Content-Disposition"]
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


def test_the_ledger_also_downloads_as_csv_filtered_masked_for_readers_and_recorded(client, yx):
    _entry(yx.yuexiu, 3, name="=越秀王五", notes="@备注")
    query = {"format": "csv", "q": "越秀"}

    full = _csv(_as(client, yx.yx_staff).get(reverse("ledger:export"), query))
    assert full[0] == excel.headers()
    assert [row[1] for row in full[1:]] == ["越秀张三", "越秀李四", "'=越秀王五"]
    assert full[1][:4] == ["440104", "越秀张三", id_number(1), phone(1)]
    assert full[3][13] == "'@备注"  # formulas defused, as in every CSV export
    masked = _csv(_as(client, yx.gz_staff).get(reverse("ledger:export"), query))
    assert masked[1][2:4] == [id_number(1)[:4] + "*" * 10 + id_number(1)[-4:], "138****0001"]
    assert id_number(1) not in repr(masked) and phone(1) not in repr(masked)

    events = AuditEvent.objects.filter(action="export").order_by("pk")
    assert [(e.data["format"], e.data["masked"]) for e in events] == [("csv", False), ("csv", True)]
    assert (
        events[0].data["filters"] == {"关键词": "越秀"} and events[0].data["export"] == "联系台账"
    )


def test_the_ledger_page_offers_the_filtered_csv_next_to_excel(client, yx):
    page = _as(client, yx.yx_staff).get(reverse("ledger:entry_list"), {"q": "越秀"})
    html = page.content.decode()
    link = f"{reverse('ledger:export')}?q=%E8%B6%8A%E7%A7%80&format=csv"
    assert "导出 Excel" in html and f'href="{link}"' in html
    assert _csv(client.get(link))[1][1] == "越秀张三"


def test_the_city_reads_a_masked_phone_on_the_entry_page(client, yx):
    page = _as(client, yx.gz_staff).get(reverse("ledger:entry_detail", args=[yx.entry.pk]))
    html = page.content.decode()
    assert "138****0001" in html and phone(1) not in html and id_number(1) not in html


NOTE = "父亲电话13912345678，身份证44010419990101123X，座机020-83001234，邮箱 zhang.san@qq.com。"


def test_numbers_typed_into_notes_and_contact_records_are_masked_for_readers(client, yx):
    entry = _entry(yx.yuexiu, 7, name="越秀赵六", notes=NOTE)
    services.contact_add(entry=entry, actor=yx.yx_staff, date=TODAY, method="phone", content=NOTE)
    url = reverse("ledger:entry_detail", args=[entry.pk])
    secrets = ("13912345678", "44010419990101123X", "020-83001234", "zhang.san@qq.com")

    own = _as(client, yx.yx_staff).get(url).content.decode()
    assert all(own.count(secret) == 2 for secret in secrets)  # the note and the record
    full = _export_row(client, yx.yx_staff, "越秀赵六")
    assert full[13] == NOTE

    for reader in (yx.gz_staff, yx.province_staff):
        html = _as(client, reader).get(url).content.decode()
        assert not any(secret in html for secret in secrets)
        assert html.count("父亲电话139****5678，身份证4401**********123X") == 2
        assert "020*****1234" in html and "z***@qq.com" in html
        masked = _export_row(client, reader, "越秀赵六")
        assert masked[13] == (
            "父亲电话139****5678，身份证4401**********123X，座机020*****1234，邮箱 z***@qq.com。"
        )


def test_a_contact_by_staff_whose_account_was_deleted_still_shows(client, yx):
    gone = staff("county", region=yx.yuexiu, username="离职干部")
    services.contact_add(entry=yx.entry, actor=gone, date=TODAY, method="visit", content="上门走访")
    gone.delete()
    page = _as(client, yx.yx_staff).get(reverse("ledger:entry_detail", args=[yx.entry.pk]))
    assert page.status_code == 200 and "上门走访" in page.content.decode()


def test_the_ledger_list_has_bounded_queries(client, world, django_assert_max_num_queries):
    for n in range(30):
        _entry(world.yuexiu if n % 2 else world.tianhe, n + 10)
    _as(client, world.gz_staff)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("ledger:entry_list"))
    assert page.context["page"].paginator.count == 30


def _links(response, table: str) -> list[str]:
    html = response.content.decode().split(f'id="{table}"')[1].split("</table>")[0]
    return re.findall(r'<a href="/ledger/[a-z]+/\d+/">([^<]+)</a>', html)


def test_the_notice_list_shows_the_newest_first(client, world):
    entry = _entry(world.yuexiu, 1)
    for title, days_ago in (("第一", 1), ("第四", 4), ("第二", 2), ("第三", 3)):
        with time_machine.travel(NOW - datetime.timedelta(days=days_ago)):
            services.notice_send(
                county=world.yuexiu,
                actor=world.yx_staff,
                category="activity",
                title=title,
                body="正文",
                entries=Entry.objects.filter(pk=entry.pk),
                filters={},
            )
    page = _as(client, world.yx_staff).get(reverse("ledger:notice_list"))
    assert _links(page, "notice-table") == ["第一", "第二", "第三", "第四"]


def test_the_exchange_list_shows_the_latest_first(client, world):
    summer = season()
    for title, day in (("甲", 10), ("丁", 1), ("乙", 8), ("丙", 5)):
        services.event_save(
            actor=None,
            county=world.yuexiu,
            season=summer,
            title=title,
            date=datetime.date(2026, 8, day),
            place="越秀区团委",
        )
    page = _as(client, world.yx_staff).get(reverse("ledger:event_list"))
    assert _links(page, "event-table") == ["甲", "乙", "丙", "丁"]


# Entering people ------------------------------------------------------------------------------


def _entry_form(**fields) -> dict:
    return {"source": "other", "intention": "undecided"} | fields


def test_county_staff_enter_a_person_and_see_them_on_their_page(client, world):
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:entry_create"),
        _entry_form(name="新登记", id_number=id_number(7).lower(), phone="138 0013 0007"),
    )
    entry = Entry.objects.get(name="新登记")
    assert response.status_code == 302 and response["Location"] == reverse(
        "ledger:entry_detail", args=[entry.pk]
    )
    assert (entry.county, entry.id_number, entry.phone) == (world.yuexiu, id_number(7), phone(7))
    assert AuditEvent.objects.filter(action="ledger.create", target_id=entry.pk).exists()


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"id_number": BAD_ID_NUMBER}, "id_number", "身份证号无效"),
        ({"phone": "12345"}, "phone", "不是有效的中国大陆手机号或固定电话"),
        ({}, "phone", "身份证号和手机号至少填写一项。"),
    ],
    ids=["bad id number", "bad phone", "neither"],
)
def test_a_bad_entry_is_refused_beside_the_field_keeping_what_was_typed(
    client, world, typed, field, message
):
    _as(client, world.yx_staff)
    data = _entry_form(name="王小明", university="中山大学", **typed)
    response = client.post(reverse("ledger:entry_create"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in _field_error(response, field)
    assert 'value="王小明"' in html and 'value="中山大学"' in html
    for value in typed.values():
        assert f'value="{value}"' in html
    assert not Entry.objects.exists()


def test_one_person_one_entry_the_same_phone_without_id_number_is_refused(client, world):
    _entry(world.yuexiu, 1, id_number="")
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:entry_create"), _entry_form(name="又一个", phone=phone(1))
    )
    assert response.status_code == 200
    assert "已登记此手机号" in _field_error(response, "phone")
    assert Entry.objects.count() == 1


def test_one_person_one_entry_the_same_id_number_is_refused(client, world):
    _entry(world.yuexiu, 1)
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:entry_create"),
        _entry_form(name="同一人", id_number=id_number(1), phone=phone(2)),
    )
    assert response.status_code == 200
    assert "本县台账中已有此身份证号的人员" in _field_error(response, "id_number")
    assert Entry.objects.count() == 1


def test_another_county_may_hold_the_same_person(client, world):
    _entry(world.tianhe, 1)
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:entry_create"),
        _entry_form(name="越秀也有", id_number=id_number(1), phone=phone(1)),
    )
    assert response.status_code == 302
    assert Entry.objects.filter(county=world.yuexiu).count() == 1


def test_editing_keeps_the_id_number_left_blank_and_saves_the_channels_ticked(client, world):
    entry = _entry(world.yuexiu, 1, university="华南师范大学")
    alumni = services.channel_save(
        actor=None, county=world.yuexiu, kind="alumni", name="越秀中学校友群"
    )
    association = services.channel_save(
        actor=None, county=world.yuexiu, kind="association", name="促进会"
    )
    services.channel_save(actor=None, county=world.yuexiu, kind="other", name="未勾选")
    _as(client, world.yx_staff)
    url = reverse("ledger:entry_edit", args=[entry.pk])
    form = client.get(url).content.decode()
    assert id_number(1) not in form and entry.id_number_masked in form

    response = client.post(
        url,
        _entry_form(
            name=entry.name,
            id_number="",
            phone=entry.phone,
            university="中山大学",
            channels=[alumni.pk, association.pk],
        ),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.id_number == id_number(1) and entry.university == "中山大学"
    assert set(entry.channels.all()) == {alumni, association}
    detail = client.get(reverse("ledger:entry_detail", args=[entry.pk])).content.decode()
    assert "越秀中学校友群" in detail and "促进会" in detail and "未勾选" not in detail


# The contact log ------------------------------------------------------------------------------


def test_a_contact_logged_sets_the_last_contact_and_shows_on_the_entry_page(client, world):
    entry = _entry(world.yuexiu, 1)
    _as(client, world.yx_staff)
    url = reverse("ledger:contact_add", args=[entry.pk])
    response = client.post(url, {"date": "2026-10-14", "method": "wechat", "content": "问返乡意向"})
    assert response.status_code == 302
    client.post(url, {"date": "2026-09-01", "method": "phone", "content": "更早的一次"})

    entry.refresh_from_db()
    assert entry.last_contact == datetime.date(2026, 10, 14)  # an older contact keeps it
    html = client.get(reverse("ledger:entry_detail", args=[entry.pk])).content.decode()
    assert re.search(r"最近联系</dt><dd[^>]*>2026-10-14</dd>", html)
    log = html.split('id="contact-log"')[1].split("</ul>")[0]
    assert "问返乡意向" in log and "微信" in log and "更早的一次" in log


def test_a_contact_in_the_future_is_refused(client, world):
    entry = _entry(world.yuexiu, 1)
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:contact_add", args=[entry.pk]),
        {"date": "2026-10-16", "method": "phone", "content": "明天的电话"},
    )
    assert response.status_code == 200
    assert "联系日期不能晚于今天" in response.content.decode()
    assert not ContactLog.objects.exists()
    entry.refresh_from_db()
    assert entry.last_contact is None


# Merging duplicates ---------------------------------------------------------------------------


def test_merging_moves_contacts_channels_and_registrations_and_deletes_the_other(client, world):
    keep = _entry(world.yuexiu, 1, name="陈同学")
    other = _entry(world.yuexiu, 2, name="陈同学", id_number="", tags="师范")
    services.contact_add(
        entry=other, actor=world.yx_staff, date=TODAY, method="phone", content="旧条目的联系"
    )
    channel = services.channel_save(
        actor=None, county=world.yuexiu, kind="alumni", name="越秀中学校友群"
    )
    channel.members.add(other)
    registration = services.registration_save(
        actor=None, entry=other, kind="startup", year=2026, organisation="家乡茶园"
    )
    _as(client, world.yx_staff)
    page = client.get(reverse("ledger:entry_detail", args=[keep.pk])).content.decode()
    assert "possible-duplicates" in page  # the same name is offered for merging

    response = client.post(
        reverse("ledger:entry_merge", args=[keep.pk]), {"other": other.pk}, follow=True
    )

    assert "已合并为一人。" in _messages(response)
    assert not Entry.objects.filter(pk=other.pk).exists()
    assert list(ContactLog.objects.values_list("entry", "content")) == [(keep.pk, "旧条目的联系")]
    assert list(channel.members.all()) == [keep]
    registration.refresh_from_db()
    assert registration.entry == keep
    keep.refresh_from_db()
    assert keep.last_contact == TODAY and "师范" in keep.tag_list
    event = AuditEvent.objects.get(action="ledger.merge")
    assert event.actor == world.yx_staff and event.target_id == keep.pk
    assert event.data["merged"] == other.pk


def test_two_entries_with_different_id_numbers_are_not_merged(client, world):
    keep = _entry(world.yuexiu, 1, name="陈同学")
    other = _entry(world.yuexiu, 2, name="陈同学")
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:entry_merge", args=[keep.pk]), {"other": other.pk}, follow=True
    )
    assert "两个条目的身份证号不同，不是同一人，不能合并。" in _messages(response)
    assert Entry.objects.count() == 2
    assert not AuditEvent.objects.filter(action="ledger.merge").exists()


def test_merging_another_countys_entry_is_404(client, world):
    keep = _entry(world.yuexiu, 1, name="陈同学")
    foreign = _entry(world.tianhe, 2, name="陈同学", id_number="")
    _as(client, world.yx_staff)
    response = client.post(reverse("ledger:entry_merge", args=[keep.pk]), {"other": foreign.pk})
    assert response.status_code == 404
    assert Entry.objects.filter(pk=foreign.pk, county=world.tianhe).exists()


# Excel import in the browser ------------------------------------------------------------------


def test_an_upload_is_previewed_then_written_on_confirmation_once(client, world):
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:import_upload"),
        {"file": _upload([_row(1, 毕业年份=2027), _row(2, 身份证号=None)])},
    )
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("ledger:import_job", args=[job.pk])

    page = client.get(response["Location"]).content.decode()
    preview = page.split('id="import-preview"')[1].split("</table>")[0]
    assert preview.count("新增") == 2 and "导入1" in preview and "导入2" in preview
    assert phone(1) not in preview and "138****0001" in preview  # the preview is masked
    assert not Entry.objects.exists()  # nothing written before confirmation

    confirm = reverse("ledger:import_confirm", args=[job.pk])
    done = client.post(confirm, follow=True)
    assert "导入完成：新增 2 人，更新 0 人。" in _messages(done)
    assert sorted(Entry.objects.values_list("name", "county", "graduation_year")) == [
        ("导入1", world.yuexiu.pk, 2027),
        ("导入2", world.yuexiu.pk, None),
    ]
    assert Entry.objects.get(name="导入1").id_number == id_number(1)
    written = [(e.pk, e.updated_at) for e in Entry.objects.order_by("pk")]

    again = client.post(confirm, follow=True)
    assert any("已确认过" in m for m in _messages(again))
    assert [(e.pk, e.updated_at) for e in Entry.objects.order_by("pk")] == written
    assert AuditEvent.objects.filter(action="ledger.import").count() == 1


def test_a_file_with_bad_rows_shows_each_row_and_writes_nothing(client, world):
    rows = [_row(1, 身份证号=BAD_ID_NUMBER), _row(2, 身份证号=None, 手机号=None), _row(3)]
    _as(client, world.yx_staff)
    response = client.post(reverse("ledger:import_upload"), {"file": _upload(rows)}, follow=True)
    html = response.content.decode()
    errors = html.split('id="import-errors"')[1].split("</table>")[0]
    assert re.search(r"<td>2</td><td>身份证号</td><td>身份证号无效", errors)
    assert re.search(r"<td>3</td><td>手机号</td><td>身份证号和手机号至少填写一项", errors)
    assert 'id="import-preview"' not in html and "确认导入" not in html
    job = ImportJob.objects.get()
    assert job.status == "invalid"
    assert client.post(reverse("ledger:import_confirm", args=[job.pk])).status_code == 302
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [("台账.xlsx", "姓名,手机号\n张三,13800138000\n".encode()), ("台账.csv", b"name,phone\n")],
    ids=["text named xlsx", "csv"],
)
def test_a_file_that_is_not_xlsx_is_refused_on_the_form(client, world, name, content):
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:import_upload"), {"file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not ImportJob.objects.exists() and not Entry.objects.exists()


def test_the_template_is_an_xlsx_whose_first_row_is_the_headers(client, world):
    response = _as(client, world.yx_staff).get(reverse("ledger:template"))
    assert response["Content-Type"] == excel.XLSX_TYPE
    assert _sheet(response)[0] == excel.headers()


# Notices --------------------------------------------------------------------------------------


@pytest.fixture
def audience(world):
    """Three of 越秀's people: a participant with an account and an address-only classmate,
    both graduating in 2027, and one graduating in 2028."""
    student = StudentFactory(
        hometown=world.yuexiu, university=world.university, name="参与者", graduation_year=2027
    )
    return SimpleNamespace(
        participant=services.entry_for_participant(student),
        student=student,
        mailed=_entry(
            world.yuexiu, 1, name="邮件收件人", email="a@example.com", graduation_year=2027
        ),
        later=_entry(world.yuexiu, 2, name="明年毕业", email="b@example.com", graduation_year=2028),
    )


def _send(client, world, django_capture_on_commit_callbacks, **filters):
    _as(client, world.yx_staff)
    # Not executed: the one callback queues the mail task, which the tests run themselves.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            reverse("ledger:notice_create"),
            {"category": "job", "title": "家乡岗位推介", "body": "欢迎回家乡就业。", **filters},
        )
    assert len(callbacks) == (1 if response.status_code == 302 else 0)
    return response


def test_a_notice_reaches_only_the_filtered_people_in_the_portal_or_by_mail(
    client, world, audience, django_capture_on_commit_callbacks
):
    preview = _as(client, world.yx_staff).get(
        reverse("ledger:notice_create"), {"graduation_year": 2027}
    )
    assert "符合条件 2 人，其中 2 人可送达" in preview.content.decode()

    response = _send(client, world, django_capture_on_commit_callbacks, graduation_year=2027)

    delivery = {d.entry: d for d in Delivery.objects.select_related("entry")}
    assert set(delivery) == {audience.participant, audience.mailed}
    assert response["Location"] == reverse(
        "ledger:notice_detail", args=[delivery[audience.mailed].notice_id]
    )
    portal = Notice.objects.get(user=audience.student.user)
    # Links are signed with a timestamp: read the token back rather than sign it again.
    token = resolve(portal.url).kwargs["token"]
    assert delivery_from_token(token) == delivery[audience.participant]
    assert "家乡岗位推介" in portal.text
    assert not mail.outbox  # the mails go from a Celery task after commit
    notice_id = delivery[audience.mailed].notice_id
    sent = tasks.send_notice_mails(notice_id)
    assert tasks.send_notice_mails(notice_id) == 0  # run again (a redelivery): nothing twice
    assert sent == len(mail.outbox) >= 1
    (to_mailed,) = [m for m in mail.outbox if m.to == ["a@example.com"]]
    link = re.search(rf"{re.escape(settings.SITE_URL)}(/\S+/)", to_mailed.body).group(1)
    assert delivery_from_token(resolve(link).kwargs["token"]) == delivery[audience.mailed]
    assert "欢迎回家乡就业。" in to_mailed.body
    assert not any("b@example.com" in m.to for m in mail.outbox)


def test_opening_the_link_counts_as_read_and_a_tampered_link_is_404(
    client, world, audience, django_capture_on_commit_callbacks
):
    _send(client, world, django_capture_on_commit_callbacks, graduation_year=2027)
    delivery = Delivery.objects.get(entry=audience.mailed)
    token = delivery_token(delivery)
    detail = reverse("ledger:notice_detail", args=[delivery.notice_id])

    reader = Client()  # the recipient, not signed in
    assert reader.get(reverse("ledger:notice_read", args=[token[:-2] + "xx"])).status_code == 404
    assert reader.get(reverse("ledger:notice_read", args=["not-a-token"])).status_code == 404
    assert "已读 0 / 2 人" in client.get(detail).content.decode()

    link = reverse("ledger:notice_read", args=[token])
    page = reader.get(link)
    assert page.status_code == 200 and "欢迎回家乡就业。" in page.content.decode()
    # Fetching the link (a mail scanner, a link preview) counts nothing ...
    assert "已读 0 / 2 人" in client.get(detail).content.decode()
    # ... the page's own POST on load does (with the CSRF token the page carries).
    assert f'hx-post="{link}"' in page.content.decode()
    reader = Client(enforce_csrf_checks=True)
    page = reader.get(link)
    csrf = page.content.decode().split('"X-CSRFToken": "')[1].split('"')[0]
    assert reader.post(link, HTTP_X_CSRFTOKEN=csrf).status_code == 204
    assert reader.post(link, HTTP_X_CSRFTOKEN=csrf).status_code == 204  # twice, counted once
    assert reader.post(link).status_code == 403  # no CSRF token

    html = client.get(detail).content.decode()
    count = html.split('id="read-count"')[1].split("</p>")[0]
    assert "已读 1 / 2 人" in count
    delivery.refresh_from_db()
    assert delivery.read_at is not None


def test_a_notice_with_no_one_matching_is_not_sent(
    client, world, audience, django_capture_on_commit_callbacks
):
    response = _send(client, world, django_capture_on_commit_callbacks, graduation_year=2030)
    assert response.status_code == 200
    assert "筛选条件下没有台账人员，未发送。" in response.content.decode()
    assert not Delivery.objects.exists() and not mail.outbox


# Exchange events ------------------------------------------------------------------------------


def test_county_staff_record_an_exchange_and_its_attendance_by_pasting_lines(client, world):
    summer = season()
    people = [_entry(world.yuexiu, n) for n in (1, 2, 3)]
    _entry(world.tianhe, 4, name="天河某人")
    _as(client, world.yx_staff)
    created = client.post(
        reverse("ledger:event_create"),
        {"season": summer.pk, "title": "暑期集中交流", "date": "2026-08-10", "place": "越秀区团委"},
    )
    event = ExchangeEvent.objects.get()
    assert created["Location"] == reverse("ledger:event_detail", args=[event.pk])
    assert (event.county, event.season) == (world.yuexiu, summer)
    url = reverse("ledger:event_detail", args=[event.pk])

    pasted = f"{phone(1)}\n越秀2号\n\n{id_number(3)}\n"
    assert client.post(url, {"people": pasted}).status_code == 302
    assert set(event.attendees.all()) == set(people)

    unknown = client.post(url, {"people": f"越秀1号\n查无此人\n{phone(4)}"})
    assert unknown.status_code == 200
    message = " ".join(unknown.context["form"].errors["people"])
    assert (
        "找不到" in message and "查无此人" in message and phone(4) in message
    )  # 天河's people are unknown here
    assert set(event.attendees.all()) == set(people)  # nothing saved


def test_an_exchange_must_be_in_a_season_of_the_countys_province(client, world):
    guangxi = season("summer", province="450000")
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:event_create"),
        {"season": guangxi.pk, "title": "外省", "date": "2026-08-10", "place": "南宁"},
    )
    assert response.status_code == 200 and response.context["form"].errors["season"]
    assert not ExchangeEvent.objects.exists()


# Return registrations -------------------------------------------------------------------------


def _counts(html: str) -> str:
    return html.split('id="return-counts"')[1].split("</table>")[0]


def test_a_verified_registration_is_counted_once(client, world):
    entry = _entry(world.yuexiu, 1, name="返乡青年")
    _as(client, world.yx_staff)
    added = client.post(
        reverse("ledger:registration_add", args=[entry.pk]),
        {"kind": "employment", "year": "2026", "organisation": "越秀区图书馆", "position": "馆员"},
    )
    assert added.status_code == 302
    registration = ReturnRegistration.objects.get()
    assert registration.status == "pending"
    listing = reverse("ledger:registration_list")
    assert "暂无已核实的登记" in _counts(client.get(listing).content.decode())

    decide = reverse("ledger:registration_decide", args=[registration.pk])
    assert _as(client, world.gz_staff).post(decide, {"decision": "verify"}).status_code == 403
    registration.refresh_from_db()
    assert registration.status == "pending"

    _as(client, world.yx_staff)
    verified = client.post(decide, {"decision": "verify"}, follow=True)
    assert "已核实。" in _messages(verified)
    registration.refresh_from_db()
    first = (registration.status, registration.verified_at, registration.verified_by)
    assert first[0] == "verified" and first[2] == world.yx_staff

    again = client.post(decide, {"decision": "reject"}, follow=True)
    assert "该登记已处理过。" in _messages(again)
    registration.refresh_from_db()
    assert (registration.status, registration.verified_at, registration.verified_by) == first
    assert AuditEvent.objects.filter(action="ledger.return_verify").count() == 1

    for user in (world.yx_staff, world.gz_staff):
        counts = _counts(_as(client, user).get(listing).content.decode())
        assert re.search(r"<td>2026</td><td>越秀区</td><td>1</td><td>0</td>", counts), counts


def test_a_second_registration_of_the_same_kind_and_year_is_refused(client, world):
    entry = _entry(world.yuexiu, 1)
    services.registration_save(
        actor=None, entry=entry, kind="startup", year=2026, organisation="茶园"
    )
    _as(client, world.yx_staff)
    response = client.post(
        reverse("ledger:registration_add", args=[entry.pk]),
        {"kind": "startup", "year": "2026", "organisation": "民宿"},
    )
    assert response.status_code == 200
    assert "此人本年度已有同类登记。" in response.content.decode()
    assert ReturnRegistration.objects.count() == 1


# State changes are POST only ------------------------------------------------------------------


def test_every_state_change_refuses_get(client, yx):
    _as(client, yx.yx_staff)
    before = _state(yx)
    urls = [
        reverse("ledger:entry_delete", args=[yx.entry.pk]),
        reverse("ledger:entry_merge", args=[yx.entry.pk]) + f"?other={yx.second.pk}",
        reverse("ledger:contact_add", args=[yx.entry.pk]),
        reverse("ledger:registration_add", args=[yx.entry.pk]),
        reverse("ledger:import_confirm", args=[yx.job.pk]),
        reverse("ledger:registration_decide", args=[yx.registration.pk]) + "?decision=verify",
    ]
    for url in urls:
        assert client.get(url).status_code == 405, url
    assert _state(yx) == before
