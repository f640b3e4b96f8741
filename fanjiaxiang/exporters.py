"""Exports: a small class yields rows (header first); this module renders them as XLSX or CSV.

XLSX is written by openpyxl in write-only mode to a temporary file, so memory stays flat however
many rows there are. Text that a spreadsheet would run as a formula (= + - @, or a leading tab or
carriage return) is never written as one: in XLSX the cell is typed as plain text, so the value
survives unchanged and re-imports as is; in CSV, which has no types, it gets a leading apostrophe.

An exporter that sets `streaming_xlsx` is written by `fanjiaxiang.xlsxstream` instead: several times
faster (100,000 rows in seconds, not tens of seconds), every string an inline string (so never
a formula), but plain cells only: its rows must hold str, int, float, date or None.

Every export goes out through `export_response` (a download) or `export_file` (a management
command), and both write its one audit record in `_audit`. `write_xlsx` alone writes no record:
it is for tests and benchmarks.
Model: pretix base/exporter.py ListExporter.
"""

import csv
import tempfile
from collections.abc import Iterable, Iterator
from typing import Any
from urllib.parse import quote

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from accounts.audit import Action, audit_record
from fanjiaxiang import xlsxstream

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ListExporter:
    """Subclasses set `name` (the file and sheet name), `headers`, and implement `rows()`,
    already scoped to the user who asked (the exporter gets the user, never a queryset)."""

    name: str | Promise = "导出"
    headers: tuple[str | Promise, ...] = ()
    # Opt in to the streaming writer (see the module's docstring); `widths` are its columns'.
    streaming_xlsx = False
    widths: tuple[int, ...] | None = None

    def __init__(self, user, **filters: Any):
        self.user = user
        self.filters = filters
        self.count = 0

    def rows(self) -> Iterable[list]:
        raise NotImplementedError

    def __iter__(self) -> Iterator[list]:
        yield [str(header) for header in self.headers]
        for row in self.rows():
            self.count += 1
            yield [clean(value) for value in row]

    def filename(self, extension: str) -> str:
        return f"{self.name}-{timezone.localdate():%Y%m%d}.{extension}"

    @property
    def title(self) -> str:
        return str(self.name)

    def audit_details(self) -> dict:
        """What the audit record says about this export besides its name, format and rows."""
        return {"filters": {k: str(v) for k, v in self.filters.items()}}


def clean(value: Any) -> Any:
    """Lazy translations become text; control characters pasted from Word (which XLSX cannot
    hold, and which would fail the whole download) are dropped."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def is_formula_like(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def csv_safe(value: Any) -> Any:
    return "'" + value if is_formula_like(value) else value


def write_xlsx(exporter: ListExporter, target) -> int:
    """Write every row to `target` (a path or binary file); returns the number of data rows."""
    if exporter.streaming_xlsx:
        return _write_streaming(exporter, target)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(exporter.title[:31])
    for row in exporter:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    workbook.save(target)
    return exporter.count


def _write_streaming(exporter: ListExporter, target) -> int:
    # Every string becomes an inline string, so text is never a formula; the writer drops the
    # characters XML cannot hold itself, so rows skip `clean` (it would run the same regex).
    exporter.count = xlsxstream.write_rows(
        target,
        sheet_name=exporter.title,
        header=[str(header) for header in exporter.headers],
        rows=exporter.rows(),
        widths=exporter.widths,
    )
    return exporter.count


def _xlsx_cell(sheet, value: Any) -> Any:
    if not is_formula_like(value):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"  # openpyxl would otherwise store "=..." as a formula
    return cell


def xlsx_response(exporter: ListExporter) -> FileResponse:
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_xlsx(exporter, handle)
    handle.seek(0)
    return FileResponse(
        handle, as_attachment=True, filename=exporter.filename("xlsx"), content_type=XLSX_TYPE
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_response(exporter: ListExporter) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # Excel opens UTF-8 Chinese correctly only with the byte-order mark
        for row in exporter:
            yield writer.writerow([csv_safe(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f"attachment; filename*=UTF-8''{quote(exporter.filename('csv'))}"
    )
    return response


def export_response(exporter: ListExporter, *, fmt: str, region=None):
    """The download (`fmt` "csv", anything else XLSX), recorded in the audit log."""
    fmt = "csv" if fmt == "csv" else "xlsx"
    response = csv_response(exporter) if fmt == "csv" else xlsx_response(exporter)
    # A CSV is streamed after this returns, so its rows are not counted yet.
    _audit(exporter, fmt=fmt, rows=exporter.count if fmt == "xlsx" else None, region=region)
    return response


def export_file(exporter: ListExporter, target, *, region=None) -> int:
    """Write the XLSX to `target` (a path or binary file) for a management command, recorded in
    the audit log (as "系统": a command has no signed-in user). Returns the number of rows."""
    count = write_xlsx(exporter, target)
    _audit(exporter, fmt="xlsx", rows=count, region=region, command=True)
    return count


def _audit(exporter: ListExporter, *, fmt: str, rows, region, command: bool = False) -> None:
    """The one audit record of an export: who (from the request, or the system), what, how many
    rows, and with which filters."""
    data = {"export": exporter.title, "format": fmt, "rows": rows}
    if command:
        data["command"] = True
    actor = None if command else exporter.user
    audit_record(Action.EXPORT, actor=actor, region=region, data=data | exporter.audit_details())
