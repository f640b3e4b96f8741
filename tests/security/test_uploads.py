"""Uploads are checked in one place (fanjiaxiang/uploads.py): name, emptiness, size, extension,
content, and for .docx/.xlsx the zip's directory. Every file here is built for real."""

import io
import re
import struct
import zipfile
import zlib

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from openpyxl import Workbook

from fanjiaxiang import uploads
from fanjiaxiang.uploads import UploadValidator, safe_upload_name, validate_upload

MiB = 1024 * 1024

# --- real files -------------------------------------------------------------------------------


def pdf_bytes() -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref_at = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def png_bytes() -> bytes:
    """A 1×1 grey PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def jpeg_bytes() -> bytes:
    """An 8×8 grey baseline JFIF: one Huffman code each for "DC unchanged" and "end of block"."""

    def segment(marker: int, data: bytes) -> bytes:
        return bytes([0xFF, marker]) + struct.pack(">H", len(data) + 2) + data

    one_code_of_length_one = bytes([1] + [0] * 15)
    return (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + bytes([1] * 64))
        + segment(0xC0, struct.pack(">BHHB", 8, 8, 8, 1) + b"\x01\x11\x00")
        + segment(0xC4, b"\x00" + one_code_of_length_one + b"\x00")
        + segment(0xC4, b"\x10" + one_code_of_length_one + b"\x00")
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
        + b"\x3f"  # "0" (DC), "0" (end of block), padded with ones
        + b"\xff\xd9"
    )


def ole2_bytes() -> bytes:
    """A compound-file header as .doc and .wps files start with, and an empty first sector."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
    return header.ljust(512, b"\x00") + bytes(512)


def docx_bytes(extra_members: dict[str, bytes] | None = None) -> bytes:
    members = {
        "[Content_Types].xml": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            b'<Default Extension="rels" '
            b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            b'<Default Extension="xml" ContentType="application/xml"/>'
            b'<Override PartName="/word/document.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
        ),
        "_rels/.rels": (
            b'<?xml version="1.0" encoding="UTF-8"?>'
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'
        ),
        "word/document.xml": (
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:body><w:p><w:r><w:t>返家乡实施方案</w:t></w:r></w:p></w:body></w:document>"
        ).encode(),
        **(extra_members or {}),
    }
    return zip_bytes(members)


def xlsx_bytes() -> bytes:
    workbook = Workbook()
    workbook.active.append(["姓名", "联系日期"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def exe_bytes() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(50) + b"PE\x00\x00"


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def refusal(file, *, kind: str) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        validate_upload(file, kind=kind)
    return caught.value.messages


# --- accepted ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("实施方案.pdf", pdf_bytes()),
        ("实施方案.docx", docx_bytes()),
        ("实施方案.doc", ole2_bytes()),
        ("实施方案.wps", ole2_bytes()),
        ("实施方案.PDF", pdf_bytes()),
    ],
)
def test_real_pdf_word_and_wps_files_are_accepted_as_documents(name, content):
    assert validate_upload(upload(name, content), kind=uploads.DOCUMENT) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("典型案例.jpg", jpeg_bytes()),
        ("典型案例.jpeg", jpeg_bytes()),
        ("典型案例.JPG", jpeg_bytes()),
        ("典型案例.png", png_bytes()),
    ],
)
def test_real_jpeg_and_png_photos_are_accepted_as_images(name, content):
    assert validate_upload(upload(name, content), kind=uploads.IMAGE) is None


def test_a_real_xlsx_made_by_openpyxl_is_accepted_as_a_spreadsheet():
    assert validate_upload(upload("台账.xlsx", xlsx_bytes()), kind=uploads.SPREADSHEET) is None


def test_a_file_exactly_at_the_size_limit_is_accepted():
    file = upload("实施方案.pdf", pdf_bytes())
    file.size = 20 * MiB

    validate_upload(file, kind=uploads.DOCUMENT)


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [("方案.pdf", pdf_bytes(), "document"), ("台账.xlsx", xlsx_bytes(), "spreadsheet")],
)
def test_validation_leaves_the_file_rewound(name, content, kind):
    file = upload(name, content)
    file.read()

    validate_upload(file, kind=kind)

    assert file.tell() == 0
    assert file.read() == content


