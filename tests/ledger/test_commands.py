"""The ledger's management commands: `import_ledger FILE.xlsx [--county CODE] [--dry-run]` and
`export_ledger [--county CODE] --output FILE.xlsx`, run as an operator would, on real files."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from accounts.models import AuditEvent
from ledger.models import Entry
from tests.factories import region
from tests.ledger.xlsx_files import (
    VALUES,
    entry,
    id_number,
    ledger_state,
    person,
    phone,
    read_sheet,
    write_ledger_file,
)
from tests.race import race


def run(*args) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of a command."""
    stdout, stderr = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=stdout, stderr=stderr)
    except SystemExit as exit:
        return exit.code, stdout.getvalue(), stderr.getvalue()
    return 0, stdout.getvalue(), stderr.getvalue()


def lines(text: str) -> list[str]:
    return text.splitlines()


@pytest.fixture
def known(gd):
    """Someone already in 越秀区's ledger, and someone with the same ID number in 天河区."""
    return entry(gd.yuexiu, 90), entry(gd.tianhe, 90)


# Import ---------------------------------------------------------------------------------------


def test_import_adds_new_people_updates_known_ones_and_says_how_many(gd, known, tmp_path):
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(1), person(2, id_number=""), person(90)]
    )

    assert run("import_ledger", str(path), "--county", "440104") == (
        0,
        "3 rows valid: 2 were added, 1 matched people already in the ledger (1 changed)\n",
        "",
    )
    assert Entry.objects.filter(county=gd.yuexiu).count() == 3
    assert Entry.objects.get(pk=known[0].pk).name == "测试90"
    assert Entry.objects.get(pk=known[1].pk).name == "已登记90"  # 天河区's is not touched
    event = AuditEvent.objects.get(action="ledger.import")
    assert (event.region, event.data) == (gd.yuexiu, {"rows": 3, "created": 2, "updated": 1})


def test_importing_the_same_file_again_adds_and_changes_no_one(gd, known, tmp_path):
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(1), person(2, id_number=""), person(90)]
    )
    run("import_ledger", str(path), "--county", "440104")
    before = ledger_state()

    assert run("import_ledger", str(path), "--county", "440104") == (
        0,
        "3 rows valid: 0 were added, 3 matched people already in the ledger (0 changed)\n",
        "",
    )
    assert ledger_state() == before


def test_a_file_with_bad_rows_prints_each_to_stderr_exits_1_and_writes_nothing(gd, known, tmp_path):
    rows = [
        person(1),
        person(2, phone="12345"),
        person(3),
        person(4, id_number=int(id_number(4))),
        person(5, county="440106", last_contact="2026年7月"),
        person(90, name="不该写入"),
    ]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)
    before = ledger_state()

    status, stdout, stderr = run("import_ledger", str(path), "--county", "440104")

    assert (status, stdout) == (1, "")
    assert lines(stderr) == [
        "第 3 行「手机号」：不是有效的手机号或固定电话：12345",
        "第 5 行「身份证号」：请把身份证号所在列设为“文本”格式后重新填写（数字格式会丢失末几位）。",
        "第 6 行「县区代码」：县区代码 440106 与本次导入的越秀区（440104）不符。",
        "第 6 行「最近联系日期」：“2026年7月”是文本，不是日期。请把单元格设为日期格式，如 2026-07-15。",
        "4 errors: nothing was imported",
    ]
    assert ledger_state() == before
    assert not AuditEvent.objects.filter(action="ledger.import").exists()


