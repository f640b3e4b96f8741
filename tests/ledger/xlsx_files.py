"""Real ledger spreadsheets for the import and export tests, built with openpyxl, and the ledger
entries they are checked against.

`person(n)` is one valid row (a dict of field names, 越秀区); `write_ledger_file(path, rows)`
writes the template's header and the rows; `export_ledger_file(path)` writes what
`export_ledger` writes. Cells are written as given: a str is a text cell, an
int a number cell, a date a date cell, and a str starting with "=" a formula.
"""

import datetime
import io
import struct
import zipfile
import zlib
from pathlib import Path

from openpyxl import Workbook, load_workbook

from accounts.validators import id_number_make as id_number
from accounts.validators import id_number_set
from fanjiaxiang.exporters import write_xlsx
from ledger.excel import COLUMNS, headers
from ledger.exporters import LedgerExporter
from ledger.models import Entry

FIELD_OF_HEADER = {str(header): name for name, header in COLUMNS}
# What an entry holds, compared before and after an import that must change nothing.
VALUES = (
    "county_id",
    "name",
    "id_number",
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


def phone(n: int) -> str:
    return f"138{n:08d}"


def person(n: int, **cells) -> dict:
    """Every column of a valid row for person n of 越秀区; keyword arguments replace cells."""
    row = {
        "county": "440104",
        "name": f"测试{n}",
        "id_number": id_number(n),
        "phone": phone(n),
        "email": f"p{n}@example.edu.cn",
        "wechat": f"wx_{n}",
        "university": "中山大学",
        "major": "汉语言文学",
        "degree": "本科",
        "graduation_year": 2027,
        "source": "参与返家乡实践",
        "intention": "有意返乡",
        "tags": "师范、考公意向",
        "notes": "暑期在图书馆实践",
        "last_contact": datetime.date(2026, 7, 15),
    }
    row.update(cells)
    return row


def ledger_workbook(rows: list[dict], *, header: list[str] | None = None) -> Workbook:
    """A workbook whose first sheet has `header` (the template's by default) and `rows`. A
    header the ledger does not know takes the row's value under that header text."""
    header = headers() if header is None else header
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(FIELD_OF_HEADER.get(h, h)) for h in header])
    return workbook


def write_ledger_file(path: Path, rows: list[dict], *, header: list[str] | None = None) -> Path:
    ledger_workbook(rows, header=header).save(path)
    return path


def export_ledger_file(path: Path, *, county=None) -> int:
    """The ledger (every county, or one) as `export_ledger` writes it; returns the rows."""
    return write_xlsx(LedgerExporter.unscoped(county=county), path)


def xlsx_bytes(rows: list[dict]) -> bytes:
    buffer = io.BytesIO()
    ledger_workbook(rows).save(buffer)
    return buffer.getvalue()


def with_padded_sheet(content: bytes, padding: int) -> bytes:
    """The same .xlsx with `padding` spaces of (valid) whitespace inside its sheet's XML: a few
    kilobytes compressed, `padding` bytes once decompressed."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", b" " * padding + b"</worksheet>")
            target.writestr(info.filename, data)
    return out.getvalue()


def read_sheet(path) -> list[list]:
    """The first sheet's cells as openpyxl reads them (values only)."""
    sheet = load_workbook(path).worksheets[0]
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def entry(county, n: int, **fields) -> Entry:
    """A ledger entry for person n, as the import would have written it."""
    number = fields.pop("id_number", id_number(n))
    values = {
        "name": f"已登记{n}",
        "phone": phone(n),
        "university": "华南师范大学",
        "graduation_year": 2026,
        "tags": "已联系",
    }
    values.update(fields)
    created = Entry(county=county, **values)
    id_number_set(created, number)
    created.save(force_insert=True)
    return created


def ledger_state() -> list[tuple]:
    """Every entry's values, in a stable order: equal before and after means nothing changed."""
    return [
        tuple(getattr(e, name) for name in ("pk", *VALUES, "updated_at"))
        for e in Entry.objects.order_by("pk")
    ]


def with_understated_sheet(content: bytes, *, declared_up_to: bytes, padding: int) -> bytes:
    """The same .xlsx with `padding` spaces at the end of its sheet's data, whose zip entries
    (local header and central directory) declare only the sheet's XML before `declared_up_to`,
    with that part's CRC: a zip bomb that lies about its size to pass a check of the directory."""
    source = zipfile.ZipFile(io.BytesIO(content))
    name = "xl/worksheets/sheet1.xml"
    sheet = source.read(name)
    real = sheet.replace(b"</sheetData>", b" " * padding + b"</sheetData>")
    declared = sheet[: sheet.index(declared_up_to)]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            target.writestr(info.filename, real if info.filename == name else source.read(info))
    data = bytearray(out.getvalue())
    size_and_crc = {"crc": zlib.crc32(declared), "size": len(declared)}
    patched = 0
    # Local file header: CRC at 14, uncompressed size at 22, name length at 26, name at 30.
    # Central directory header: CRC at 16, uncompressed size at 24, name length at 28, name at 46.
    for signature, crc_at, size_at, length_at, name_at in (
        (b"PK\x03\x04", 14, 22, 26, 30),
        (b"PK\x01\x02", 16, 24, 28, 46),
    ):
        at = data.find(signature)
        while at != -1:
            length = struct.unpack_from("<H", data, at + length_at)[0]
            if data[at + name_at : at + name_at + length] == name.encode():
                struct.pack_into("<I", data, at + crc_at, size_and_crc["crc"])
                struct.pack_into("<I", data, at + size_at, size_and_crc["size"])
                patched += 1
            at = data.find(signature, at + 4)
    assert patched == 2, "the sheet's local header and directory entry were both rewritten"
    return bytes(data)