def test_a_large_upload_spooled_to_disk_is_checked_the_same_way():
    # Over FILE_UPLOAD_MAX_MEMORY_SIZE, Django hands validators a TemporaryUploadedFile.
    real = TemporaryUploadedFile("台账.xlsx", "application/octet-stream", 0, None)
    real.write(xlsx_bytes())
    real.size = real.tell()
    disguised = TemporaryUploadedFile("台账.xlsx", "application/octet-stream", 0, None)
    disguised.write(docx_bytes())
    disguised.size = disguised.tell()

    assert validate_upload(real, kind="spreadsheet") is None
    assert refusal(disguised, kind="spreadsheet") == ["文件扩展名与内容不符。"]


# --- refused ----------------------------------------------------------------------------------


def test_an_empty_file_is_refused():
    assert refusal(upload("实施方案.pdf", b""), kind="document") == ["文件为空。"]


@pytest.mark.parametrize(
    ("kind", "name", "content", "message"),
    [
        ("document", "方案.pdf", pdf_bytes(), "文件过大：最大 20 MB。"),
        ("image", "照片.png", png_bytes(), "文件过大：最大 5 MB。"),
        ("spreadsheet", "台账.xlsx", xlsx_bytes(), "文件过大：最大 20 MB。"),
    ],
)
def test_a_file_one_byte_over_its_kinds_limit_is_refused(kind, name, content, message):
    file = upload(name, content)
    file.size = uploads.KINDS[kind].max_size + 1

    assert refusal(file, kind=kind) == [message]


def test_a_size_limit_can_be_lowered_in_settings(settings):
    settings.UPLOAD_MAX_SIZES = {"image": 1024}
    content = png_bytes().ljust(1025, b"\x00")

    assert refusal(upload("照片.png", content), kind="image") == ["文件过大：最大 1 KB。"]
    assert validate_upload(upload("方案.pdf", pdf_bytes()), kind="document") is None


