"""Races on PostgreSQL: drafts published at the same moment get distinct issue numbers; two
reviews of one case, one wins; a recomputation and an adjustment queue on the year's lock; a
简报 is submitted once, never edited after, and compiled into one briefing only."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile

from accounts.models import AuditEvent, Role
from demo.summary import png
from reports import services as reports
from reports.models import Report
from schedule.models import ProgrammeYear
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


def _report(province, county, title="越秀区简报"):
    author = staff(Role.COUNTY, region=county)
    year = ProgrammeYear.objects.filter(province=province).first() or programme_year_create(
        province=province, year=2030
    )
    draft = reports.report_create(
        programme_year=year, region=county, kind="briefing", title=title, body="正文", actor=author
    )
    return draft, author


def test_a_report_submitted_twice_at_once_is_submitted_once():
    draft, author = _report(region("440000"), region("440104"))
    outcomes = race([lambda: reports.report_submit(report=draft, actor=author)] * 2)
    assert sorted(outcomes) == ["ok", "已经上报过了。"]
    assert AuditEvent.objects.filter(action="report.submit").count() == 1


def test_an_edit_racing_the_submission_never_changes_a_submitted_report():
    draft, author = _report(region("440000"), region("440104"))
    outcomes = race(
        [
            lambda: reports.report_submit(report=draft, actor=author),
            lambda: reports.report_update(
                report=draft, kind="briefing", title="改过的标题", body="改过", actor=author
            ),
        ]
    )
    report = Report.objects.get()
    assert report.status == "submitted"
    if outcomes[1] != "ok":  # the edit came second: refused, the submitted text stands
        assert outcomes[1] == "已上报，不能再修改。" and report.title == "越秀区简报"


def test_one_report_compiled_twice_at_once_goes_into_one_briefing():
    province = region("440000")
    draft, author = _report(province, region("440104"))
    submitted = reports.report_submit(report=draft, actor=author)
    officer = staff(Role.PROVINCE, region=province)
    outcomes = race(
        [
            lambda n=n: reports.reports_compile(
                province=province, reports=[submitted], title=f"汇编{n}", actor=officer
            )
            for n in range(2)
        ]
    )
    assert sorted(outcomes)[0] == "ok" and "已编入其他简报" in sorted(outcomes)[1]
    assert Briefing.objects.count() == 1
    assert Report.objects.get().briefing == Briefing.objects.get()
