"""Recounting the dashboards' figures: one season of one province at a time.

A recount is a handful of grouped queries and one upsert of every county of the province, so
running it twice, or again after a worker died half-way, leaves the same rows.
"""

import datetime

from django.db import transaction
from django.db.models import Count, F, Q, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from dashboards.models import CountySeasonStats
from ledger.models import ContactLog, Entry, ReturnRegistration
from positions.models import Post, Region
from schedule.models import Season
from students.models import Application, CreditRule, Placement

OFFERED = ("offered", "confirmed", "declined", "expired")
DEFAULT_RULE = CreditRule()
RULE = "student__university__credit_rule__"


def credited_filter() -> tuple[Q, dict[str, Coalesce]]:
    """A completed placement that earns credits under its university's rule (or the default):
    the same test as `CreditRule.credits_for(...) > 0`, in SQL."""
    min_rating = Coalesce(F(f"{RULE}min_rating"), Value(DEFAULT_RULE.min_rating))
    hours_per_credit = Coalesce(F(f"{RULE}hours_per_credit"), Value(DEFAULT_RULE.hours_per_credit))
    rating_ok = (
        Q(rating="excellent")
        | (Q(rating="good") & ~Q(min_rating_="excellent"))
        | (Q(rating="pass") & Q(min_rating_="pass"))
    )
    return Q(status="completed") & Q(GreaterThanOrEqual(F("hours") * 2, hours_per_credit)) & (
        rating_ok
    ), {"min_rating_": min_rating}


def contact_window(season: Season) -> tuple[datetime.date, datetime.date]:
    """Contacts "this season": from the day after the province's previous season ended (of
    whichever programme year), else from 1 January of the year, to this season's end; so
    consecutive seasons' windows neither overlap nor leave gaps."""
    earlier = (
        Season.objects.filter(
            programme_year__province_id=season.programme_year.province_id,
            practice_ends__lt=season.practice_ends,
        )
        .order_by("-practice_ends")
        .first()
    )
    start = (
        earlier.practice_ends + datetime.timedelta(days=1)
        if earlier
        else datetime.date(season.programme_year.year, 1, 1)
    )
    return start, season.practice_ends


def _by_county(queryset, path: str, **counts) -> dict[int, dict]:
    rows = queryset.values(path).annotate(**counts).order_by()
    return {row.pop(path): row for row in rows}


def stats_refresh(*, season_id: int) -> int:
    """Recount every county of the season's province; returns how many rows were written."""
    season = Season.objects.select_related("programme_year").get(pk=season_id)
    province_id = season.programme_year.province_id
    counties = list(
        Region.objects.filter(level="county", parent__parent_id=province_id)
        .order_by("pk")  # two recounts of one season upsert in the same order: no deadlock
        .values_list("pk", flat=True)
    )
    in_province = {"host_unit__county__parent__parent_id": province_id}
    posts = _by_county(
        Post.objects.filter(season=season, status__in=["published", "closed"], **in_province),
        "host_unit__county",
        posts=Count("pk"),
    )
    applications = _by_county(
        Application.objects.filter(season=season),
        "post__host_unit__county",
        applications=Count("pk"),
        offers=Count("pk", filter=Q(status__in=OFFERED)),
    )
    credited, aliases = credited_filter()
    placements = _by_county(
        Placement.objects.filter(season=season).alias(**aliases),
        "post__host_unit__county",
        confirmed=Count("pk"),
        reported=Count("pk", filter=Q(reported_at__isnull=False)),
        completed=Count("pk", filter=Q(status="completed")),
        credited=Count("pk", filter=credited),
    )
    start, end = contact_window(season)
    in_ledger = {"county__parent__parent_id": province_id}
    contacts = _by_county(
        ContactLog.objects.filter(
            date__gte=start, date__lte=end, entry__county__parent__parent_id=province_id
        ),
        "entry__county",
        contacts=Count("pk"),
    )
    ledger = _by_county(Entry.objects.filter(**in_ledger), "county", ledger_size=Count("pk"))
    returns = _by_county(
        ReturnRegistration.objects.filter(
            status="verified",
            year=season.programme_year.year,
            entry__county__parent__parent_id=province_id,
        ),
        "entry__county",
        returns=Count("pk"),
    )
    now = timezone.now()
    rows = []
    for county in counties:
        figures = {}
        for found in (posts, applications, placements, contacts, ledger, returns):
            figures.update(found.get(county, {}))
        rows.append(CountySeasonStats(county_id=county, season=season, refreshed_at=now, **figures))
    fields = [f.name for f in CountySeasonStats._meta.concrete_fields]
    update = [name for name in fields if name not in ("id", "county", "season")]
    with transaction.atomic():
        CountySeasonStats.objects.bulk_create(
            rows,
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["county", "season"],
            update_fields=update,
        )
    return len(rows)


# A season's figures still move for a while after practice ends: evaluations, certificates and
# credits come in afterwards.
SETTLING = datetime.timedelta(days=120)


def seasons_to_refresh(*, today: datetime.date | None = None) -> list[int]:
    """The seasons whose figures still move: those not yet ended, or ended in the last 120 days.
    Older seasons keep their last count."""
    today = today or timezone.localdate()
    seasons = Season.objects.filter(practice_ends__gte=today - SETTLING)
    return list(seasons.order_by("pk").values_list("pk", flat=True))


def stats_refresh_all(*, years: list[int] | None = None) -> int:
    """Recount every season (of the given years); used by seed_demo and the benchmarks."""
    seasons = Season.objects.all()
    if years:
        seasons = seasons.filter(programme_year__year__in=years)
    return sum(stats_refresh(season_id=pk) for pk in seasons.values_list("pk", flat=True))
