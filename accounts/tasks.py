from celery import shared_task
from django.utils import timezone

from accounts.services import login_records_prune


@shared_task
def prune_login_records() -> int:
    """Beat, nightly: sign-in records (usernames and addresses) kept only as long as useful."""
    return login_records_prune(now=timezone.now())


@shared_task
def send_mails() -> int:
    """The mail outbox: queued after each change that mails someone, and every minute for the
    mails waiting for another try. Idempotent: each mail is claimed before it goes."""
    from accounts.mail import mails_send

    return mails_send()
