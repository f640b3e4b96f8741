import datetime

from celery import shared_task
from django.utils import timezone

from positions.models import Region
from schedule.enforcement import enforce_calendar as calendar_enforce


@shared_task
def enforce_calendar(day: str | None = None, province_id: int | None = None) -> dict:
    """Daily (Asia/Shanghai): reminders, overdue flags, locks and quotas for `day`. Idempotent:
    see schedule/enforcement.py for why a redelivery or a second run changes nothing."""
    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    province = Region.objects.get(pk=province_id) if province_id else None
    return dict(calendar_enforce(day=today, province=province))
