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


@shared_task
def prune_audit_events() -> int:
    """Beat, nightly: audit events past AUDIT_RETENTION_DAYS go, behind signed checkpoints.
    Idempotent: a second run finds nothing older left."""
    from accounts.audit_retention import audit_prune

    return audit_prune(now=timezone.now())


@shared_task
def verify_audit_chains() -> int:
    """Beat, nightly: walk every audit chain and keep the outcome for the audit log page.
    Returns how many chains have a problem."""
    from accounts.audit_retention import audit_chains_verify

    return sum(not report.ok for report in audit_chains_verify(now=timezone.now()))
