"""Cases a review found: damaged or crafted files, blank cells, merging people with history,
what read-only staff see, characters XML cannot hold, and the attendance list."""

import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from accounts.models import Role
from ledger import excel, services
from ledger.models import Delivery, Entry, ExchangeEvent, LedgerNotice, ReturnRegistration
from tests.factories import season, staff
from tests.ledger.xlsx_files import (
    entry,
    export_ledger_file,
    person,
    phone,
    write_ledger_file,
    xlsx_bytes,
)

UNREADABLE = "无法读取此 Excel 文件"


def _rewrite_sheet(content: bytes, change) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            target.writestr(info.filename, data)
    return out.getvalue()


def _check(tmp_path, content: bytes, county):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(content)
    return excel.check_file(path, county=county)


def test_a_formula_written_with_single_quotes_is_still_found(gd, tmp_path):
    def formula(data: bytes) -> bytes:
        start = data.index(b"<c ", data.index(b'<row r="2"'))
        end = data.index(b"</c>", start) + 4
        return data[:start] + b"<c r='A2' t='str'><f>1+1</f><v>EVIL</v></c>" + data[end:]

    checked = _check(tmp_path, _rewrite_sheet(xlsx_bytes([person(1)]), formula), gd.yuexiu)

    assert [str(e) for e in checked.errors] == [
        "第 2 行「县区代码」：单元格是公式，请复制后“粘贴为数值”再导入。"
    ]
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    "damage",
    [
        # a formula at a reference past the last column
        lambda d: d.replace(b"</row>", b'<c r="ZZZZ2"><f>1</f></c></row>', 2),
        lambda d: d.replace(b"<sheetData>", b'<sheetData><row r="x"><c><f>1</f></c></row>', 1),
        lambda d: d[: len(d) // 2],  # cut half-way
    ],
    ids=["bad-reference", "bad-row-number", "truncated-xml"],
)
def test_a_damaged_sheet_is_refused_as_unreadable_not_an_error_page(gd, tmp_path, damage):
    content = _rewrite_sheet(xlsx_bytes([person(1)]), damage)

    checked = _check(tmp_path, content, gd.yuexiu)

    assert not checked.ok
    assert [str(e) for e in checked.errors] == [
        "文件：无法读取此 Excel 文件，请另存为 .xlsx 后再试。"
    ]
    assert not Entry.objects.exists()


def test_a_corrupt_zip_member_uploaded_in_the_browser_shows_a_message(gd, client, tmp_path):
    content = bytearray(xlsx_bytes([person(1)]))
    marker = content.index(b"xl/worksheets/sheet1.xml") + 40  # inside the compressed sheet
    content[marker : marker + 40] = b"\x00" * 40
    client.force_login(staff(Role.COUNTY, region=gd.yuexiu))
    upload = io.BytesIO(bytes(content))
    upload.name = "台账.xlsx"

    response = client.post(reverse("ledger:import_upload"), {"file": upload}, follow=True)

    assert response.status_code == 200
    assert UNREADABLE in response.content.decode()
    assert not Entry.objects.exists()


def test_blank_channel_and_intention_cells_keep_what_the_ledger_holds(gd, tmp_path):
    known = entry(gd.yuexiu, 1, source="participation", intention="yes")
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, source=None, intention=None)])

    checked = excel.import_file(path, county=gd.yuexiu)

    assert checked.ok, [str(e) for e in checked.errors]
    known.refresh_from_db()
    assert (known.source, known.intention) == ("participation", "yes")
    path = write_ledger_file(tmp_path / "新.xlsx", [person(2, source=None, intention=None)])
    excel.import_file(path, county=gd.yuexiu)
    new = Entry.objects.get(phone=phone(2))
    assert (new.source, new.intention) == ("other", "undecided")  # a new entry's defaults


def test_merging_two_people_with_the_same_years_registration_is_refused(gd):
    keep = entry(gd.yuexiu, 1)
    other = entry(gd.yuexiu, 2, id_number="", name="已登记1")
    for person_entry, status in ((keep, "pending"), (other, "verified")):
        ReturnRegistration.objects.create(
            entry=person_entry,
            kind="employment",
            year=2026,
            organisation="某公司",
            status=status,
            verified_at=timezone.now() if status == "verified" else None,
        )

    with pytest.raises(Exception, match="都有 2026 年"):
        services.entries_merge(actor=None, keep=keep, other=other)

    assert Entry.objects.filter(pk=other.pk).exists()
    assert ReturnRegistration.objects.filter(status="verified").count() == 1


def test_merging_keeps_a_read_and_the_second_phone(gd):
    keep = entry(gd.yuexiu, 1)
    other = entry(gd.yuexiu, 2, id_number="", name="已登记1")
    notice = LedgerNotice.objects.create(county=gd.yuexiu, category="job", title="招聘", body="x")
    Delivery.objects.create(notice=notice, entry=keep)
    Delivery.objects.create(notice=notice, entry=other, read_at=timezone.now())

    merged = services.entries_merge(actor=None, keep=keep, other=other)

    assert Delivery.objects.get(notice=notice).read_at is not None
    assert phone(2) in merged.notes


def test_read_only_staff_see_e_mail_and_wechat_masked(gd, client, tmp_path):
    person_entry = entry(gd.yuexiu, 1, email="zhang@example.edu.cn", wechat="zhang_wx_2026")
    client.force_login(staff(Role.CITY, region=gd.guangzhou))

    page = client.get(reverse("ledger:entry_detail", args=[person_entry.pk])).content.decode()
    export = client.get(reverse("ledger:export"))
    path = tmp_path / "导出.xlsx"
    path.write_bytes(b"".join(export.streaming_content))
    cells = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()

    assert "zhang@example.edu.cn" not in page and "z***@example.edu.cn" in page
    assert "zhang_wx_2026" not in page and "zh***" in page
    assert cells[1][4] == "z***@example.edu.cn" and cells[1][5] == "zh***"


def test_characters_xml_cannot_hold_do_not_break_the_export(gd, tmp_path):
    entry(gd.yuexiu, 1, name="张\ufffe三", notes="备注\uffff\r\n第二行")

    export_ledger_file(tmp_path / "导出.xlsx")
    cells = CalamineWorkbook.from_path(str(tmp_path / "导出.xlsx")).get_sheet_by_index(0)

    row = cells.to_python()[1]
    assert row[1] == "张三" and row[13] == "备注\r\n第二行"


def test_attendance_is_shown_in_the_box_so_a_second_batch_adds_to_it(gd, client):
    county_staff = staff(Role.COUNTY, region=gd.yuexiu)
    first, second = entry(gd.yuexiu, 1), entry(gd.yuexiu, 2)
    event = ExchangeEvent.objects.create(
        county=gd.yuexiu,
        season=season("summer"),
        title="集中交流",
        date=timezone.localdate(),
        place="青年之家",
    )
    event.attendees.add(first)
    client.force_login(county_staff)
    url = reverse("ledger:event_detail", args=[event.pk])

    box = client.get(url).context["form"]["people"].value()
    client.post(url, {"people": f"{box}\n{second.phone}"})

    assert set(event.attendees.all()) == {first, second}
    client.post(url, {"people": ""})
    assert not event.attendees.exists()
