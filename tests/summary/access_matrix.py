"""The summary's rows for tests/security/test_access_matrix.py (which this app does not own).

To wire them in, in that module: call `build(w)` at the end of `_build_world`, add `MARKERS` to
SCOPE_MARKERS, and merge `routes(Protected, _pk)` into PROTECTED. Not a test module itself.

The world: 广州市 recorded a 示范活动 with a photo (before the publication); 越秀区's year is scored, 越秀区 and 中山大学 are commended and the list is published (so
cities, counties and universities read their scores); 越秀区 has a case waiting for review with
one photo; 团省委 has a published briefing and a draft. 越秀区 has submitted a 简报 with a photo
(read by 广州市 and 团省委) and keeps a draft of its own.
"""

import datetime
from types import SimpleNamespace

from django.core.files.base import ContentFile

from demo.summary import png
from reports import services as reports
from summary import services
from summary.models import CaseRule, Score
from tests.summary.conftest import LENIENT_RULE

CASE_TITLE = "越秀典型案例"
ACTIVITY_TITLE = "广州学子归巢示范活动"
DRAFT_TITLE = "广东简报草稿"
BRIEFING_TITLE = "广东工作简报"
REPORT_TITLE = "越秀上报的简报"
REPORT_DRAFT_TITLE = "越秀简报草稿"
MARKERS = (
    CASE_TITLE,
    DRAFT_TITLE,
    ACTIVITY_TITLE,
    REPORT_TITLE,
    REPORT_DRAFT_TITLE,
)  # a published briefing is the whole province's to read


def build(w: SimpleNamespace) -> None:
    year = w.programme_year
    w.city_activity = services.city_activity_save(
        programme_year=year,
        city=w.guangzhou,
        fields={
            "kind": "demo",
            "title": ACTIVITY_TITLE,
            "held_on": datetime.date(year.year, 8, 1),
            "place": "广州市青年文化宫",
            "participants": 80,
            "description": "邀请市领导与回家过节的大学生座谈",
        },
        add_photos=[ContentFile(png(), name="座谈.png")],
        actor=w.gz_staff,
    )
    w.activity_photo = w.city_activity.photos.get()
    services.scores_recompute(programme_year=year, actor=w.province_staff)
    w.score_yx = Score.objects.get(programme_year=year, region=w.yuexiu)
    w.score_zsu = Score.objects.get(programme_year=year, university=w.zsu)
    services.commendations_choose(
        programme_year=year, scores=[w.score_yx, w.score_zsu], actor=w.province_staff
    )
    services.commendations_publish(programme_year=year, title="", note="", actor=w.province_staff)
    # The case's text and single small photo are short of the default rule.
    CaseRule.objects.create(programme_year=year, **LENIENT_RULE)
    w.case_yx = services.case_submit(
        programme_year=year,
        region=w.yuexiu,
        title=CASE_TITLE,
        body="越秀区的做法和成效",
        photos=[ContentFile(png(), name="活动.png")],
        actor=w.yx_staff,
    )
    w.case_photo = w.case_yx.photos.get()
    w.briefing = services.briefing_publish(
        briefing=services.briefing_save(
            province=w.province, title=BRIEFING_TITLE, body="全省工作进展", actor=w.province_staff
        ),
        actor=w.province_staff,
    )
    w.briefing_draft = services.briefing_save(
        province=w.province, title=DRAFT_TITLE, body="尚未发布", actor=w.province_staff
    )
    _reports(w)


def _reports(w: SimpleNamespace) -> None:
    w.report_yx = reports.report_submit(
        report=reports.report_create(
            programme_year=w.programme_year,
            region=w.yuexiu,
            kind="briefing",
            title=REPORT_TITLE,
            body="越秀区暑期工作情况",
            photos=[ContentFile(png(), name="简报.png")],
            actor=w.yx_staff,
        ),
        actor=w.yx_staff,
    )
    w.report_photo = w.report_yx.photos.get()
    w.report_draft = reports.report_create(
        programme_year=w.programme_year,
        region=w.yuexiu,
        kind="newsflash",
        title=REPORT_DRAFT_TITLE,
        body="尚未上报",
        actor=w.yx_staff,
    )


