"""Races on PostgreSQL: drafts published at the same moment get distinct issue numbers; two
reviews of one case, one wins; a recomputation and an adjustment queue on the year's lock."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from accounts.models import Role
from demo.summary import png
from schedule.services import programme_year_create
from summary import services
from summary.models import Briefing, CaseRule, Score, TypicalCase
from tests.factories import region, staff
from tests.race import race
from tests.summary.conftest import AS_OF, LENIENT_RULE

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_briefings_published_together_get_one_issue_number_each():
    province = region("440000")
    officer = staff(Role.PROVINCE, region=province)
    drafts = [
        services.briefing_save(province=province, title=f"简报{n}", body="正文", actor=officer)
        for n in range(6)
    ]
    outcomes = race(
        [lambda d=d: services.briefing_publish(briefing=d, actor=officer) for d in drafts]
    )
    assert outcomes == ["ok"] * 6
    issues = sorted(Briefing.objects.values_list("issue", flat=True))
    assert issues == [1, 2, 3, 4, 5, 6]


def test_two_reviews_of_one_case_at_once_decide_it_once():
    province, yuexiu = region("440000"), region("440104")
    officer = staff(Role.PROVINCE, region=province)
    year = programme_year_create(province=province, year=2030)
    CaseRule.objects.create(programme_year=year, **LENIENT_RULE)
    case = services.case_submit(
        programme_year=year,
        region=yuexiu,
        title="案例",
        body="正文",
        photos=[ContentFile(png(), name="a.png")],
        actor=staff(Role.COUNTY, region=yuexiu),
    )
    outcomes = race(
        [
            lambda: services.case_review(case=case, approve=True, comment="", actor=officer),
            lambda: services.case_review(case=case, approve=False, comment="退回", actor=officer),
        ]
    )
    assert sorted(outcomes) == ["ok", "案例已经审核过了。"]
    assert TypicalCase.objects.get().status in ("approved", "rejected")


def test_an_adjustment_during_a_recomputation_is_kept():
    province = region("440000")
    region("440104")
    officer = staff(Role.PROVINCE, region=province)
    year = programme_year_create(province=province, year=2030)
    services.scores_recompute(programme_year=year, actor=officer, as_of=AS_OF)
    score = Score.objects.get(region__code="440104")
    outcomes = race(
        [
            lambda: services.scores_recompute(programme_year=year, actor=officer, as_of=AS_OF),
            lambda: services.score_adjust(
                score=score, adjustment=Decimal(4), reason="加分", actor=officer
            ),
        ]
        * 3
    )
    assert outcomes == ["ok"] * 6
    assert Score.objects.get(pk=score.pk).adjustment == 4
