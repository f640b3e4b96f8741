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


# A mail server that refuses or is down gets another try every 10 minutes for two hours.
MAIL_RETRY_SECONDS = 600
MAIL_RETRIES = 12


@shared_task(bind=True, max_retries=MAIL_RETRIES)
def send_notice_mails(self, notice_id: int) -> int:
    """A ledger notice's e-mails; idempotent: each delivery is claimed before its mail goes,
    so a second run, at once or after a killed worker, mails nobody twice. Mails still unsent
    (refused, server down) are tried again later; after the last try they stay unsent, shown
    as 待发送 on the notice's page."""
    from ledger.services import notice_mails_pending, notice_mails_send

    sent = notice_mails_send(notice_id)
    if notice_mails_pending(notice_id):
        raise self.retry(countdown=MAIL_RETRY_SECONDS)
    return sent
