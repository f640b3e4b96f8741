"""Scores counted by hand on the world of conftest.py (quota 4, as of 2031-03-20).

越秀区: placements at its posts: s1 summer completed (优秀), s2 completed (良好), s3 reported,
s4 dropped (never reported), s1 winter completed (合格): 5 placements, 3 completed, 3 students
reported (s1 counted once).
  quota       3/4 × 40 = 30.0
  milestones  on time: plan, summer_posts, summer_practice (onboard was done late); due: those 4
              done + winter_posts (overdue) + winter_practice (pending, 2/28 passed) = 6;
              summer_match excused and winter_match extended to 4/10 do not count: 3/6 × 30 = 15.0
  completion  3/5 × 20 = 12.0
  ledger      2 entries / 4 × 5 = 2.5
  returns     1 verified in 2030 (a pending one and one of 2029 do not count) / 5 × 5 = 1.0
  total       60.5
天河区: no placements (0 + 0), every milestone done on time (30.0), 10 ledger entries and 6
  verified registrations, both capped (5.0 + 5.0): 40.0
梅县区: its milestone rows were never made: 8 due, 0 on time (0); the calendar froze its quota row
  with 2 reported: 2/4 × 40 = 20.0; nothing else: 20.0

中山大学 (s1–s4): 5 placements, 3 completed, 1 优秀, 3 participants (s4 only dropped), 4 not
dropped of which 2 cleared by the post's first day (s1 summer; s1 winter on the day itself;
s2 trained at 01:00 on the day after, which is still the first day in UTC; s3 never):
  participants 3/3 × 30 = 30.0, completion 3/5 × 30 = 18.0, excellent 1/3 × 20 = 6.7,
  clearance 2/4 × 20 = 10.0: 64.7
华南理工大学 (s5, practising in 广西): 1 placement completed 优秀, cleared: 1/3 × 30 = 10.0,
  30.0, 20.0, 20.0: 80.0
"""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent, Notice
from positions.models import Region
from schedule.models import UnitMilestone
from schedule.services import programme_year_create
from summary import services
from summary.models import Publication, Score
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, UniversityFactory
from tests.summary.conftest import AS_OF, ledger, place


def recompute(sw, **kwargs):
    return services.scores_recompute(
        programme_year=sw.programme_year, actor=sw.province_staff, as_of=AS_OF, **kwargs
    )


def score_of(sw, unit) -> Score:
    field = "region" if isinstance(unit, Region) else "university"
    return Score.objects.get(programme_year=sw.programme_year, **{field: unit})


def test_county_scores_match_the_hand_count(sw):
    assert recompute(sw) == 3 + 2
    yuexiu = score_of(sw, sw.yuexiu)
    assert yuexiu.parts == {
        "quota": 30.0,
        "milestones": 15.0,
        "completion": 12.0,
        "ledger": 2.5,
        "returns": 1.0,
    }
    assert yuexiu.computed == Decimal("60.5")
    assert yuexiu.figures | {"as_of": None} == {
        "quota": 4,
        "reported": 3,
        "placements": 5,
        "completed": 3,
        "dropped": 1,
        "ledger_entries": 2,
        "returns_verified": 1,
        "returns_pending": 1,
        # The five tasks' evidence (五个一): its two published posts of headcount 3 each; no
        # exchange, channel or contact yet; both ledger entries came from outside the practice.
        "posts_published": 2,
        "posts_headcount": 6,
        "exchanges": 0,
        "exchanges_planned": 0,
        "exchange_attendance": 0,
        "exchange_last": None,
        "channels": 0,
        "channel_members": 0,
        "ledger_beyond_participants": 2,
        "ledger_contacted": 0,
        "milestones_due": 6,
        "milestones_on_time": 3,
        "as_of": None,
    }
    tianhe = score_of(sw, sw.tianhe)
    assert tianhe.parts == {
        "quota": 0.0,
        "milestones": 30.0,
        "completion": 0.0,
        "ledger": 5.0,
        "returns": 5.0,
    }
    assert tianhe.computed == Decimal("40.0")
    meixian = score_of(sw, sw.meixian)
    assert (meixian.figures["milestones_due"], meixian.figures["milestones_on_time"]) == (8, 0)
    assert meixian.figures["reported"] == 2
    assert meixian.computed == Decimal("20.0")