def test_a_file_with_a_thousand_bad_rows_lists_the_first_thousand_and_counts_the_rest(gd, tmp_path):
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(n, phone="12345") for n in range(1005)]
    )

    status, _stdout, stderr = run("import_ledger", str(path), "--county", "440104")

    assert status == 1
    output = lines(stderr)
    assert output[0] == "第 2 行「手机号」：不是有效的手机号或固定电话：12345"
    assert output[999] == "第 1001 行「手机号」：不是有效的手机号或固定电话：12345"
    assert output[1000:] == ["… 5 more errors", "1005 errors: nothing was imported"]
    assert Entry.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"\xe5\xa7\x93\xe5\x90\x8d\t\xe6\x89\x8b\xe6\x9c\xba\xe5\x8f\xb7\n",
            "文件：文件扩展名与内容不符。",
        ),
        (b"", "文件：文件为空。"),
    ],
    ids=["text-renamed-xlsx", "empty"],
)
def test_a_file_that_is_no_ledger_is_refused_as_a_whole(gd, known, tmp_path, content, message):
    (tmp_path / "台账.xlsx").write_bytes(content)
    before = ledger_state()

    status, _stdout, stderr = run("import_ledger", str(tmp_path / "台账.xlsx"))

    assert (status, lines(stderr)) == (1, [message, "1 errors: nothing was imported"])
    assert ledger_state() == before


def test_without_county_each_row_goes_to_the_county_its_code_names(gd, known, tmp_path):
    rows = [person(1), person(2, county="440106"), person(90, county="440106", name="天河新名")]
    path = write_ledger_file(tmp_path / "台账.xlsx", rows)

    status, stdout, _stderr = run("import_ledger", str(path))

    assert (status, stdout) == (
        0,
        "3 rows valid: 2 were added, 1 matched people already in the ledger (1 changed)\n",
    )
    assert dict(Entry.objects.values_list("name", "county__code")) == {
        "测试1": "440104",
        "测试2": "440106",
        "已登记90": "440104",
        "天河新名": "440106",
    }


def test_without_county_a_row_without_county_code_is_refused(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1), person(2, county=None)])

    status, _stdout, stderr = run("import_ledger", str(path))

    assert (status, lines(stderr)) == (
        1,
        [
            "第 3 行「县区代码」：必须填写县区代码（6 位行政区划代码）。",
            "1 errors: nothing was imported",
        ],
    )
    assert Entry.objects.count() == 2


def test_dry_run_says_what_would_happen_and_writes_nothing(gd, known, tmp_path):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1), person(90, name="改名")])
    before = ledger_state()

    assert run("import_ledger", str(path), "--county", "440104", "--dry-run") == (
        0,
        "2 rows valid: 1 would be added, 1 matched people already in the ledger\n",
        "",
    )
    assert ledger_state() == before
    assert not AuditEvent.objects.filter(action="ledger.import").exists()


def test_dry_run_of_a_bad_file_reports_the_same_rows_and_exits_1(gd, known, tmp_path):
    path = write_ledger_file(
        tmp_path / "台账.xlsx", [person(1), person(2, id_number="", phone=None)]
    )

    status, _stdout, stderr = run("import_ledger", str(path), "--county", "440104", "--dry-run")

    assert (status, lines(stderr)) == (
        1,
        ["第 3 行「手机号」：身份证号和手机号至少填写一项。", "1 errors: nothing was imported"],
    )


@pytest.mark.parametrize("code", ["999999", "440100", "440000"])
@pytest.mark.parametrize("command", ["import_ledger", "export_ledger"])
def test_an_unknown_county_or_one_that_is_no_county_is_a_command_error(gd, tmp_path, command, code):
    path = write_ledger_file(tmp_path / "台账.xlsx", [person(1)])
    args = [str(path)] if command == "import_ledger" else ["--output", str(tmp_path / "x.xlsx")]

    with pytest.raises(CommandError, match=f"no county with code {code}"):
        run(command, *args, "--county", code)
    assert Entry.objects.count() == 0


def test_a_missing_file_is_a_command_error(gd, tmp_path):
    with pytest.raises(CommandError, match="cannot open .*没有.xlsx: No such file"):
        run("import_ledger", str(tmp_path / "没有.xlsx"), "--county", "440104")