def routes(Protected, _pk) -> dict:  # noqa: N803 - the matrix's dataclass, passed in
    year = _pk("programme_year")
    return {
        # Each user's own year and scope; another province's staff see their own (empty) year.
        "summary:scores": Protected("province_staff", page=True, shows=("越秀区", "中山大学")),
        "summary:scores_recompute": Protected("province_staff", year),
        "summary:scores_export": Protected(
            # A county or university reading its own row (or none) is its own business.
            "province_staff",
            year,
            page=True,
            queries=({"kind": "university"},),
            shows=("中山大学",),
            get_audited=True,
        ),
        "summary:score_detail": Protected(
            "gz_staff",
            _pk("score_yx"),
            data=lambda w, r: {"adjustment": "5", "reason": "越界调整"},
            shows=("越秀区",),
        ),
        "summary:commendations_choose": Protected(
            "province_staff", year, data=lambda w, r: {"commended": [w.score_yx.pk]}
        ),
        "summary:commendations_publish": Protected(
            "province_staff", year, data=lambda w, r: {"title": "越界公布"}
        ),
        # 越秀区 is commended: it reads the list, 中山大学 included.
        "summary:commendations": Protected("yx_staff", year, shows=("中山大学",)),
        "summary:case_list": Protected("gz_staff", page=True, shows=(CASE_TITLE,)),
        "summary:case_rule": Protected(
            "province_staff",
            year,
            data=lambda w, r: {
                "min_chars": "1",
                "max_chars": "9",
                "min_photos": "1",
                "max_photos": "2",
                "min_photo_mb": "0",
            },
            owner_succeeds=True,
        ),
        "summary:case_create": Protected(
            # No photo: nothing is created even for a county submitting its own case.
            "yx_staff",
            page=True,
            data=lambda w, r: {"title": "越界案例", "body": "越界"},
        ),
        "summary:case_detail": Protected("gz_staff", _pk("case_yx"), shows=(CASE_TITLE,)),
        "summary:case_edit": Protected(
            "yx_staff",
            _pk("case_yx"),
            data=lambda w, r: {"title": "越界改名的案例", "body": "越界"},
            owner_succeeds=True,
        ),
        "summary:case_review": Protected(
            "province_staff",
            _pk("case_yx"),
            data=lambda w, r: {"decision": "reject", "comment": "越界"},
        ),
        "summary:case_photo": Protected(
            "gz_staff", lambda w: {"pk": w.case_yx.pk, "photo_pk": w.case_photo.pk}
        ),
        # 五个一: 越秀's page for 越秀, 广州市 and 广东; the matrix and its Excel are each
        # reader's own counties (a county is sent to its own page).
        "summary:five": Protected("gz_staff", page=True, shows=("越秀区", "天河区")),
        "summary:five_export": Protected(
            "gz_staff", page=True, shows=("越秀区",), get_audited=True
        ),
        "summary:five_county": Protected(
            "gz_staff",
            lambda w: {"code": w.yuexiu.code},
            shows=("越秀区", "越秀集中交流活动", "越秀中学校友群"),
        ),
        "summary:briefing_list": Protected("gz_staff", page=True, shows=(BRIEFING_TITLE,)),
        "summary:briefing_create": Protected(
            # No body: nothing is created even for another province's staff writing their own.
            "province_staff",
            page=True,
            data=lambda w, r: {"title": "越界简报"},
        ),
        # Published: every signed-in user of 广东 reads it; 广西 and the anonymous do not.
        "summary:briefing_detail": Protected(
            "gz_staff", _pk("briefing"), page=True, shows=(BRIEFING_TITLE,)
        ),
        "summary:briefing_edit": Protected(
            "province_staff",
            _pk("briefing_draft"),
            data=lambda w, r: {"title": "越界改名的简报", "body": "越界"},
            shows=(DRAFT_TITLE,),
            owner_succeeds=True,
        ),
        "summary:briefing_publish": Protected("province_staff", _pk("briefing_draft")),
        # The rule is how every unit of the province is scored: its summary readers read it
        # (a page), only 团省委 changes it (and not after the publication, as here).
        "summary:scoring_rule": Protected(
            "province_staff",
            year,
            page=True,
            data=lambda w, r: {"kind": "county", "county-weight_posts": "100"},
            shows=("评分规则", "集中交流"),
        ),
        # 广州市's own activity: the province and 广州 read it; other cities and counties do not.
        "summary:city_activity_list": Protected("gz_staff", page=True, shows=(ACTIVITY_TITLE,)),
        "summary:city_activity_create": Protected(
            # No place or description: nothing is created even for a city recording its own.
            "gz_staff",
            page=True,
            data=lambda w, r: {"kind": "demo", "title": "越界活动"},
        ),
        "summary:city_activity_detail": Protected(
            "gz_staff", _pk("city_activity"), shows=(ACTIVITY_TITLE,)
        ),
        "summary:city_activity_edit": Protected(
            "gz_staff",
            _pk("city_activity"),
            data=lambda w, r: {"kind": "other", "title": "越界改名的活动"},
            shows=(ACTIVITY_TITLE,),
        ),
        "summary:city_activity_photo": Protected(
            "gz_staff", lambda w: {"pk": w.city_activity.pk, "photo_pk": w.activity_photo.pk}
        ),
        **report_routes(Protected, _pk),
    }


def report_routes(Protected, _pk) -> dict:  # noqa: N803 - the matrix's dataclass, passed in
    return {
        # Each unit's own list; 广州市 reads its counties' submitted reports.
        "reports:list": Protected("gz_staff", page=True, shows=(REPORT_TITLE,)),
        "reports:create": Protected(
            # No year chosen: nothing is created even for a unit writing its own draft.
            "yx_staff",
            page=True,
            data=lambda w, r: {"kind": "briefing", "title": "越界简报", "body": "越界"},
        ),
        "reports:compile": Protected(
            "province_staff", data=lambda w, r: {"reports": [w.report_yx.pk], "title": "越界汇编"}
        ),
        "reports:detail": Protected("gz_staff", _pk("report_yx"), shows=(REPORT_TITLE,)),
        "reports:edit": Protected(
            "yx_staff",
            _pk("report_draft"),
            data=lambda w, r: {"kind": "briefing", "title": "越界改名", "body": "越界"},
            shows=(REPORT_DRAFT_TITLE,),
            owner_succeeds=True,
        ),
        "reports:submit": Protected("yx_staff", _pk("report_draft")),
        "reports:mark": Protected(
            "gz_staff",
            _pk("report_yx"),
            data=lambda w, r: {"mark": "read", "comment": "越界"},
            owner_succeeds=True,
        ),
        "reports:photo": Protected(
            "gz_staff", lambda w: {"pk": w.report_yx.pk, "photo_pk": w.report_photo.pk}
        ),
    }
