"""Second-classroom credits (第二课堂学分): the completed placements a university certifies, the
university's hours-to-credit rule, and the export its 第二课堂成绩单 system imports.

Scope: university staff read their own students only (the same rule as every other list of
placements, `selectors.placements_for_user`); every other role gets 404. The command line
(`export_credits`) is run by the operator and may export every university.

Credits follow `CreditRule.credits_for` everywhere: the page, its totals and the export.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.models import Role, User
from schedule.models import ProgrammeYear, Season
from students import selectors
from students.models import CreditRule, Placement, University

# Selectors -------------------------------------------------------------------------------------


def _filtered(placements: QuerySet[Placement], *, year=None, season=None) -> QuerySet[Placement]:
    placements = placements.filter(status=Placement.Status.COMPLETED)
    if year is not None:
        placements = placements.filter(season__programme_year__year=year)
    if season:
        placements = placements.filter(season__kind=season)
    return placements.order_by(
        "student__university__code", "student__student_number", "season__practice_starts", "pk"
    )


def credit_placements_for_user(user, *, year=None, season=None) -> QuerySet[Placement]:
    """The completed placements of the user's university's students (university staff only;
    anyone else gets 404), filtered by programme year and season kind, by student number."""
    if not user.is_authenticated or user.role != Role.UNIVERSITY or not user.university_id:
        raise Http404
    return _filtered(selectors.placements_for_user(user), year=year, season=season)


def credit_placements(*, university=None, year=None, season=None) -> QuerySet[Placement]:
    """Unscoped: every university's (or one university's) completed placements. For the
    command line only; views go through `credit_placements_for_user`."""
    placements = Placement.objects.all()
    if university is not None:
        placements = placements.filter(student__university=university)
    return _filtered(placements, year=year, season=season)


def credit_years() -> list[int]:
    """Programme years to filter by, newest first."""
    return sorted(set(ProgrammeYear.objects.values_list("year", flat=True)), reverse=True)


# Rules -----------------------------------------------------------------------------------------


def rule_for(university) -> CreditRule:
    """The university's rule, or the defaults (unsaved) when it has not set one."""
    return CreditRule.objects.filter(university=university).first() or CreditRule(
        university=university
    )


class Rules(dict):
    """university id → CreditRule, every saved rule read in one query; the defaults for the
    rest."""

    def __init__(self):
        super().__init__((r.university_id, r) for r in CreditRule.objects.all())

    def __missing__(self, university_id: int) -> CreditRule:
        rule = self[university_id] = CreditRule(university_id=university_id)
        return rule


def rule_update(
    *,
    university: University,
    hours_per_credit: int,
    max_credits: Decimal,
    min_rating: str,
    actor: User | None,
) -> CreditRule:
    """Set the university's rule (creating it on first use), with an audit event."""
    with transaction.atomic():
        before = CreditRule.objects.select_for_update().filter(university=university).first()
        old = (
            {
                "hours_per_credit": before.hours_per_credit,
                "max_credits": str(before.max_credits),
                "min_rating": before.min_rating,
            }
            if before
            else None
        )
        rule, _created = CreditRule.objects.update_or_create(
            university=university,
            defaults={
                "hours_per_credit": hours_per_credit,
                "max_credits": max_credits,
                "min_rating": min_rating,
            },
        )
        audit_record(
            Action.CREDIT_RULE_UPDATE,
            actor=actor,
            target=rule,
            region=university.province,
            data={
                "university": university.code,
                "before": old,
                "after": {
                    "hours_per_credit": hours_per_credit,
                    "max_credits": str(max_credits),
                    "min_rating": min_rating,
                },
            },
        )
    return rule


def rule_text(rule: CreditRule) -> str:
    return _(
        "每 %(hours)s 小时计 1 学分（按 0.5 学分计，不足半学分不计），单次实践最高 %(max)s 学分；"
        "鉴定等次%(rating)s及以上方可认定。"
    ) % {
        "hours": rule.hours_per_credit,
        "max": credits_number(Decimal(rule.max_credits)),
        "rating": rule.get_min_rating_display(),
    }


# Figures ---------------------------------------------------------------------------------------


def credits_number(credits: Decimal) -> int | float:
    """Credits as a spreadsheet number: 2, 1.5 (half steps are exact in binary)."""
    return int(credits) if credits == int(credits) else float(credits)


def totals(placements: QuerySet[Placement], rule: CreditRule) -> tuple[int, Decimal]:
    """(rows, credits) of one university's placements under its rule, in one grouped query:
    rows with the same hours and rating earn the same credits."""
    groups = placements.order_by().values_list("hours", "rating").annotate(n=Count("pk"))
    count, credits = 0, Decimal(0)
    for hours, rating, n in groups:
        count += n
        credits += rule.credits_for(hours=hours, rating=rating) * n
    return count, credits


def project_name(year: int, kind: str) -> str:
    """项目: 返家乡社会实践（2026年度暑期）, the season written as Season.__str__ writes it."""
    season = f"{year}年度{Season.Kind(kind).label}"
    return _("返家乡社会实践（%(season)s）") % {"season": season}