def test_university_scores_match_the_hand_count(sw):
    recompute(sw)
    zsu = score_of(sw, sw.zsu)
    assert zsu.parts == {
        "participants": 30.0,
        "completion": 18.0,
        "excellent": 6.7,
        "clearance": 10.0,
    }
    assert zsu.computed == Decimal("64.7")
    assert zsu.figures == {
        "placements": 5,
        "completed": 3,
        "excellent": 1,
        "participants": 3,
        "clearance_due": 4,
        "cleared_on_time": 2,
        "max_participants": 3,
    }
    scut = score_of(sw, sw.scut)
    assert scut.parts == {
        "participants": 10.0,
        "completion": 30.0,
        "excellent": 20.0,
        "clearance": 20.0,
    }
    assert scut.computed == Decimal("80.0")


def test_other_provinces_are_neither_scored_nor_counted(sw):
    recompute(sw)
    assert not Score.objects.filter(region=sw.xingning).exists()
    # 兴宁区's placement (a 华工 student's) is 华工's, never a Guangdong county's.
    assert sum(s.figures["placements"] for s in Score.objects.filter(kind="county")) == 5


def test_register_universities_without_students_or_account_are_not_scored(sw):
    """The national register lists 150-odd institutions in Guangdong; the 总结表扬 scores those
    taking part, not a page of zeros."""
    silent = UniversityFactory(name="广东某职业技术学院", code="4144099999", province=sw.province)
    recompute(sw)
    assert not Score.objects.filter(university=silent).exists()
    assert Score.objects.filter(university=sw.zsu).exists()


def test_recompute_is_idempotent_and_keeps_adjustments_and_commendations(sw):
    recompute(sw)
    yuexiu = score_of(sw, sw.yuexiu)
    services.score_adjust(
        score=yuexiu, adjustment=Decimal("3.5"), reason="集中交流组织出色", actor=sw.province_staff
    )
    services.commendations_choose(
        programme_year=sw.programme_year, scores=[yuexiu], actor=sw.province_staff
    )
    before = list(Score.objects.order_by("pk").values("pk", "figures", "parts", "computed"))
    recompute(sw)
    assert list(Score.objects.order_by("pk").values("pk", "figures", "parts", "computed")) == before
    yuexiu.refresh_from_db()
    assert (yuexiu.adjustment, yuexiu.adjustment_reason) == (Decimal("3.5"), "集中交流组织出色")
    assert yuexiu.commended
    assert yuexiu.final == Decimal("64.0")
    # New figures change the computed score; the adjustment stays on top of it.
    ledger(sw.yuexiu, 2, start=500)
    recompute(sw)
    yuexiu.refresh_from_db()
    assert yuexiu.parts["ledger"] == 5.0
    assert yuexiu.computed == Decimal("63.0")
    assert yuexiu.final == Decimal("66.5")


def test_final_score_stays_within_0_and_100(sw):
    recompute(sw)
    scut = score_of(sw, sw.scut)
    services.score_adjust(
        score=scut, adjustment=Decimal(30), reason="加分", actor=sw.province_staff
    )
    scut.refresh_from_db()
    assert scut.final == 100
    meixian = score_of(sw, sw.meixian)
    services.score_adjust(
        score=meixian, adjustment=Decimal(-50), reason="台账造假", actor=sw.province_staff
    )
    meixian.refresh_from_db()
    assert meixian.final == 0


