"""Typical cases as seed 001 asks: about 1,000 字 of text (the province sets the range per year,
default 800—1500) and at least 5 photos of at least 1 MB each. Every check is made before
anything is stored, and says in Chinese which field and which numbers. Cities submit cases too;
the province reviews them, and no other city reads them."""

import io
import struct

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import AuditEvent
from filestore.models import StoredFile
from summary import services
from summary.models import CaseRule, TypicalCase
from summary.selectors import case_rule_for

pytestmark = pytest.mark.usefixtures("summary_day")

NEW = reverse("summary:case_create")
LIST = reverse("summary:case_list")
MiB = 1024 * 1024


def jpeg(size: int, colour=(200, 30, 40)) -> bytes:
    """A real JPEG (made by Pillow) padded to exactly `size` bytes with comment (COM) segments
    after its start marker, as a camera's large metadata would be."""
    out = io.BytesIO()
    Image.new("RGB", (640, 480), colour).save(out, "JPEG", quality=90)
    image = out.getvalue()
    missing, segments = size - len(image), b""
    while missing > 0:
        length = min(missing, 65535 + 2) - 2  # a segment's length counts its 2 length bytes
        length = max(length, 2)
        segments += b"\xff\xfe" + struct.pack(">H", length) + bytes(length - 2)
        missing -= length + 2
    assert missing == 0, "pad by whole segments"
    return image[:2] + segments + image[2:]


def upload(name: str, size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg(size), content_type="image/jpeg")


def big_photos(count: int = 5) -> list[SimpleUploadedFile]:
    return [upload(f"照片{n}.jpg", MiB + 1000 * n) for n in range(count)]


