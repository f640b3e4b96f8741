from celery import shared_task
from django.utils import timezone

from accounts.services import login_records_prune


@shared_task
def prune_login_records() -> int:
    """Beat, nightly: sign-in records (usernames and addresses) kept only as long as useful."""
    return login_records_prune(now=timezone.now())
