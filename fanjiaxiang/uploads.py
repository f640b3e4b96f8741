"""The one place uploads are checked: implementation plans (PDF, Word, WPS), typical-case photos
(JPG, PNG) and ledger spreadsheets (.xlsx).

A file passes only if its name is a plain name, it is not empty, it is within its kind's size,
its extension is one the kind accepts, and its content is what the extension claims. The user's
file name is never used as a storage path: see `safe_upload_name`.

Sizes can be changed per kind with the optional setting `UPLOAD_MAX_SIZES`, e.g.
`{"document": 50 * 1024 * 1024}`.
"""

import os
import uuid
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.utils.deconstruct import deconstructible
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from filetype.types import archive, image

MiB = 1024 * 1024

DOCUMENT = "document"
IMAGE = "image"
SPREADSHEET = "spreadsheet"

DOCUMENT_MAX_SIZE = 20 * MiB
IMAGE_MAX_SIZE = 5 * MiB
SPREADSHEET_MAX_SIZE = 20 * MiB

# .docx and .xlsx are zip files. Their members' declared sizes are what a reader decompresses
# (Python's zipfile stops at the declared size), so bounding them bounds a zip bomb.
ZIP_MAX_UNCOMPRESSED_SIZE = 200 * MiB
ZIP_MAX_MEMBERS = 2000

OLE2_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # .doc and .wps (compound file)
ZIP_SIGNATURE = b"PK\x03\x04"
MAGIC_MATCHERS = {
    "pdf": archive.Pdf(),
    "jpg": image.Jpeg(),
    "jpeg": image.Jpeg(),
    "png": image.Png(),
}


@dataclass(frozen=True)
class UploadKind:
    label: str | Promise  # what the user is told the kind accepts
    extensions: tuple[str, ...]
    max_size: int


KINDS: dict[str, UploadKind] = {
    DOCUMENT: UploadKind(
        gettext_lazy("PDF、Word、WPS 文件"), ("pdf", "doc", "docx", "wps"), DOCUMENT_MAX_SIZE
    ),
    IMAGE: UploadKind(gettext_lazy("JPG、PNG 图片"), ("jpg", "jpeg", "png"), IMAGE_MAX_SIZE),
    SPREADSHEET: UploadKind(gettext_lazy("Excel 文件（.xlsx）"), ("xlsx",), SPREADSHEET_MAX_SIZE),
}


def validate_upload(file: File, *, kind: str) -> None:
    """Raise ValidationError unless `file` is a non-empty, small enough file of `kind` whose
    content matches its extension. Leaves the file rewound."""
    upload_kind = KINDS[kind]
    name = file.name or ""
    if any(char in "/\\" or ord(char) < 32 for char in name):
        raise ValidationError(
            _("文件名不合法：不能包含路径分隔符或控制字符。"), code="upload_bad_name"
        )
    size = file.size
    if not size:
        raise ValidationError(_("文件为空。"), code="upload_empty")
    max_size = max_upload_size(kind)
    if size > max_size:
        raise ValidationError(
            _("文件过大：最大 %(limit)s。"),
            code="upload_too_large",
            params={"limit": _human_size(max_size)},
        )
    extension = _extension(name)
    if extension not in upload_kind.extensions:
        raise ValidationError(
            _("文件类型不符：只接受 %(types)s。"),
            code="upload_wrong_type",
            params={"types": upload_kind.label},
        )
    try:
        _check_content(file, extension)
    finally:
        file.seek(0)


def max_upload_size(kind: str) -> int:
    return getattr(settings, "UPLOAD_MAX_SIZES", {}).get(kind, KINDS[kind].max_size)


@deconstructible
class UploadValidator:
    """For a form or model FileField: `validators=[UploadValidator("document")]`."""

    def __init__(self, kind: str):
        if kind not in KINDS:
            raise ValueError(f"unknown upload kind {kind!r}; expected one of {sorted(KINDS)}")
        self.kind = kind

    def __call__(self, file: File) -> None:
        # A model's full_clean also validates a file stored earlier (its name is then a storage
        # path such as "plans/3f2a….pdf"); that file was checked when it was uploaded.
        if getattr(file, "_committed", False):
            return
        validate_upload(file, kind=self.kind)

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and other.kind == self.kind

    def __hash__(self) -> int:
        return hash(self.kind)


def safe_upload_name(original_name: str) -> str:
    """A random storage name that keeps only the lower-cased extension of the user's name."""
    extension = _extension(original_name)
    if not (extension.isascii() and extension.isalnum() and len(extension) <= 8):
        extension = ""
    return uuid.uuid4().hex + (f".{extension}" if extension else "")


def _extension(name: str) -> str:
    return os.path.splitext(name)[1].lower().removeprefix(".")


def _check_content(file: File, extension: str) -> None:
    file.seek(0)
    head = file.read(512)
    if extension in ("docx", "xlsx"):
        matches = head.startswith(ZIP_SIGNATURE) and _office_zip_has_part(
            file, "word/" if extension == "docx" else "xl/"
        )
    elif extension in ("doc", "wps"):
        matches = head.startswith(OLE2_SIGNATURE)
    else:
        matches = MAGIC_MATCHERS[extension].match(head)
    if not matches:
        raise ValidationError(_("文件扩展名与内容不符。"), code="upload_content_mismatch")


def _office_zip_has_part(file: File, part_prefix: str) -> bool:
    """Read only the zip's directory (nothing is decompressed): refuse a corrupt zip or a zip
    bomb, then say whether it holds an Office package's parts."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as error:
        raise ValidationError(_("文件已损坏，无法读取。"), code="upload_corrupt") from error
    if len(members) > ZIP_MAX_MEMBERS:
        raise ValidationError(
            _("文件内部条目过多：最多 %(limit)s 个。"),
            code="upload_too_many_members",
            params={"limit": ZIP_MAX_MEMBERS},
        )
    if sum(member.file_size for member in members) > ZIP_MAX_UNCOMPRESSED_SIZE:
        raise ValidationError(
            _("文件解压后过大：最大 %(limit)s。"),
            code="upload_uncompressed_too_large",
            params={"limit": _human_size(ZIP_MAX_UNCOMPRESSED_SIZE)},
        )
    names = {member.filename for member in members}
    return "[Content_Types].xml" in names and any(n.startswith(part_prefix) for n in names)


def _human_size(size: int) -> str:
    if size >= MiB:
        return f"{size / MiB:g} MB"
    if size >= 1024:
        return f"{size / 1024:g} KB"
    return f"{size} B"
