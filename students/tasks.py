from celery import shared_task
from django.utils import timezone

from students.services import offers_expire


@shared_task
def expire_offers() -> int:
    """Beat: offers not confirmed in time lapse. Idempotent."""
    return offers_expire(now=timezone.now())
