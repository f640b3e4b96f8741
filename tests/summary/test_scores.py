"""Scores counted by hand on the world of conftest.py (quota 4, as of 2031-03-20), by the year's
rule there (RULE: default weights; targets 集中交流 1, 联系机制 4, 联系台账 4, 返乡就业 2, 宣传动员 4).

County parts (weights 30 / 15 / 15 / 15 / 15 / 10):
越秀区: placements at its posts: s1 summer completed (优秀), s2 completed (良好), s3 reported,
s4 dropped (never reported), s1 winter completed (合格): 3 students reported (s1 counted once).
  posts       3/4 × 30 = 22.5
  exchange    one held on 2030-08-10: 1/1 × 15 = 15.0
  channels    the alumni group reaches both entries: 2/4 × 15 = 7.5
  ledger      contacted in the year: 1 (the other's contact was in 2029): 1/4 × 15 = 3.75 → 3.8
  returns     1 verified in 2030 (a pending one and one of 2029 do not count) / 2 × 15 = 7.5
  milestones  on time: plan, summer_posts, summer_practice (onboard was done late); due: those 4
              done + winter_posts (overdue) + winter_practice (pending, 2/28 passed) = 6;
              summer_match excused and winter_match extended to 4/10 do not count: 3/6 × 10 = 5.0
  total       61.3
天河区: no placements, exchange, channel or contact (0); 6 verified registrations, capped at 2
  (15.0); every milestone on time (10.0): 25.0
梅县区: its milestone rows were never made: 8 due, 0 on time (0); the calendar froze its quota row
  with 2 reported: 2/4 × 30 = 15.0; nothing else: 15.0

City parts (default rule: 60 / 20 / 20, 示范活动 target 1):
广州市: counties (61.3 + 25.0) / 200 × 60 = 25.89 → 25.9; plan on time and approved 2/2 × 20 =
  20.0; one 示范活动 (the 学子归巢 is shown, not scored) 1/1 × 20 = 20.0: 65.9
梅州市: 15.0 / 100 × 60 = 9.0; plan late and not yet approved 0/2; its 示范活动 is after 3/20: 9.0

University parts (40 / 30 / 30):
中山大学 (s1–s4): 4 students applied: 4/4 × 40 = 40.0; 4 placements not dropped of which 2
  cleared by the post's first day (s1 summer; s1 winter on the day itself; s2 trained at 01:00
  on the day after, which is still the first day in UTC; s3 never): 2/4 × 30 = 15.0; its own
  credit rule (良好 and above, 16 h a credit) credits s1's 优秀 and s2's 良好 of 40 h, not s1's
  合格: 2/3 × 30 = 20.0: 75.0
华南理工大学 (s5, practising in 广西): 1 applied: 1/4 × 40 = 10.0; cleared 1/1: 30.0; no credit rule
  of its own (the portal's default is not its recognition): 0/1: 40.0
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
from summary import scoring, services
from summary.models import CityActivity, Publication, Score, ScoringRule
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, UniversityFactory
from tests.summary.conftest import AS_OF, RULE, ledger, place


def recompute(sw, **kwargs):
    return services.scores_recompute(
        programme_year=sw.programme_year, actor=sw.province_staff, as_of=AS_OF, **kwargs
    )


def score_of(sw, unit) -> Score:
    field = "region" if isinstance(unit, Region) else "university"
    return Score.objects.get(programme_year=sw.programme_year, **{field: unit})


def test_county_scores_match_the_hand_count(sw):
    assert recompute(sw) == 3 + 2 + 2
    yuexiu = score_of(sw, sw.yuexiu)
    assert yuexiu.parts == {
        "posts": 22.5,
        "exchange": 15.0,
        "channels": 7.5,
        "ledger": 3.8,
        "returns": 7.5,
        "milestones": 5.0,
    }
    assert yuexiu.computed == Decimal("61.3")
    assert yuexiu.figures | {"as_of": None} == {
        "quota": 4,
        "reported": 3,
        "placements": 5,
        "completed": 3,
        "dropped": 1,
        "ledger_entries": 2,
        "returns_verified": 1,
        "returns_pending": 1,
        "posts_published": 2,
        "posts_headcount": 6,
        "exchanges": 1,
        "exchanges_planned": 0,
        "exchange_attendance": 1,
        "exchange_last": "2030-08-10",
        "channels": 1,
        "channel_members": 2,
        "ledger_beyond_participants": 2,
        "ledger_contacted": 1,
        "milestones_due": 6,
        "milestones_on_time": 3,
        "as_of": None,
        # The rule it was computed with, so its page explains it after the rule changes.
        "rule": RULE["county"],
    }
    tianhe = score_of(sw, sw.tianhe)
    assert tianhe.parts == {
        "posts": 0.0,
        "exchange": 0.0,
        "channels": 0.0,
        "ledger": 0.0,
        "returns": 15.0,
        "milestones": 10.0,
    }
    assert tianhe.computed == Decimal("25.0")
    meixian = score_of(sw, sw.meixian)
    assert (meixian.figures["milestones_due"], meixian.figures["milestones_on_time"]) == (8, 0)
    assert meixian.figures["reported"] == 2
    assert meixian.computed == Decimal("15.0")


def test_city_scores_match_the_hand_count(sw):
    recompute(sw)
    guangzhou = score_of(sw, sw.guangzhou)
    assert guangzhou.kind == "city"
    assert guangzhou.parts == {"counties": 25.9, "plan": 20.0, "activities": 20.0}
    assert guangzhou.computed == Decimal("65.9")
    assert guangzhou.figures | {"rule": None} == {
        "counties": 2,
        "county_points": 86.3,
        "county_points_max": 200,
        "plan_on_time": 1,
        "plan_approved": 1,
        "plan_points": 2,
        "plan_points_max": 2,
        "demonstrations": 1,
        "homecomings": 1,
        "other_activities": 0,
        "as_of": "2031-03-20",
        "rule": None,
    }
    meizhou = score_of(sw, sw.meizhou)
    assert meizhou.parts == {"counties": 9.0, "plan": 0.0, "activities": 0.0}
    assert meizhou.computed == Decimal("9.0")


def test_university_scores_match_the_hand_count(sw):
    recompute(sw)
    zsu = score_of(sw, sw.zsu)
    assert zsu.parts == {"reach": 40.0, "clearance": 15.0, "credits": 20.0}
    assert zsu.computed == Decimal("75.0")
    assert zsu.figures | {"rule": None} == {
        "applicants": 4,
        "placements": 5,
        "completed": 3,
        "credited": 2,
        "clearance_due": 4,
        "cleared_on_time": 2,
        "rule": None,
    }
    scut = score_of(sw, sw.scut)
    assert scut.parts == {"reach": 10.0, "clearance": 30.0, "credits": 0.0}
    assert scut.computed == Decimal("40.0")


def test_a_year_without_a_rule_is_scored_by_the_defaults(sw):
    """The notice's defaults: 集中交流 once (15.0 for 越秀), 联系机制 and 联系台账 of 50 people,
    返乡就业 3: 越秀 = 22.5 + 15.0 + 2/50 × 15 (0.6) + 1/50 × 15 (0.3) + 1/3 × 15 (5.0) + 5.0."""
    ScoringRule.objects.filter(programme_year=sw.programme_year).delete()
    recompute(sw)
    yuexiu = score_of(sw, sw.yuexiu)
    assert yuexiu.parts == {
        "posts": 22.5,
        "exchange": 15.0,
        "channels": 0.6,
        "ledger": 0.3,
        "returns": 5.0,
        "milestones": 5.0,
    }
    assert yuexiu.figures["rule"] == scoring.default_parts("county")
    assert sum(part["weight"] for part in scoring.default_parts("county").values()) == 100
    assert sum(part["weight"] for part in scoring.default_parts("city").values()) == 100
    assert sum(part["weight"] for part in scoring.default_parts("university").values()) == 100


def test_the_rule_is_checked_part_by_part_and_audited(sw):
    parts = {key: dict(value) for key, value in RULE["county"].items()}
    parts["milestones"]["weight"] = 5
    with pytest.raises(ValidationError) as refused:
        services.scoring_rule_save(
            programme_year=sw.programme_year, kind="county", parts=parts, actor=sw.province_staff
        )
    assert refused.value.message_dict == {"__all__": ["权重合计为 95，应为 100。"]}
    parts["milestones"]["weight"] = 10
    parts["exchange"]["target"] = 0
    parts["posts"]["weight"] = "三十"
    with pytest.raises(ValidationError) as refused:
        services.scoring_rule_save(
            programme_year=sw.programme_year, kind="county", parts=parts, actor=sw.province_staff
        )
    assert refused.value.message_dict == {
        "weight_posts": ["“岗位与报到”的权重应为 0 到 100 之间的整数。"],
        "target_exchange": ["“集中交流”的目标应为正整数。"],
    }
    assert ScoringRule.objects.get(kind="county").parts == RULE["county"]  # unchanged
    parts = {key: dict(value) for key, value in RULE["county"].items()}
    parts["returns"]["target"] = 1
    services.scoring_rule_save(
        programme_year=sw.programme_year, kind="county", parts=parts, actor=sw.province_staff
    )
    event = AuditEvent.objects.filter(action="summary.rule").latest("pk")
    assert event.actor == sw.province_staff
    assert event.data["parts"]["returns"] == {"weight": 15, "target": 1}
    # The next recomputation uses it: 越秀's one verified registration now gives full marks.
    recompute(sw)
    assert score_of(sw, sw.yuexiu).parts["returns"] == 15.0


def test_a_new_city_activity_counts_at_the_next_recompute(sw):
    recompute(sw)
    assert score_of(sw, sw.meizhou).parts["activities"] == 0.0
    services.city_activity_save(
        programme_year=sw.programme_year,
        city=sw.meizhou,
        fields={
            "kind": "demo",
            "title": "梅州学子归巢示范活动",
            "held_on": AS_OF.replace(day=1),
            "place": "梅州市青年之家",
            "participants": 60,
            "description": "座谈交流",
        },
        actor=sw.mz_staff,
    )
    recompute(sw)
    assert score_of(sw, sw.meizhou).parts["activities"] == 20.0
    assert CityActivity.objects.filter(city=sw.meizhou).count() == 2


def test_other_provinces_are_neither_scored_nor_counted(sw):
    recompute(sw)
    assert not Score.objects.filter(region=sw.xingning).exists()
    assert not Score.objects.filter(region=sw.guangxi).exists()
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
    assert yuexiu.final == Decimal("64.8")
    # New figures change the computed score; the adjustment stays on top of it: two more
    # people in the alumni group make 4 of 4 (15.0 instead of 7.5).
    sw.yuexiu.ledger_channels.get().members.add(*ledger(sw.yuexiu, 2, start=500))
    recompute(sw)
    yuexiu.refresh_from_db()
    assert yuexiu.parts["channels"] == 15.0
    assert yuexiu.computed == Decimal("68.8")
    assert yuexiu.final == Decimal("72.3")


def test_final_score_stays_within_0_and_100(sw):
    recompute(sw)
    scut = score_of(sw, sw.scut)
    services.score_adjust(
        score=scut, adjustment=Decimal(70), reason="加分", actor=sw.province_staff
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
    """n more counties, half in 广州市 and half in a new city of the province with a 示范活动,
    each county with a host unit, a post and a completed placement."""
    city = Region.objects.create(
        code=f"44{start:02d}00", name=f"测试{start}市", level="city", parent=sw.province
    )
    CityActivity.objects.create(
        programme_year=sw.programme_year,
        city=city,
        kind="demo",
        title="示范活动",
        held_on=AS_OF.replace(day=1),
        place="市青年之家",
        participants=20,
        description="活动",
    )
    for k in range(start, start + n):
        parent = sw.guangzhou if k % 2 else city
        county = Region.objects.create(
            code=f"{parent.code[:4]}{k:02d}", name=f"测试{k}区", level="county", parent=parent
        )
        post = PostFactory(host_unit=HostUnitFactory(county=county), season=sw.summer)
        place(StudentFactory(hometown=county, university=sw.zsu), post, "completed", rating="good")
        ledger(county, 1, start=1000 + k)


def test_recompute_runs_the_same_number_of_queries_however_many_counties_and_cities(sw):
    """With the year's rule stored, 3 counties in 2 cities, then 15 counties in 3 cities."""
    with CaptureQueriesContext(connection) as few:
        recompute(sw)
    _more_counties(sw, 12, start=50)
    with CaptureQueriesContext(connection) as many:
        recompute(sw)
    assert Score.objects.filter(kind="county").count() == 3 + 12
    assert Score.objects.filter(kind="city").count() == 2 + 1
    assert len(many.captured_queries) == len(few.captured_queries)
