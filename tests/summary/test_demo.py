"""The demo's summary: scores for the demo year (越秀区 adjusted), an approved case and one
waiting, each with valid photos, and a published briefing; running it again adds nothing."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from accounts.models import AuditEvent
from demo.summary import png, seed_summary
from fanjiaxiang.uploads import IMAGE, validate_upload
from summary.models import (
    ActivityPhoto,
    Briefing,
    CasePhoto,
    CityActivity,
    Score,
    ScoringRule,
    TypicalCase,
)


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
    assert TypicalCase.objects.get(status="submitted").university.name == "中山大学"
    published = Briefing.objects.get()
    assert (published.status, published.issue) == ("published", 1)


def test_the_demo_png_is_a_valid_image_upload():
    validate_upload(SimpleUploadedFile("a.png", png()), kind=IMAGE)