# Export ---------------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore:Workbook contains no default style")
def test_export_of_one_county_writes_only_its_people_in_the_import_format(gd, known, tmp_path):
    entry(gd.yuexiu, 1, id_number="", phone="02083331234")

    status, stdout, _stderr = run(
        "export_ledger", "--county", "440104", "--output", str(tmp_path / "导出.xlsx")
    )

    assert (status, stdout) == (0, f"2 entries written to {tmp_path / '导出.xlsx'}\n")
    sheet = read_sheet(tmp_path / "导出.xlsx")
    assert sheet[0][:4] == ["县区代码", "姓名", "身份证号", "手机号"]
    assert [row[:4] for row in sheet[1:]] == [
        ["440104", "已登记90", id_number(90), phone(90)],
        ["440104", "已登记1", None, "02083331234"],
    ]
    event = AuditEvent.objects.get(action="export")
    assert (event.region, event.data["rows"]) == (gd.yuexiu, 2)


def ledger_values() -> list[tuple]:
    return [
        (e.county.code, *(getattr(e, name) for name in VALUES if name != "county_id"))
        for e in Entry.objects.select_related("county").order_by("county__code", "pk")
    ]


def test_an_export_of_every_county_imports_back_as_is(gd, known, tmp_path):
    entry(
        gd.yuexiu,
        1,
        name="@x",
        notes='=HYPERLINK("http://evil.example/","点我")',
        degree="master",
        last_contact=datetime.date(2026, 7, 15),
    )
    entry(gd.yuexiu, 2, id_number="", tags="甲、乙、丙", wechat="+86 138")
    entry(gd.tianhe, 3, degree="junior", source="partnership", intention="no", major="-")
    before = ledger_values()
    export = tmp_path / "导出.xlsx"
    assert run("export_ledger", "--output", str(export))[:2] == (
        0,
        f"5 entries written to {export}\n",
    )

    assert run("import_ledger", str(export)) == (
        0,
        "5 rows valid: 0 were added, 5 matched people already in the ledger (0 changed)\n",
        "",
    )
    Entry.objects.all().delete()
    assert run("import_ledger", str(export))[:2] == (
        0,
        "5 rows valid: 5 were added, 0 matched people already in the ledger (0 changed)\n",
    )
    assert ledger_values() == before


def test_an_export_of_one_county_imports_back_into_that_county_only(gd, known, tmp_path):
    export = tmp_path / "越秀.xlsx"
    run("export_ledger", "--county", "440104", "--output", str(export))
    Entry.objects.filter(county=gd.yuexiu).delete()

    assert run("import_ledger", str(export), "--county", "440104")[0] == 0
    assert run("import_ledger", str(export), "--county", "440106")[2].startswith(
        "第 2 行「县区代码」：县区代码 440104 与本次导入的天河区（440106）不符。"
    )
    assert dict(Entry.objects.values_list("county__code", "name")) == {
        "440104": "已登记90",
        "440106": "已登记90",
    }


# Concurrency ----------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_overlapping_files_at_once_leave_one_entry_per_person(tmp_path):
    """Both commands check who is new before either writes; the lock on the county makes the
    second check again after the first commits, so nobody is added twice and no unique
    constraint error surfaces."""
    yuexiu = region("440104")
    people = [person(n) for n in range(1, 61)] + [person(n, id_number="") for n in range(61, 81)]
    first = write_ledger_file(tmp_path / "甲.xlsx", people[:50] + people[60:75])
    second = write_ledger_file(tmp_path / "乙.xlsx", people[10:60] + people[65:80])

    for options in (["--county", "440104"], []):  # one county; each row's own county
        Entry.objects.all().delete()
        outcomes = race(
            [
                lambda p=path, o=options: run("import_ledger", str(p), *o)
                for path in (first, second)
            ],
            returns=True,
        )

        assert [status for status, _out, _err in outcomes] == [0, 0], outcomes
        assert Entry.objects.filter(county=yuexiu).count() == 80
        with_id = Entry.objects.exclude(id_number_digest="")
        assert with_id.count() == with_id.values("id_number_digest").distinct().count() == 60
        assert Entry.objects.values("phone").distinct().count() == 80
