from celery import shared_task

from dashboards import services
from fanjiaxiang import outbox


@shared_task
def refresh_stats(season_id: int) -> int:
    """Recount one season's dashboard figures. Idempotent: it writes the counts it finds, so a
    second run, or a rerun after a killed worker, writes the same rows."""
    return services.stats_refresh(season_id=season_id)


@shared_task
def refresh_all_stats() -> int:
    """Every 10 minutes: one task per season still in progress, so workers share the load."""
    seasons = services.seasons_to_refresh()
    for season_id in seasons:
        outbox.enqueue(refresh_stats, season_id)
    return len(seasons)
