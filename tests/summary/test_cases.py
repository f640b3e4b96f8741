"""Typical cases: 越秀区 (or 中山大学) submits text and 1–6 photos and edits them until 团省委
reviews; 广州市 reads 越秀区's cases; everyone else gets 404; photos only through the case's
scoped view; a file that is not an image is refused in Chinese and nothing is stored."""

import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import AuditEvent, Notice
from demo.summary import png
from filestore.models import StoredFile
from summary import services
from summary.models import CasePhoto, TypicalCase

pytestmark = pytest.mark.usefixtures("summary_day", "lenient_case_rule")

NEW = reverse("summary:case_create")
BODY = "暑期，区团委依托青年之家组织返乡大学生开展岗前培训和集中交流。"


def photo(name="活动.png", content=None):
    return SimpleUploadedFile(name, content or png(), content_type="image/png")


def as_(client, user):
    client.force_login(user)
    return client


def stored_files() -> list[str]:
    return sorted(
        StoredFile.objects.filter(name__startswith="cases/").values_list("name", flat=True)
    )


@pytest.fixture
def case_yx(sw):
    return services.case_submit(
        programme_year=sw.programme_year,
        region=sw.yuexiu,
        title="越秀区：青年之家里的返乡第一课",
        body=BODY,
        photos=[photo("一.png"), photo("二.png")],
        actor=sw.yx_staff,
    )


@pytest.fixture
def case_zsu(sw):
    return services.case_submit(
        programme_year=sw.programme_year,
        university=sw.zsu,
        title="中山大学：实践写进第二课堂",
        body=BODY,
        photos=[photo()],
        actor=sw.zsu_staff,
    )


def test_county_staff_submit_a_case_with_photos(client, sw):
    as_(client, sw.yx_staff)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {"title": "越秀区案例", "body": BODY, "photos": [photo("a.png"), photo("b.png")]},
    )
    assert response.status_code == 302
    case = TypicalCase.objects.get()
    assert (case.region, case.university, case.status) == (sw.yuexiu, None, "submitted")
    assert case.programme_year == sw.programme_year
    assert [p.original_name for p in case.photos.all()] == ["a.png", "b.png"]
    # Stored under random names, not the user's.
    assert all(os.path.basename(p.image.name) not in ("a.png", "b.png") for p in case.photos.all())
    assert AuditEvent.objects.filter(action="case.submit", region=sw.yuexiu).exists()
    assert Notice.objects.filter(user=sw.province_staff, text__contains="越秀区案例").exists()


def test_a_non_image_renamed_jpg_is_refused_in_chinese_and_nothing_is_saved(client, sw):
    as_(client, sw.yx_staff)
    before = stored_files()
    fake = SimpleUploadedFile(
        "照片.jpg", b"MZ\x90\x00 not a picture at all", content_type="image/jpeg"
    )
    response = client.post(NEW, {"title": "越秀区案例", "body": BODY, "photos": [photo(), fake]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "照片“照片.jpg”：文件扩展名与内容不符。" in html
    assert not TypicalCase.objects.exists() and not CasePhoto.objects.exists()
    assert stored_files() == before


def test_the_service_refuses_a_bad_photo_before_storing_any(sw):
    before = stored_files()
    fake = SimpleUploadedFile("fake.png", b"GIF89a....", content_type="image/png")
    with pytest.raises(Exception, match="文件扩展名与内容不符"):
        services.case_submit(
            programme_year=sw.programme_year,
            region=sw.yuexiu,
            title="t",
            body=BODY,
            photos=[photo(), fake],
            actor=sw.yx_staff,
        )
    assert not TypicalCase.objects.exists() and stored_files() == before


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (6, True), (7, False)])
def test_a_case_has_as_many_photos_as_the_rule_says(client, sw, count, ok):
    as_(client, sw.yx_staff)
    photos = [photo(f"{n}.png") for n in range(count)]
    response = client.post(NEW, {"title": "越秀区案例", "body": BODY, "photos": photos})
    assert (response.status_code == 302) is ok
    assert TypicalCase.objects.exists() is ok
    if not ok:
        expected = "请上传活动照片" if count == 0 else "照片 7 张，要求 1—6 张"
        assert expected in response.content.decode()


