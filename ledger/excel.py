"""Excel into the ledger: the template, and the import that writes nothing until every row of
the file is valid. The export, in this module's `COLUMNS`, is `ledger.exporters.LedgerExporter`.

The import runs in two steps that share one reader:

- `check_file` opens the upload safely (type, size and uncompressed size first, then merged cells
  and formulas), cleans every row into an `Entry`'s fields and says which rows are new and which
  update someone already in the ledger. Every bad row is reported with its number, column and a
  reason in Chinese.
- `import_file` does the check again under a lock on the counties it touches (the ledger may have
  changed since the preview) and writes everything in one transaction with bulk inserts and
  updates, or nothing.

Why not django-import-export for this import: a row here finds its person by the ID number's
keyed digest or else by the phone, several rows of a file may name the same person, and every
error must name the row and the column in Chinese. Its per-row instance lookup and tablib's
openpyxl reading also made a 50,000-row file take minutes even with its bulk settings;
benchmarks/ledger.py runs a ModelResource with its default and its bulk settings on the same
file. Reading uses python-calamine (a 50,000-row sheet in about 1.5 s, against 20 s and more for
openpyxl's read-only mode).
"""

import datetime
import re
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import phonenumbers
from defusedxml import ElementTree
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.validators import EmailValidator
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from python_calamine import CalamineWorkbook

from accounts.audit import Action, audit_record
from accounts.validators import (
    id_number_clean,
    id_number_digest,
    id_number_mask,
    id_number_set,
    mask_phone,
    normalize_phone,
)
from fanjiaxiang.bulk import bulk_insert
from fanjiaxiang.exporters import XLSX_TYPE  # noqa: F401 - views import it from here
from fanjiaxiang.params import int_param
from fanjiaxiang.uploads import validate_upload
from ledger.models import (
    ENTRY_FIELDS,
    PLAIN_ENTRY_FIELDS,
    Entry,
    Intention,
    Source,
    tags_clean,
)
from positions.models import Region
from students.models import Student

# The file's own words for each column.
HEADERS = {
    "county": gettext_lazy("县区代码"),
    "name": gettext_lazy("姓名"),
    "id_number": gettext_lazy("身份证号"),
    "phone": gettext_lazy("手机号"),
    "email": gettext_lazy("电子邮箱"),
    "wechat": gettext_lazy("微信号"),
    "university": gettext_lazy("就读高校"),
    "major": gettext_lazy("专业"),
    "degree": gettext_lazy("学历"),
    "graduation_year": gettext_lazy("毕业年份"),
    "source": gettext_lazy("联系渠道"),
    "intention": gettext_lazy("返乡意向"),
    "tags": gettext_lazy("标签"),
    "notes": gettext_lazy("备注"),
    "last_contact": gettext_lazy("最近联系日期"),
}
# (field, header). The export writes these in this order; the import reads them in any order.
COLUMNS = tuple((name, HEADERS[name]) for name in ("county", *ENTRY_FIELDS))
# Fields an import sets on an entry; a blank cell leaves what the ledger already holds.
WRITABLE = PLAIN_ENTRY_FIELDS
TEXT_LIMITS = {"name": 30, "wechat": 50, "university": 100, "major": 100, "notes": 2000}
FORMULA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")
MAX_ERRORS = 1000
# Mainland mobile numbers by libphonenumber's own metadata (the pattern is_valid_number uses).
MOBILE = re.compile(
    phonenumbers.PhoneMetadata.metadata_for_region("CN").mobile.national_number_pattern  # type: ignore[type-var]
)
PREVIEW_ROWS = 20
PROGRESS_EVERY = 1000


def headers() -> list[str]:
    return [str(header) for _name, header in COLUMNS]


# Reading -------------------------------------------------------------------------------------


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        where = _("第 %(row)s 行") % {"row": self.row} if self.row else _("文件")
        column = f"「{self.column}」" if self.column else ""
        return f"{where}{column}：{self.message}"


