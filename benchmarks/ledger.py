"""The contact ledger's Excel in and out: import of 50,000 rows, export of 100,000, beside
django-import-export on the same file.

    .venv/bin/python benchmarks/ledger.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang .venv/bin/python benchmarks/ledger.py

Creates a throw-away test database and loads the real regions, writes a 50,000-row ledger file
for 越秀区 (every row with an ID number and a phone), then times:

- the portal's check (the browser's preview) and import (`import_ledger`), new people;
- the same file imported again (everyone matched, nothing changed) and once more after every
  entry was edited (everyone updated);
- the export of 100,000 entries (`export_ledger`), with the peak memory of the process;
- django-import-export 4 on the same file: a ModelResource matching people by (county, ID
  digest) with its default settings, then with its bulk settings (use_bulk, batch_size 1000,
  skip_diff). `--iex-rows N` limits those two runs to the first N rows (default: all) because
  the default settings take minutes.
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")

import django  # noqa: E402

django.setup()

import tablib  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from import_export import fields, resources, widgets  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from accounts.validators import (  # noqa: E402
    id_number_clean,
    id_number_digest,
    id_number_make,
    id_number_mask,
)
from fanjiaxiang.exporters import write_xlsx  # noqa: E402
from ledger import excel  # noqa: E402
from ledger.exporters import LedgerExporter  # noqa: E402
from ledger.models import Entry, Intention, Source  # noqa: E402
from positions.models import Region  # noqa: E402
from positions.regions import regions_load  # noqa: E402
from students.models import Student  # noqa: E402


def id_number(n: int) -> str:
    birthday = datetime.date(1995, 1, 1) + datetime.timedelta(days=n // 900)
    return id_number_make(n % 900 + 100, born=f"{birthday:%Y%m%d}")


def write_file(path: Path, rows: int, offset: int = 0) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("联系台账")
    sheet.append(excel.headers())
    sources = [str(label) for _v, label in Source.choices]
    for n in range(offset, offset + rows):
        sheet.append(
            [
                "440104",
                f"学生{n}",
                id_number(n),
                f"13{800000000 + n:09d}",
                f"s{n}@example.com",
                f"wx{n}",
                "中山大学",
                "汉语言文学",
                "本科",
                2027 + n % 4,
                sources[n % len(sources)],
                "有意返乡",
                "师范、考公意向",
                "校友群登记",
                datetime.date(2026, 7, 1),
            ]
        )
    workbook.save(path)


def timed(label: str, action):
    started = time.perf_counter()
    result = action()
    print(f"{label:<58} {time.perf_counter() - started:7.1f} s")
    return result


# django-import-export, set up the way its documentation shows, matching on (county, digest).


class LabelWidget(widgets.Widget):
    def __init__(self, choices):
        self.values = {str(label): value for value, label in choices}

    def clean(self, value, row=None, **kwargs):
        return self.values.get(str(value or "").strip(), "")


class EntryResource(resources.ModelResource):
    county = fields.Field("county", "县区代码", widgets.ForeignKeyWidget(Region, "code"))
    name = fields.Field("name", "姓名")
    id_number = fields.Field("id_number", "身份证号")
    id_number_digest = fields.Field("id_number_digest", "_digest")
    id_number_masked = fields.Field("id_number_masked", "_masked")
    phone = fields.Field("phone", "手机号")
    email = fields.Field("email", "电子邮箱")
    wechat = fields.Field("wechat", "微信号")
    university = fields.Field("university", "就读高校")
    major = fields.Field("major", "专业")
    degree = fields.Field("degree", "学历", LabelWidget(Student.Degree.choices))
    graduation_year = fields.Field("graduation_year", "毕业年份", widgets.IntegerWidget())
    source = fields.Field("source", "联系渠道", LabelWidget(Source.choices))
    intention = fields.Field("intention", "返乡意向", LabelWidget(Intention.choices))
    tags = fields.Field("tags", "标签")
    notes = fields.Field("notes", "备注")
    last_contact = fields.Field("last_contact", "最近联系日期", widgets.DateWidget())

    class Meta:
        model = Entry
        import_id_fields = ("county", "id_number_digest")
        fields = (
            "county",
            "name",
            "id_number",
            "id_number_digest",
            "id_number_masked",
            "phone",
            "email",
            "wechat",
            "university",
            "major",
            "degree",
            "graduation_year",
            "source",
            "intention",
            "tags",
            "notes",
            "last_contact",
        )

    def before_import(self, dataset, **kwargs):
        """The file has no digest column: add one (and the masked number) before matching."""
        numbers = [id_number_clean(str(v)) for v in dataset["身份证号"]]
        dataset.append_col([id_number_digest(n) for n in numbers], header="_digest")
        dataset.append_col([id_number_mask(n) for n in numbers], header="_masked")


class BulkEntryResource(EntryResource):
    class Meta(EntryResource.Meta):
        use_bulk = True
        batch_size = 1000
        skip_diff = True


def iex_import(resource_class, path: Path) -> int:
    dataset = tablib.Dataset().load(path.read_bytes(), format="xlsx")
    result = resource_class().import_data(dataset, dry_run=False, use_transactions=True)
    if result.has_errors() or result.has_validation_errors():
        raise SystemExit(f"django-import-export reported errors: {result.base_errors[:3]}")
    return result.totals["new"] + result.totals["update"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--export-rows", type=int, default=100_000)
    parser.add_argument("--iex-rows", type=int, default=0, help="0: the whole file")
    parser.add_argument(
        "--iex", choices=["both", "default", "bulk", "none"], default="both",
        help="which django-import-export runs to time (the default settings take 30 min)",
    )  # fmt: skip
    parser.add_argument("--skip-portal", action="store_true", help="time django-import-export only")
    args = parser.parse_args()
    setup_test_environment()
    old = setup_databases(verbosity=0, interactive=False)
    try:
        regions_load()
        county = Region.objects.get(code="440104")
        database = django.db.connection.vendor
        work = Path(tempfile.mkdtemp())
        path = work / "ledger.xlsx"
        timed(
            f"write the {args.rows:,}-row test file (openpyxl)", lambda: write_file(path, args.rows)
        )
        print(f"file: {path.stat().st_size / 2**20:.1f} MiB; database: {database}")
        if not args.skip_portal:
            checked = timed(
                "check only (the browser's preview)", lambda: excel.check_file(path, county=county)
            )
            assert checked.ok and checked.created == args.rows, checked.errors[:3]
            checked = timed(
                f"import {args.rows:,} new people", lambda: excel.import_file(path, county=county)
            )
            assert Entry.objects.count() == args.rows
            checked = timed(
                "import the same file again (nobody changes)",
                lambda: excel.import_file(path, county=county),
            )
            assert checked.changed == 0 and Entry.objects.count() == args.rows
            Entry.objects.update(major="待核对", intention=Intention.UNDECIDED)
            checked = timed(
                "import again after every entry was edited",
                lambda: excel.import_file(path, county=county),
            )
            assert checked.changed == args.rows
            if args.export_rows > args.rows:
                more = work / "more.xlsx"
                write_file(more, args.export_rows - args.rows, offset=args.rows)
                excel.import_file(more, county=county)
            out = work / "export.xlsx"
            count = timed(
                f"export {Entry.objects.count():,} entries",
                lambda: write_xlsx(LedgerExporter.unscoped(), out),
            )
            tracemalloc.start()
            write_xlsx(LedgerExporter.unscoped(), work / "again.xlsx")
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            print(
                f"  export file {out.stat().st_size / 2**20:.1f} MiB, {count:,} rows; "
                f"peak Python memory while exporting {peak:.1f} MiB (tracemalloc, a second run)"
            )
        if args.iex == "none":
            return
        Entry.objects.all().delete()
        iex_path = path
        if args.iex_rows:
            iex_path = work / "iex.xlsx"
            write_file(iex_path, args.iex_rows)
        rows = args.iex_rows or args.rows
        if args.iex in ("both", "default"):
            timed(
                f"django-import-export, default settings, {rows:,} new",
                lambda: iex_import(EntryResource, iex_path),
            )
            assert Entry.objects.count() == rows
            Entry.objects.all().delete()
        if args.iex in ("both", "bulk"):
            timed(
                f"django-import-export, bulk settings, {rows:,} new",
                lambda: iex_import(BulkEntryResource, iex_path),
            )
            assert Entry.objects.count() == rows
    finally:
        teardown_databases(old, verbosity=0)


if __name__ == "__main__":
    main()