def text(length: int) -> str:
    """`length` 字 of text, with line breaks and spaces that do not count."""
    body = ("返家乡社会实践" * (length // 7 + 1))[:length]
    return "\n\n".join(body[i : i + 100] for i in range(0, len(body), 100)) + "  "


def as_(client, user):
    client.force_login(user)
    return client


def stored() -> int:
    return StoredFile.objects.filter(name__startswith="cases/").count()


def test_the_padded_jpeg_is_a_valid_image_of_the_size_asked():
    content = jpeg(MiB + 7)
    assert len(content) == MiB + 7
    with Image.open(io.BytesIO(content)) as image:
        image.load()
        assert image.size == (640, 480)


def test_a_year_without_a_rule_uses_the_defaults(sw):
    rule = case_rule_for(sw.programme_year)
    assert rule.pk is None
    assert (rule.min_chars, rule.max_chars, rule.min_photos, rule.min_photo_bytes) == (
        800,
        1500,
        5,
        MiB,
    )


@pytest.mark.parametrize(("length", "ok"), [(799, False), (800, True), (1500, True), (1501, False)])
def test_the_text_length_is_checked_at_its_boundaries(client, sw, length, ok):
    as_(client, sw.yx_staff)
    response = client.post(
        NEW, {"title": "越秀区案例", "body": text(length), "photos": big_photos()}
    )
    assert TypicalCase.objects.exists() is ok
    if not ok:
        assert f"正文 {length} 字，要求 800—1500 字" in response.text
        assert stored() == 0


def test_a_photo_under_1_mb_is_refused_by_name_and_nothing_is_stored(client, sw):
    as_(client, sw.yx_staff)
    photos = [*big_photos(4), upload("a.jpg", 400 * 1024)]
    response = client.post(NEW, {"title": "越秀区案例", "body": text(900), "photos": photos})
    assert response.status_code == 200
    assert "照片“a.jpg”只有 0.4 MB，每张不少于 1 MB" in response.text
    assert "越秀区案例" in response.text  # what was typed is kept
    assert not TypicalCase.objects.exists() and stored() == 0


def test_too_few_photos_are_refused_with_the_numbers(client, sw):
    as_(client, sw.yx_staff)
    response = client.post(NEW, {"title": "越秀区案例", "body": text(900), "photos": big_photos(4)})
    assert "照片 4 张，要求 5—9 张" in response.text
    assert not TypicalCase.objects.exists() and stored() == 0


def test_a_case_that_meets_the_rule_is_submitted(client, sw):
    as_(client, sw.yx_staff)
    response = client.post(NEW, {"title": "越秀区案例", "body": text(1000), "photos": big_photos()})
    assert response.status_code == 302
    case = TypicalCase.objects.get()
    assert case.photos.count() == 5 and stored() == 5


def test_the_form_shows_the_rule_and_a_live_count(client, sw):
    as_(client, sw.yx_staff)
    page = client.get(NEW).text
    assert "正文 800—1500 字（不计空格和换行）" in page
    assert "共 5—9 张，每张不少于 1 MB" in page
    assert 'data-count-min="800"' in page and "data-count-for=" in page


def test_the_province_sets_the_years_rule_on_the_case_list(client, sw):
    url = reverse("summary:case_rule", args=[sw.programme_year.pk])
    as_(client, sw.province_staff)
    assert "正文 800—1500 字，照片 5—9 张，每张不少于 1 MB" in client.get(LIST).text
    values = {
        "min_chars": "900",
        "max_chars": "1200",
        "min_photos": "3",
        "max_photos": "6",
        "min_photo_mb": "0.5",
    }
    assert client.post(url, values).status_code == 302
    rule = CaseRule.objects.get(programme_year=sw.programme_year)
    assert (rule.min_chars, rule.max_chars, rule.min_photos, rule.min_photo_bytes) == (
        900,
        1200,
        3,
        MiB // 2,
    )
    assert AuditEvent.objects.filter(action="case.rule", region=sw.province).exists()
    assert "正文 900—1200 字，照片 3—6 张，每张不少于 0.5 MB" in client.get(LIST).text
    # A range upside down is refused and the form keeps what was typed.
    response = client.post(url, values | {"min_chars": "1300"}, follow=True)
    assert "最少字数 ≤ 最多字数" in response.text and 'value="1300"' in response.text
    rule.refresh_from_db()
    assert rule.min_chars == 900
    # The new rule applies to the next submission.
    as_(client, sw.yx_staff)
    response = client.post(NEW, {"title": "越秀", "body": text(850), "photos": big_photos(3)})
    assert "正文 850 字，要求 900—1200 字" in response.text


def test_only_the_province_sets_the_rule(client, sw):
    url = reverse("summary:case_rule", args=[sw.programme_year.pk])
    values = {"min_chars": "1", "max_chars": "2", "min_photos": "1", "max_photos": "1"}
    for reader in (sw.gz_staff, sw.yx_staff, sw.zsu_staff):
        as_(client, reader)
        assert client.post(url, values | {"min_photo_mb": "0"}).status_code == 403
    as_(client, sw.gx_staff)
    assert client.post(url, values | {"min_photo_mb": "0"}).status_code == 404
    as_(client, sw.province_staff)
    assert client.get(url).status_code == 405
    assert not CaseRule.objects.exists()


def test_an_edit_is_checked_against_the_rule_too(sw):
    case = services.case_submit(
        programme_year=sw.programme_year,
        region=sw.yuexiu,
        title="越秀区案例",
        body=text(900),
        photos=big_photos(),
        actor=sw.yx_staff,
    )
    with pytest.raises(Exception, match="正文 10 字"):
        services.case_update(case=case, title="越秀", body=text(10), actor=sw.yx_staff)
    case.refresh_from_db()
    assert case.title == "越秀区案例"


@pytest.fixture
def case_gz(sw):
    return services.case_submit(
        programme_year=sw.programme_year,
        region=sw.guangzhou,
        title="广州市：市区联动",
        body=text(900),
        photos=big_photos(),
        actor=sw.gz_staff,
    )


def test_a_city_submits_a_case_in_the_browser(client, sw):
    as_(client, sw.gz_staff)
    response = client.post(NEW, {"title": "广州市案例", "body": text(1000), "photos": big_photos()})
    assert response.status_code == 302
    case = TypicalCase.objects.get()
    assert (case.region, case.university) == (sw.guangzhou, None)


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("gz_staff", 200),
        ("province_staff", 200),
        ("mz_staff", 404),
        ("yx_staff", 404),
        ("gx_staff", 404),
        ("zsu_staff", 404),
    ],
)
def test_a_city_case_is_read_by_the_city_and_its_province_only(client, sw, case_gz, reader, status):
    as_(client, getattr(sw, reader))
    assert client.get(reverse("summary:case_detail", args=[case_gz.pk])).status_code == status


def test_the_province_reviews_a_city_case_and_the_city_is_told(client, sw, case_gz):
    as_(client, sw.province_staff)
    review = reverse("summary:case_review", args=[case_gz.pk])
    client.post(review, {"decision": "approve", "revision": case_gz.revision})
    case_gz.refresh_from_db()
    assert case_gz.status == "approved"
    assert sw.gz_staff.notices.filter(text__contains="广州市：市区联动").exists()
    # 广州市 cannot review its own case, nor edit it once reviewed.
    as_(client, sw.gz_staff)
    assert client.post(review, {"decision": "reject", "comment": "x"}).status_code == 403


def test_a_county_does_not_edit_its_citys_case(client, sw, case_gz):
    as_(client, sw.gz_staff)
    edit = reverse("summary:case_edit", args=[case_gz.pk])
    assert client.get(edit).status_code == 200
    as_(client, sw.yx_staff)
    assert client.get(edit).status_code == 404


def test_every_unmet_requirement_is_named_at_once(client, sw):
    as_(client, sw.yx_staff)
    photos = [*big_photos(3), upload("小图.jpg", 300 * 1024)]
    response = client.post(NEW, {"title": "越秀区案例", "body": text(623), "photos": photos})
    page = response.text
    assert "正文 623 字，要求 800—1500 字" in page
    assert "照片 4 张，要求 5—9 张" in page
    assert "照片“小图.jpg”只有 0.3 MB，每张不少于 1 MB" in page
    assert not TypicalCase.objects.exists() and stored() == 0
