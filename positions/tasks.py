import datetime

from celery import shared_task
from django.utils import timezone

from positions.services import posts_close_finished


@shared_task
def close_finished_posts(day: str | None = None) -> int:
    """Nightly: posts whose practice has ended stop taking applicants. Idempotent."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return posts_close_finished(today=today)
