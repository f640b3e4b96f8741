import datetime

from celery import shared_task
from django.utils import timezone


@shared_task
def expire_offers() -> int:
    """Beat: offers not confirmed in time lapse. Idempotent."""
    from students.services import offers_expire

    return offers_expire(now=timezone.now(), actor=None)


@shared_task
def compute_matching_round(round_id: int) -> bool:
    """A large county's matching round, computed off the request. Idempotent."""
    from students.rounds import round_compute

    return round_compute(round_id=round_id) is not None


@shared_task
def retention_sweep(now: str | None = None) -> int:
    """Beat, nightly: anonymise students past the retention period. Idempotent."""
    from students.privacy import retention_sweep as sweep

    moment = datetime.datetime.fromisoformat(now) if now else timezone.now()
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return sweep(now=moment, actor=None)
