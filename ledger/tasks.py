from celery import shared_task


@shared_task
def import_check(job_id: int) -> None:
    """Check an uploaded ledger file (writes nothing to the ledger). Idempotent: a job that is
    no longer being checked is left alone."""
    from ledger.imports import job_check

    job_check(job_id)


@shared_task
def import_apply(job_id: int) -> None:
    """Write a confirmed ledger file in one transaction. Idempotent: the job's status changes
    to done in the same transaction as the rows, so a redelivery after a killed worker writes
    everything once and a second run finds the job done."""
    from ledger.imports import job_apply

    job_apply(job_id)


@shared_task
def prune_imports() -> int:
    """Daily: uploaded ledger files hold personal data, so none is kept once its import is
    finished, or a day after upload if nobody confirmed it. Idempotent."""
    from ledger.imports import prune

    return prune()


@shared_task
def send_notice_mails(notice_id: int) -> int:
    """Kept for messages queued before the mail outbox: a notice's mails are now `Mail` rows
    sent by accounts.tasks.send_mails; this sends whatever is due. Idempotent."""
    from accounts.mail import mails_send

    return mails_send()