def test_an_adjustment_needs_a_reason_and_is_audited(sw):
    recompute(sw)
    yuexiu = score_of(sw, sw.yuexiu)
    with pytest.raises(ValidationError) as refused:
        services.score_adjust(
            score=yuexiu, adjustment=Decimal(2), reason=" ", actor=sw.province_staff
        )
    assert "请填写调整原因" in str(refused.value)
    services.score_adjust(
        score=yuexiu, adjustment=Decimal(2), reason="表现突出", actor=sw.province_staff
    )
    event = AuditEvent.objects.get(action="summary.adjust")
    assert event.actor == sw.province_staff
    assert event.region == sw.yuexiu and event.province == sw.province
    assert event.data == {
        "unit": "广东省广州市越秀区",
        "before": "0.0",
        "after": "2",
        "reason": "表现突出",
    }
    # Withdrawing it (0) is a change too, with its reason in the log.
    services.score_adjust(
        score=yuexiu, adjustment=Decimal(0), reason="核实后撤销", actor=sw.province_staff
    )
    yuexiu.refresh_from_db()
    assert (yuexiu.adjustment, yuexiu.adjustment_reason) == (0, "")
    assert AuditEvent.objects.filter(action="summary.adjust").count() == 2


def test_publishing_needs_commended_units_then_locks_the_year(sw):
    recompute(sw)
    with pytest.raises(ValidationError, match="请先选定表扬单位"):
        services.commendations_publish(
            programme_year=sw.programme_year, title="", note="", actor=sw.province_staff
        )
    services.commendations_choose(
        programme_year=sw.programme_year,
        scores=[score_of(sw, sw.yuexiu), score_of(sw, sw.zsu)],
        actor=sw.province_staff,
    )
    publication = services.commendations_publish(
        programme_year=sw.programme_year, title="", note="特此通报表扬。", actor=sw.province_staff
    )
    assert publication.title == "2030年度“返家乡”社会实践表扬名单"
    # The commended units' staff are told; nobody else.
    told = set(
        Notice.objects.filter(text__contains="表扬").values_list("user__username", flat=True)
    )
    assert told == {"yuexiu", "sysu"}
    # The calendar's summary milestone is recorded as done.
    assert (
        UnitMilestone.objects.get(
            milestone__programme_year=sw.programme_year, milestone__code="summary"
        ).status
        == "done"
    )
    yuexiu = score_of(sw, sw.yuexiu)
    for refused in (
        lambda: recompute(sw),
        lambda: services.score_adjust(
            score=yuexiu, adjustment=Decimal(1), reason="晚了", actor=sw.province_staff
        ),
        lambda: services.commendations_choose(
            programme_year=sw.programme_year, scores=[], actor=sw.province_staff
        ),
        lambda: services.commendations_publish(
            programme_year=sw.programme_year, title="再次", note="", actor=sw.province_staff
        ),
    ):
        with pytest.raises(ValidationError, match="已公布"):
            refused()
    assert Publication.objects.count() == 1
    assert Score.objects.filter(commended=True).count() == 2


def test_choosing_commendations_ignores_another_years_scores(sw):
    recompute(sw)
    earlier = programme_year_create(province=sw.province, year=2029)
    services.scores_recompute(programme_year=earlier, actor=sw.province_staff, as_of=AS_OF)
    stray = Score.objects.get(programme_year=earlier, region=sw.tianhe)
    chosen = services.commendations_choose(
        programme_year=sw.programme_year,
        scores=[stray, score_of(sw, sw.yuexiu)],
        actor=sw.province_staff,
    )
    assert chosen == 1
    assert list(Score.objects.filter(commended=True)) == [score_of(sw, sw.yuexiu)]


def _more_counties(sw, n: int, start: int) -> None:
    """n more counties of 广州市, each with a host unit, a post and a completed placement."""
    for k in range(start, start + n):
        county = Region.objects.create(
            code=f"4401{k:02d}", name=f"测试{k}区", level="county", parent=sw.guangzhou
        )
        post = PostFactory(host_unit=HostUnitFactory(county=county), season=sw.summer)
        place(StudentFactory(hometown=county, university=sw.zsu), post, "completed", rating="good")
        ledger(county, 1, start=1000 + k)


def test_recompute_runs_the_same_number_of_queries_however_many_counties(sw):
    with CaptureQueriesContext(connection) as few:
        recompute(sw)
    _more_counties(sw, 12, start=50)
    with CaptureQueriesContext(connection) as many:
        recompute(sw)
    assert Score.objects.filter(kind="county").count() == 3 + 12
    assert len(many.captured_queries) == len(few.captured_queries)
