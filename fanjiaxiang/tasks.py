from celery import shared_task


@shared_task
def resend_waiting_tasks() -> int:
    """Every minute: tasks a request recorded while the broker was down go out now. Idempotent:
    each is claimed before it is sent, and deleted once the broker has it."""
    from fanjiaxiang.outbox import resend_waiting

    return resend_waiting()