@pytest.mark.parametrize(
    ("kind", "name", "message"),
    [
        ("document", "方案.txt", "文件类型不符：只接受 PDF、Word、WPS 文件。"),
        ("document", "方案", "文件类型不符：只接受 PDF、Word、WPS 文件。"),
        ("image", "照片.gif", "文件类型不符：只接受 JPG、PNG 图片。"),
        ("spreadsheet", "台账.xls", "文件类型不符：只接受 Excel 文件（.xlsx）。"),
        ("spreadsheet", "台账.csv", "文件类型不符：只接受 Excel 文件（.xlsx）。"),
    ],
)
def test_an_extension_the_kind_does_not_accept_is_refused(kind, name, message):
    assert refusal(upload(name, b"some content"), kind=kind) == [message]


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        pytest.param("document", "方案.pdf", exe_bytes(), id="exe-renamed-pdf"),
        pytest.param("document", "方案.pdf", png_bytes(), id="png-renamed-pdf"),
        pytest.param("document", "方案.doc", pdf_bytes(), id="pdf-renamed-doc"),
        pytest.param("document", "方案.wps", docx_bytes(), id="docx-renamed-wps"),
        pytest.param("document", "方案.docx", xlsx_bytes(), id="xlsx-renamed-docx"),
        pytest.param("document", "方案.docx", ole2_bytes(), id="doc-renamed-docx"),
        pytest.param(
            "document", "方案.docx", zip_bytes({"a.txt": b"x"}), id="plain-zip-renamed-docx"
        ),
        pytest.param("image", "照片.jpg", png_bytes(), id="png-renamed-jpg"),
        pytest.param("image", "照片.png", jpeg_bytes(), id="jpeg-renamed-png"),
        pytest.param("spreadsheet", "台账.xlsx", docx_bytes(), id="docx-renamed-xlsx"),
        pytest.param("spreadsheet", "台账.xlsx", exe_bytes(), id="exe-renamed-xlsx"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused(kind, name, content):
    assert refusal(upload(name, content), kind=kind) == ["文件扩展名与内容不符。"]


def test_a_zip_bomb_is_refused_from_its_directory_without_decompressing(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_UNCOMPRESSED_SIZE", 1 * MiB)
    bomb = docx_bytes({"word/media/zeros.bin": bytes(2 * MiB)})
    assert len(bomb) < 20_000

    def no_decompressing(*args, **kwargs):
        raise AssertionError("a zip member was opened")

    monkeypatch.setattr(zipfile.ZipFile, "open", no_decompressing)

    assert refusal(upload("方案.docx", bomb), kind="document") == ["文件解压后过大：最大 1 MB。"]


def test_a_zip_with_too_many_members_is_refused(monkeypatch):
    monkeypatch.setattr(uploads, "ZIP_MAX_MEMBERS", 5)
    crowded = docx_bytes({f"word/media/{number}.xml": b"<x/>" for number in range(3)})

    assert refusal(upload("方案.docx", crowded), kind="document") == [
        "文件内部条目过多：最多 5 个。"
    ]


def corrupted_directory(content: bytes) -> bytes:
    directory_at = content.rindex(b"PK\x01\x02")
    return content[:directory_at] + b"\xde\xad" * 23 + content[directory_at + 46 :]


@pytest.mark.parametrize(
    ("kind", "name", "content"),
    [
        pytest.param("document", "方案.docx", docx_bytes()[:-30], id="truncated-docx"),
        pytest.param("spreadsheet", "台账.xlsx", xlsx_bytes()[:200], id="truncated-xlsx"),
        pytest.param(
            "document", "方案.docx", corrupted_directory(docx_bytes()), id="garbled-directory"
        ),
    ],
)
def test_a_corrupt_zip_is_refused(kind, name, content):
    assert refusal(upload(name, content), kind=kind) == ["文件已损坏，无法读取。"]


@pytest.mark.parametrize(
    "name", ["../方案.pdf", "..\\方案.pdf", "/srv/media/方案.pdf", "方案.pdf\x00.exe"]
)
def test_a_name_with_a_path_separator_or_nul_is_refused(name):
    # Django's uploaded files keep only the base name; a plain File shows the raw name through.
    file = File(io.BytesIO(pdf_bytes()), name=name)

    assert refusal(file, kind="document") == ["文件名不合法：不能包含路径分隔符或控制字符。"]


# --- the validator in forms and models --------------------------------------------------------


class PlanForm(forms.Form):
    plan = forms.FileField(validators=[UploadValidator("document")])


def test_the_validator_refuses_a_disguised_file_in_a_form():
    form = PlanForm(files={"plan": upload("方案.pdf", exe_bytes())})

    assert not form.is_valid()
    assert form.errors["plan"] == ["文件扩展名与内容不符。"]


def test_the_validator_accepts_a_real_file_in_a_form():
    assert PlanForm(files={"plan": upload("方案.docx", docx_bytes())}).is_valid()


def test_the_validator_skips_a_file_already_in_storage():
    # What a model's full_clean passes for a file saved earlier; reading it would hit storage.
    stored = FieldFile(None, models.FileField(), "plans/3f2a9c.pdf")

    assert UploadValidator("document")(stored) is None


def test_the_validator_deconstructs_for_migrations():
    path, args, kwargs = UploadValidator("image").deconstruct()

    assert (path, args, kwargs) == ("fanjiaxiang.uploads.UploadValidator", ("image",), {})
    assert UploadValidator("image") == UploadValidator("image") != UploadValidator("document")


def test_an_unknown_kind_fails_when_the_field_is_declared():
    with pytest.raises(ValueError, match="unknown upload kind 'video'"):
        UploadValidator("video")


# --- storage names ----------------------------------------------------------------------------


def test_a_storage_name_is_random_and_keeps_only_the_lower_cased_extension():
    first, second = safe_upload_name("实施方案 终稿.PDF"), safe_upload_name("实施方案 终稿.PDF")

    assert re.fullmatch(r"[0-9a-f]{32}\.pdf", first)
    assert first != second


@pytest.mark.parametrize("name", ["../../etc/passwd", "方案", "方案.p/df", "方案.pdf\x00"])
def test_a_storage_name_drops_paths_and_odd_extensions(name):
    assert re.fullmatch(r"[0-9a-f]{32}", safe_upload_name(name))