@dataclass
class Checked:
    """What a file would do: rows cleaned, each with the entry it updates (None: a new entry)."""

    rows: list[dict] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    total: int = 0
    changed: int = 0  # of the rows that matched someone, those whose entry actually changed

    def error(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(RowError(row, column, str(message)))

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    @property
    def created(self) -> int:
        return sum(1 for row in self.rows if row["_entry"] is None)

    @property
    def updated(self) -> int:
        return len(self.rows) - self.created

    def preview(self) -> list[dict]:
        return [
            {
                "row": row["_row"],
                "action": str(_("新增") if row["_entry"] is None else _("更新")),
                "name": row["name"],
                "id_number": id_number_mask(row["id_number"]) if row["id_number"] else "",
                "phone": mask_phone(row["phone"]),
                "university": row["university"],
                "graduation_year": row["graduation_year"] or "",
                "source": str(Source(row["source"]).label) if row["source"] else "",
            }
            for row in self.rows[:PREVIEW_ROWS]
        ]


class FileRefused(Exception):
    """The file as a whole cannot be read (not Excel, too big, merged cells, wrong headers)."""

    def __init__(self, messages: list[str]):
        super().__init__("; ".join(messages))
        self.messages = messages


def _open(source) -> tuple[File, bool]:
    if isinstance(source, (str, Path)):
        return File(open(source, "rb"), name=Path(source).name), True  # noqa: SIM115
    return source, False


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The XML part of the workbook's first sheet (the one the import reads)."""
    book = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    sheet = next(el for el in book.iter() if el.tag.endswith("}sheet") or el.tag == "sheet")
    rid = next(v for k, v in sheet.attrib.items() if k.endswith("}id"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    target = next(el.get("Target") for el in rels.iter() if el.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"


def _formula_cells(handle) -> list[tuple[int, int]]:
    """(row, column) of every formula in the first sheet (the reader returns only formulas'
    cached values). A fast scan of the sheet's XML, in chunks, looks for any formula element;
    only when it finds one is the sheet parsed (defusedxml) to say which cells."""
    handle.seek(0)
    unreadable = FileRefused([_("无法读取此 Excel 文件，请另存为 .xlsx 后再试。")])
    try:
        with zipfile.ZipFile(handle) as archive:
            part = _first_sheet_part(archive)
            with archive.open(part) as stream:
                tail, seen = b"", False
                while chunk := stream.read(1 << 20):
                    data = tail + chunk
                    if FORMULA_TAG.search(data):
                        seen = True
                        break
                    tail = data[-64:]
            if not seen:
                return []
            with archive.open(part) as stream:
                return _formula_positions(stream)
    except FileRefused:
        raise
    except Exception as error:  # zlib, zip flags, bad XML, bad references: all "unreadable"
        raise unreadable from error


def _formula_positions(stream) -> list[tuple[int, int]]:
    found, row, column = [], 0, 0
    for event, element in ElementTree.iterparse(stream, events=("start", "end")):
        tag = element.tag.rsplit("}", 1)[-1]
        if event == "start" and tag == "row":
            row = int(element.get("r") or row + 1)
            column = 0
        elif event == "start" and tag == "c":
            ref = element.get("r")
            letters = ref.rstrip("0123456789") if ref else ""
            column = column_index_from_string(letters) if letters else column + 1
        elif event == "start" and tag == "f":
            found.append((row, column))
        elif event == "end" and tag in ("c", "row"):
            element.clear()
    return sorted(set(found))


def _header_map(cells, *, county_given: bool) -> dict[str, int]:
    known = {str(header): name for name, header in COLUMNS}
    mapping, problems = {}, []
    for index, cell in enumerate(cells):
        text = str(cell).strip() if cell is not None else ""
        if not text:
            continue
        if text not in known:
            problems.append(
                _("第 1 行有无法识别的列「%(name)s」，请使用下载的模板。") % {"name": text}
            )
        elif known[text] in mapping:
            problems.append(_("列「%(name)s」出现了两次。") % {"name": text})
        else:
            mapping[known[text]] = index
    missing = [
        str(header)
        for name, header in COLUMNS
        if name not in mapping and not (name == "county" and county_given)
    ]
    if missing:
        problems.append(
            _("缺少列：%(names)s。请使用下载的模板，表头在第 1 行。")
            % {"names": "、".join(missing)}
        )
    if problems:
        raise FileRefused(problems)
    return mapping


def _rows(source, *, county_given: bool) -> Iterator[tuple[int, dict, list]]:
    """(row number, {field: cell}, [formula columns]) for each row that is not empty. The first
    item is (0, {"_total": rows}, [])."""
    handle, opened = _open(source)
    try:
        try:
            validate_upload(handle, kind="spreadsheet")  # type, size, uncompressed size first
        except ValidationError as error:
            raise FileRefused(list(error.messages)) from error
        formulas = defaultdict(list)
        for row, column in _formula_cells(handle):
            formulas[row].append(column)
        handle.seek(0)
        try:
            workbook = CalamineWorkbook.from_filelike(handle)
            sheet = workbook.get_sheet_by_index(0)
        except Exception as error:  # the reader raises several kinds for a damaged file
            raise FileRefused([_("无法读取此 Excel 文件，请另存为 .xlsx 后再试。")]) from error
        merged = sheet.merged_cell_ranges or []
        if merged:
            ranges = [
                f"{get_column_letter(a[1] + 1)}{a[0] + 1}:{get_column_letter(b[1] + 1)}{b[0] + 1}"
                for a, b in merged[:5]
            ]
            raise FileRefused(
                [
                    _("文件中有合并单元格（%(ranges)s），请取消合并、每行填写完整后再导入。")
                    % {"ranges": "、".join(ranges)}
                ]
            )
        first_row, first_column = sheet.start or (0, 0)
        rows = _guarded(sheet.iter_rows())
        header = next(rows, None)
        if header is None or first_row != 0:
            raise FileRefused([_("第 1 行应为表头，请使用下载的模板。")])
        header = [""] * first_column + list(header)
        mapping = _header_map(header, county_given=county_given)
        yield 0, {"_total": max(sheet.height - 1, 0)}, []
        columns = {index + 1: name for name, index in mapping.items()}
        for number, cells in enumerate(rows, start=2):
            cells = [""] * first_column + list(cells)
            values = {
                name: (cells[index] if index < len(cells) else "")
                for name, index in mapping.items()
            }
            if all(v == "" or v is None for v in values.values()):
                continue
            yield number, values, [columns[c] for c in formulas.get(number, ()) if c in columns]
    finally:
        if opened:
            handle.close()


def _guarded(rows):
    """The reader's rows; a damaged part of the file found half-way is "unreadable", not a 500."""
    try:
        yield from rows
    except Exception as error:
        raise FileRefused([_("无法读取此 Excel 文件，请另存为 .xlsx 后再试。")]) from error


LABELS = {
    "degree": {str(label): value for value, label in Student.Degree.choices},
    "source": {str(label): value for value, label in Source.choices},
    "intention": {str(label): value for value, label in Intention.choices},
}
# Words a file made before they were renamed may still hold: read, never offered.
FORMER_LABELS = {"source": {"返家乡参与": Source.PARTICIPATION.value}}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class _Cleaner:
    """Turns one row's cells into an entry's fields, reporting each bad cell."""

    def __init__(self, checked: Checked, county: Region | None):
        self.checked = checked
        self.county = county
        self.counties: dict[str, int] = {}
        if county is None:
            self.counties = dict(
                Region.objects.filter(level=Region.Level.COUNTY).values_list("code", "id")
            )
        self.email = EmailValidator()
        self.labels = {name: dict(choices) for name, choices in LABELS.items()}
        self.accepted = {
            name: {**choices, **FORMER_LABELS.get(name, {})} for name, choices in LABELS.items()
        }
        self.header = {name: str(header) for name, header in COLUMNS}

    def bad(self, number: int, name: str, message) -> None:
        self.checked.error(number, self.header[name], message)

    def row(self, number: int, cells: dict, formulas: list) -> dict | None:
        errors_before = self.checked.error_count
        for name in formulas:
            self.bad(number, name, _("单元格是公式，请复制后“粘贴为数值”再导入。"))
        if formulas:
            return None
        out: dict[str, Any] = {"_row": number}
        out["county_id"] = self._county(number, cells.get("county"))
        name = _text(cells.get("name"))
        if not name:
            self.bad(number, "name", _("必须填写。"))
        out["name"] = name
        out["id_number"] = self._id_number(number, cells.get("id_number"))
        out["phone"] = self._phone(number, cells.get("phone"))
        if not _text(cells.get("id_number")) and not _text(cells.get("phone")):
            self.bad(number, "phone", _("身份证号和手机号至少填写一项。"))
        email = _text(cells.get("email"))
        if email:
            try:
                self.email(email)
            except ValidationError:
                self.bad(number, "email", _("电子邮箱格式不正确：%(value)s") % {"value": email})
        out["email"] = email
        for key in ("wechat", "university", "major", "notes"):
            out[key] = _text(cells.get(key))
        for key in ("name", "wechat", "university", "major", "notes"):
            if len(out[key]) > TEXT_LIMITS[key]:
                self.bad(number, key, _("不能超过 %(n)s 个字。") % {"n": TEXT_LIMITS[key]})
        for key in ("degree", "source", "intention"):
            out[key] = self._choice(number, key, cells.get(key))
        out["graduation_year"] = self._year(number, cells.get("graduation_year"))
        tags = tags_clean(_text(cells.get("tags")))
        if len(tags) > 200:
            self.bad(number, "tags", _("标签合计不能超过 200 个字。"))
        out["tags"] = tags
        out["last_contact"] = self._date(number, cells.get("last_contact"))
        return out if self.checked.error_count == errors_before else None

    def _county(self, number: int, value) -> int | None:
        code = _text(value)
        if self.county is not None:
            if code and code != self.county.code:
                self.bad(
                    number,
                    "county",
                    _("县区代码 %(code)s 与本次导入的%(name)s（%(own)s）不符。")
                    % {"code": code, "name": self.county.name, "own": self.county.code},
                )
            return self.county.pk
        if not code:
            self.bad(number, "county", _("必须填写县区代码（6 位行政区划代码）。"))
            return None
        if code not in self.counties:
            self.bad(number, "county", _("不是有效的县级行政区划代码：%(code)s") % {"code": code})
            return None
        return self.counties[code]

    def _id_number(self, number: int, value) -> str:
        if value is None or value == "":
            return ""
        if isinstance(value, (int, float)):
            self.bad(
                number,
                "id_number",
                _("请把身份证号所在列设为“文本”格式后重新填写（数字格式会丢失末几位）。"),
            )
            return ""
        try:
            return id_number_clean(_text(value)) if _text(value) else ""
        except ValidationError:
            self.bad(
                number,
                "id_number",
                _("身份证号无效（请核对 18 位号码及最后一位校验码）：%(v)s")
                % {"v": _text(value)[:20]},
            )
            return ""

    def _phone(self, number: int, value) -> str:
        text = _text(value)
        if not text:
            return ""
        if len(text) == 11 and MOBILE.fullmatch(text):
            return text  # what normalize_phone returns for a mobile, without its slow parse
        try:
            return normalize_phone(text)
        except ValidationError:
            self.bad(
                number, "phone", _("不是有效的手机号或固定电话：%(value)s") % {"value": text[:20]}
            )
            return ""

    def _choice(self, number: int, key: str, value) -> str:
        text = _text(value)
        if not text:
            return ""  # a new entry gets the default (see _new_entry); a known one keeps its own
        if text in self.accepted[key]:
            return self.accepted[key][text]
        self.bad(
            number,
            key,
            _("“%(value)s”不是可选值，应为：%(options)s")
            % {"value": text[:20], "options": "、".join(self.labels[key])},
        )
        return ""

    def _year(self, number: int, value) -> int | None:
        text = _text(value)
        if not text:
            return None
        if isinstance(value, (datetime.date, datetime.datetime)):
            text = ""
        year = int_param(text, low=1950, high=2100)
        if year is None:
            self.bad(number, "graduation_year", _("应为四位年份，如 2027。"))
        return year

    def _date(self, number: int, value) -> datetime.date | None:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str) and not value.strip():
            return None
        self.bad(
            number,
            "last_contact",
            _("“%(value)s”是文本，不是日期。请把单元格设为日期格式，如 2026-07-15。")
            % {"value": _text(value)[:20]},
        )
        return None


def check_file(
    source,
    *,
    county: Region | None,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """Read and clean every row, find who each row is, and report everything wrong. Writes
    nothing. `source` is a path or an open binary file; `county` None means every row names its
    county by code (the command without --county)."""
    checked = Checked()
    try:
        cleaner = _Cleaner(checked, county)
        for number, cells, formulas in _rows(source, county_given=county is not None):
            if number == 0:
                checked.total = cells["_total"]
                continue
            row = cleaner.row(number, cells, formulas)
            if row is not None:
                checked.rows.append(row)
            if progress and number % PROGRESS_EVERY == 0:
                progress(number - 1, checked.total)
    except FileRefused as refused:
        for message in refused.messages:
            checked.error(0, "", message)
        return checked
    if not checked.rows and checked.ok:
        checked.error(0, "", _("文件里没有数据行（第 1 行是表头，从第 2 行起填写）。"))
    _find_people(checked)
    return checked


def _find_people(checked: Checked) -> None:
    """Who each row is: the same ID number, or else the same phone, in the same county; two rows
    naming one person are refused (the county decides which is right)."""
    by_county = defaultdict(list)
    for row in checked.rows:
        by_county[row["county_id"]].append(row)
    for county_id, rows in by_county.items():
        by_digest, by_phone_no_id, by_phone = {}, {}, defaultdict(list)
        existing = Entry.objects.filter(county_id=county_id).values_list(
            "id", "id_number_digest", "phone"
        )
        for pk, digest, phone in existing.iterator(chunk_size=5000):
            if digest:
                by_digest[digest] = pk
            elif phone:
                by_phone_no_id[phone] = pk
            if phone:
                by_phone[phone].append(pk)
        seen_key: dict[tuple, int] = {}
        seen_entry: dict[int, int] = {}
        phones_any: dict[str, int] = {}
        phones_without_id: dict[str, int] = {}
        for row in rows:
            number = row["_row"]
            digest = id_number_digest(row["id_number"]) if row["id_number"] else ""
            row["_digest"] = digest
            key = ("id", digest) if digest else ("phone", row["phone"])
            if key in seen_key:
                column = _("身份证号") if digest else _("手机号")
                checked.error(
                    number,
                    column,
                    _("与第 %(other)s 行是同一人（%(column)s相同），请合并为一行。")
                    % {"other": seen_key[key], "column": column},
                )
                continue
            seen_key[key] = number
            # A phone-only row and a row with an ID number and the same phone: without an ID the
            # phone is who the row is, so it must not be read as two people (the file would be
            # accepted once and refused the next time).
            phone = row["phone"]
            other = (phones_any if not digest else phones_without_id).get(phone) if phone else None
            if other:
                checked.error(
                    number,
                    _("手机号"),
                    _("手机号与第 %(other)s 行相同：若是同一人请合并为一行，否则请填写身份证号。")
                    % {"other": other},
                )
                continue
            if phone:
                phones_any.setdefault(phone, number)
                if not digest:
                    phones_without_id[phone] = number
            if digest:
                entry = by_digest.get(digest) or by_phone_no_id.get(row["phone"])
            else:
                matches = by_phone.get(row["phone"], [])
                if len(matches) > 1:
                    checked.error(
                        number,
                        _("手机号"),
                        _("台账中有多人使用此手机号，请填写身份证号以区分。"),
                    )
                    continue
                entry = matches[0] if matches else None
            if entry is not None and entry in seen_entry:
                checked.error(
                    number,
                    "",
                    _("与第 %(other)s 行对应台账中的同一人，请合并为一行。")
                    % {"other": seen_entry[entry]},
                )
                continue
            if entry is not None:
                seen_entry[entry] = number
            row["_entry"] = entry
    checked.rows = [row for row in checked.rows if "_entry" in row] if checked.ok else []


# Writing -------------------------------------------------------------------------------------


@transaction.atomic
def import_file(
    source,
    *,
    county: Region | None,
    actor=None,
    progress: Callable[[int, int], None] | None = None,
) -> Checked:
    """Check the file again and, only if every row is valid, write it in this transaction.
    Counties are locked for the write so two imports of one county run one after the other."""
    if county is not None:
        Region.objects.select_for_update().get(pk=county.pk)
    checked = check_file(source, county=county, progress=progress)
    if not checked.ok:
        return checked
    county_ids = sorted({row["county_id"] for row in checked.rows})
    if county is None:
        list(Region.objects.select_for_update().filter(pk__in=county_ids).order_by("pk"))
        checked = check_file(source, county=None)  # who is who may have changed while waiting
        if not checked.ok:
            return checked
    _insert_all([_new_entry(row) for row in checked.rows if row["_entry"] is None])
    updates = {row["_entry"]: row for row in checked.rows if row["_entry"] is not None}
    ids = list(updates)
    changed = []
    for start in range(0, len(ids), 2000):
        for entry in Entry.objects.filter(pk__in=ids[start : start + 2000]):
            if _apply(entry, updates[entry.pk]):
                changed.append(entry)
    _update_all(changed)
    checked.changed = len(changed)
    for county_id in county_ids:
        rows = [row for row in checked.rows if row["county_id"] == county_id]
        audit_record(
            Action.LEDGER_IMPORT,
            region=Region.objects.get(pk=county_id),
            actor=actor,
            data={
                "rows": len(rows),
                "created": sum(1 for row in rows if row["_entry"] is None),
                "updated": sum(1 for row in rows if row["_entry"] is not None),
            },
        )
    return checked


def _new_entry(row: dict) -> Entry:
    entry = Entry(
        county_id=row["county_id"],
        **{name: row[name] for name in WRITABLE}
        | {
            "source": row["source"] or Source.OTHER,
            "intention": row["intention"] or Intention.UNDECIDED,
        },
    )
    id_number_set(entry, row["id_number"])
    return entry


def _apply(entry: Entry, row: dict) -> bool:
    """A filled cell replaces what the ledger holds; a blank one keeps it; tags add up. True if
    anything changed (a file imported again as is changes nobody)."""
    before = [getattr(entry, name) for name in UPDATED]
    if row["id_number"] and not entry.id_number_digest:
        id_number_set(entry, row["id_number"])
    for name in WRITABLE:
        value = row[name]
        if name == "tags":
            tags = [t for t in entry.tags.split("、") if t]
            tags += [t for t in value.split("、") if t and t not in tags]
            value = "、".join(tags)[:200]
        if value not in ("", None):
            setattr(entry, name, value)
    return before != [getattr(entry, name) for name in UPDATED]


UPDATED = (*WRITABLE, "id_number", "id_number_digest", "id_number_masked")


def _insert_all(entries: list[Entry]) -> None:
    if not entries:
        return
    fields = [f for f in Entry._meta.concrete_fields if not f.primary_key]
    now = timezone.now()
    for entry in entries:
        entry.created_at = entry.updated_at = now
    rows = (
        [f.get_db_prep_save(getattr(e, f.attname), connection) for f in fields] for e in entries
    )
    bulk_insert(Entry, [f.attname for f in fields], rows)


def _update_all(entries: list[Entry]) -> None:
    """One UPDATE statement run for many rows (executemany): Django's bulk_update builds a CASE
    per field per row and took minutes for 50,000 changed rows."""
    if not entries:
        return
    fields = [Entry._meta.get_field(name) for name in (*UPDATED, "updated_at")]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(  # noqa: S608  # nosec B608 - names from the model only
        quote(Entry._meta.db_table),
        ", ".join(f"{quote(str(f.column))} = %s" for f in fields),
        quote("id"),
    )
    now = timezone.now()
    params = []
    for entry in entries:
        entry.updated_at = now
        values = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
        params.append([*values, entry.pk])
    with connection.cursor() as cursor:
        for start in range(0, len(params), 1000):
            cursor.executemany(sql, params[start : start + 1000])


# The template --------------------------------------------------------------------------------


def write_template(target) -> None:
    """An empty ledger with the headers, text-formatted ID and phone columns, an example row
    and a sheet of instructions."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(_("联系台账"))
    sheet.append(headers())
    fill = PatternFill("solid", fgColor="FDE2E1")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = fill
    for column, width in zip(
        "ABCDEFGHIJKLMNO", (10, 10, 22, 15, 22, 14, 20, 16, 10, 10, 18, 10, 16, 24, 14), strict=True
    ):
        sheet.column_dimensions[column].width = width
    for row in range(2, 2002):
        for column in "ACD":
            sheet[f"{column}{row}"].number_format = "@"
        sheet[f"O{row}"].number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    notes = workbook.create_sheet(str(_("填写说明")))
    lines = [
        _("每行一人，第 1 行是表头，请勿修改表头；不要合并单元格，不要使用公式。"),
        _("县区代码：6 位行政区划代码；在本县导入时可留空。"),
        _(
            "身份证号和手机号至少填一项；同一人只填一行。已在台账中的人（身份证号相同，或没有身份证号时手机号相同）会被更新，不会重复登记。"
        ),
        _("身份证号、手机号列已设为文本格式，请直接填写或“粘贴为数值”。"),
        _("学历：%(v)s") % {"v": "、".join(LABELS["degree"])},
        _("联系渠道：%(v)s（留空为“其他”）") % {"v": "、".join(LABELS["source"])},
        _("返乡意向：%(v)s（留空为“尚未确定”）") % {"v": "、".join(LABELS["intention"])},
        _("标签用顿号分隔，如：师范、考公意向。"),
        _("最近联系日期请填日期格式，如 2026-07-15。"),
        _(
            "留空的单元格不会清除台账中已有的内容。整个文件检查无误后才会写入，有任何一行出错都不会导入。"
        ),
    ]
    for line in lines:
        notes.append([str(line)])
    notes.column_dimensions["A"].width = 110
    workbook.save(target)