def test_other_kinds_of_file_are_refused(client, sw):
    as_(client, sw.yx_staff)
    pdf = SimpleUploadedFile("材料.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    response = client.post(NEW, {"title": "越秀区案例", "body": BODY, "photos": [pdf]})
    assert "文件类型不符：只接受 JPG、PNG 图片" in response.content.decode()
    assert not TypicalCase.objects.exists()


def test_the_unit_edits_its_case_until_it_is_reviewed(client, sw, case_yx):
    url = reverse("summary:case_edit", args=[case_yx.pk])
    first, second = case_yx.photos.all()
    as_(client, sw.yx_staff)
    response = client.post(
        url,
        {
            "title": "越秀区：改过的标题",
            "body": BODY + "补充成效。",
            "remove_photos": [first.pk],
            "photos": [photo("三.png")],
        },
    )
    assert response.status_code == 302
    case_yx.refresh_from_db()
    assert case_yx.title == "越秀区：改过的标题" and case_yx.revision == 2
    assert [p.original_name for p in case_yx.photos.all()] == ["二.png", "三.png"]
    assert not CasePhoto.objects.filter(pk=first.pk).exists()
    # Removing the last photo is refused: a case keeps at least one.
    response = client.post(
        url,
        {"title": "t", "body": BODY, "remove_photos": [p.pk for p in case_yx.photos.all()]},
    )
    assert response.status_code == 200 and "照片 0 张，要求 1—6 张" in response.content.decode()
    services.case_review(case=case_yx, approve=True, comment="", actor=sw.province_staff)
    response = client.post(url, {"title": "审核后再改", "body": BODY})
    assert response.status_code == 302
    case_yx.refresh_from_db()
    assert case_yx.title == "越秀区：改过的标题"
    assert second.pk in case_yx.photos.values_list("pk", flat=True)


def test_the_province_reviews_once_with_a_comment_for_a_rejection(client, sw, case_yx):
    url = reverse("summary:case_review", args=[case_yx.pk])
    as_(client, sw.province_staff)
    assert client.get(reverse("summary:case_detail", args=[case_yx.pk])).status_code == 200
    client.post(url, {"decision": "reject", "comment": "", "revision": case_yx.revision})
    case_yx.refresh_from_db()
    assert case_yx.status == "submitted"
    client.post(url, {"decision": "reject", "comment": "请补充成效数据", "revision": 1})
    case_yx.refresh_from_db()
    assert (case_yx.status, case_yx.review_comment) == ("rejected", "请补充成效数据")
    assert case_yx.reviewed_by == sw.province_staff
    assert Notice.objects.filter(user=sw.yx_staff, text__contains="未通过").exists()
    client.post(url, {"decision": "approve", "comment": "", "revision": 1})
    case_yx.refresh_from_db()
    assert case_yx.status == "rejected"
    assert AuditEvent.objects.filter(action="case.reject").count() == 1


def test_a_review_of_an_older_revision_is_refused(sw, case_yx):
    services.case_update(case=case_yx, title="新标题", body=BODY, actor=sw.yx_staff)
    with pytest.raises(Exception, match="被修改过"):
        services.case_review(
            case=case_yx, approve=True, comment="", revision=1, actor=sw.province_staff
        )
    case = services.case_review(
        case=case_yx, approve=True, comment="", revision=2, actor=sw.province_staff
    )
    assert case.status == "approved"


@pytest.mark.parametrize(
    ("reader", "status"),
    [
        ("yx_staff", 200),
        ("gz_staff", 200),
        ("province_staff", 200),
        ("th_staff", 404),
        ("mz_staff", 404),
        ("gx_staff", 404),
        ("zsu_staff", 404),
        ("yx_host", 404),
    ],
)
def test_a_county_case_and_its_photos_are_read_in_scope(client, sw, case_yx, reader, status):
    as_(client, getattr(sw, reader))
    assert client.get(reverse("summary:case_detail", args=[case_yx.pk])).status_code == status
    photo_url = reverse("summary:case_photo", args=[case_yx.pk, case_yx.photos.first().pk])
    response = client.get(photo_url)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "image/png"
        assert b"".join(response.streaming_content).startswith(b"\x89PNG")
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    listing = client.get(reverse("summary:case_list"))
    if status == 200:
        assert "青年之家里的返乡第一课" in listing.content.decode()
    else:
        assert (
            listing.status_code == 404 or "青年之家里的返乡第一课" not in listing.content.decode()
        )


@pytest.mark.parametrize(
    ("reader", "status"),
    [("zsu_staff", 200), ("province_staff", 200), ("scut_staff", 404), ("gz_staff", 404)],
)
def test_a_university_case_is_read_by_its_university_and_the_province(
    client, sw, case_zsu, reader, status
):
    as_(client, getattr(sw, reader))
    assert client.get(reverse("summary:case_detail", args=[case_zsu.pk])).status_code == status


def test_read_only_readers_get_403_on_changes(client, sw, case_yx):
    edit = reverse("summary:case_edit", args=[case_yx.pk])
    review = reverse("summary:case_review", args=[case_yx.pk])
    as_(client, sw.gz_staff)
    assert client.post(edit, {"title": "越界", "body": "越界"}).status_code == 403
    assert client.post(review, {"decision": "approve"}).status_code == 403
    assert client.get(NEW).status_code == 200  # a city submits cases of its own
    as_(client, sw.province_staff)
    assert client.post(edit, {"title": "越界", "body": "越界"}).status_code == 403
    assert client.post(NEW, {"title": "越界", "body": "越界"}).status_code == 403
    as_(client, sw.yx_staff)
    assert client.post(review, {"decision": "approve"}).status_code == 403
    case_yx.refresh_from_db()
    assert (case_yx.title, case_yx.status) == ("越秀区：青年之家里的返乡第一课", "submitted")


def test_outsiders_get_404_on_changes(client, sw, case_yx):
    for user in (sw.th_staff, sw.mz_staff, sw.gx_staff, sw.scut_staff):
        as_(client, user)
        assert client.post(reverse("summary:case_edit", args=[case_yx.pk]), {}).status_code == 404
        assert client.post(reverse("summary:case_review", args=[case_yx.pk]), {}).status_code == 404
    for user in (sw.yx_host, sw.s1.user):
        as_(client, user)
        assert client.get(reverse("summary:case_list")).status_code == 404
        assert client.post(NEW, {}).status_code == 404
    client.logout()
    response = client.get(reverse("summary:case_photo", args=[case_yx.pk, 1]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_photos_are_not_under_a_public_url(sw, case_yx):
    """The media folder is not served in production; the stored name is random and the only
    link pages use is the scoped view."""
    name = case_yx.photos.first().image.name
    assert name.startswith("cases/2030/") and name.endswith(".png")
    assert "一" not in name
