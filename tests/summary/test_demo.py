"""The demo's summary: scores for the demo year (越秀区 adjusted), an approved case and two
waiting, each meeting the default case rule, a published briefing, and the units' 简报/简讯 in
every state, two compiled into a draft briefing; running it again adds nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from accounts.models import AuditEvent
from demo.reports import seed_reports
from demo.summary import padded_png, png, seed_summary
from fanjiaxiang.uploads import IMAGE, validate_upload
from reports.models import Report
from summary.models import (
    ActivityPhoto,
    Briefing,
    CasePhoto,
    CityActivity,
    Score,
    ScoringRule,
    TypicalCase,
)
from summary.selectors import case_text_length


def _counts():
    return (
        Score.objects.count(),
        ScoringRule.objects.count(),
        CityActivity.objects.count(),
        ActivityPhoto.objects.count(),
        TypicalCase.objects.count(),
        CasePhoto.objects.count(),
        Briefing.objects.count(),
        AuditEvent.objects.count(),
    )


def test_seed_summary_fills_the_demo_year_and_is_idempotent(db):
    call_command("load_regions", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    seed_summary()
    first = _counts()
    seed_summary()
    assert _counts() == first
    # Every county of Guangdong and every university of the demo has a score.
    assert Score.objects.filter(kind="county").count() == 181
    assert Score.objects.filter(kind="university").count() == 4
    # Every city too, 广州 and 东莞 with their 示范活动 counted; the rule is the defaults.
    assert Score.objects.filter(kind="city").count() == 21
    guangzhou = Score.objects.get(region__code="440100")
    assert guangzhou.parts["activities"] == 20.0 and guangzhou.parts["plan"] > 0
    assert Score.objects.get(region__code="441400").parts["activities"] == 0.0  # 梅州: none yet
    assert set(ScoringRule.objects.values_list("kind", flat=True)) == {
        "county",
        "city",
        "university",
    }
    assert CityActivity.objects.filter(city__code="440100", kind="homecoming").exists()
    assert ActivityPhoto.objects.count() == CityActivity.objects.count() == 3
    yuexiu = Score.objects.get(region__code="440104")
    assert yuexiu.adjustment and yuexiu.adjustment_reason
    assert yuexiu.computed > 0 and yuexiu.figures["reported"] > 0
    cases = dict(TypicalCase.objects.values_list("status", "title"))
    assert set(cases) == {"approved", "submitted"}
    assert TypicalCase.objects.get(status="approved").region.code == "440104"
    waiting = TypicalCase.objects.filter(status="submitted")
    assert {case.unit_name for case in waiting} == {"中山大学", "广东省广州市"}
    # Every case meets the default rule: 800—1500 字 and 5 photos of at least 1 MB.
    for case in TypicalCase.objects.all():
        assert 800 <= case_text_length(case.body) <= 1500
        sizes = [photo.image.size for photo in case.photos.all()]
        assert len(sizes) == 5 and min(sizes) >= 1024 * 1024
    published = Briefing.objects.get(status="published")
    assert published.issue == 1
    # The units' reports: submitted, read and adopted; two compiled into one draft briefing.
    compiled = Briefing.objects.get(status="draft")
    assert compiled.source_reports.count() == 2
    marks = set(Report.objects.values_list("status", "province_mark"))
    assert {("draft", "unread"), ("submitted", "unread"), ("submitted", "read")} <= marks
    assert ("submitted", "adopted") in marks
    assert Report.objects.filter(city_read_at__isnull=False).exists()
    reports = Report.objects.count()
    seed_reports()
    assert Report.objects.count() == reports and Briefing.objects.count() == 2


def test_the_padded_png_is_a_valid_image_of_the_size_asked():
    content = padded_png(1024 * 1024 + 1)
    assert len(content) == 1024 * 1024 + 1
    validate_upload(SimpleUploadedFile("a.png", content), kind=IMAGE)
    with Image.open(io.BytesIO(content)) as image:
        image.verify()


def test_the_demo_png_is_a_valid_image_upload():
    validate_upload(SimpleUploadedFile("a.png", png()), kind=IMAGE)
