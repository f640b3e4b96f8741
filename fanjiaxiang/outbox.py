"""The one way work reaches Celery: recorded in the database with the change that asks for it,
sent to the broker after commit (like pretix's TransactionAwareTask, with the row that makes it
survive a broker outage).

A broker that is down costs the request nothing but a log line and a message to the user: the
row waits, and `resend_waiting` (beat, every minute, and each worker as it starts) sends it
later. Sending may repeat in one rare case (a sender killed between the broker taking the task
and the row's deletion), which is harmless because every task's service claims its own work
with a conditional update; losing a task is not.
"""

import contextvars
import datetime
import logging
from enum import Enum

from celery import Task
from django.contrib import messages
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from fanjiaxiang.celery import app
from fanjiaxiang.models import QueuedTask

logger = logging.getLogger(__name__)
# Longer than any publish can take (the broker's connect and socket timeouts are a few seconds).
CLAIM = datetime.timedelta(minutes=2)
RESEND_BATCH = 500

# Tasks this request (or task) could not hand to the broker; OutboxMessageMiddleware tells the user.
_unsent: contextvars.ContextVar[int] = contextvars.ContextVar("outbox_unsent", default=0)


class Sent(Enum):
    SENT = "sent"
    TAKEN = "taken"  # another sender has it, or it went already
    FAILED = "failed"  # the broker did not take it; the row waits


def enqueue(task: Task, *args) -> QueuedTask:
    """Record `task(*args)` now and send it once the current transaction commits (at once
    outside one). The arguments are ids and dates: JSON, as Celery would send them."""
    row = QueuedTask.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: send(row.pk))
    return row


def _claimable(now: datetime.datetime):
    return QueuedTask.objects.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))


def send(pk: int) -> Sent:
    now = timezone.now()
    # The claim: touches exactly one row for one sender, so two re-senders never both send it.
    if not _claimable(now).filter(pk=pk).update(claimed_until=now + CLAIM):
        return Sent.TAKEN
    row = QueuedTask.objects.get(pk=pk)
    try:
        # retry=False: a broker that is down fails this at once instead of holding the request
        # through kombu's retries; the row is the retry.
        app.send_task(row.task, args=row.args, retry=False, ignore_result=True)
    except Exception as error:  # kombu.OperationalError, a socket error, a timeout
        logger.warning("task %s not sent, it waits for the re-sender: %r", row, error)
        QueuedTask.objects.filter(pk=pk).update(
            claimed_until=None, attempts=row.attempts + 1, last_error=repr(error)[:300]
        )
        _unsent.set(_unsent.get() + 1)
        return Sent.FAILED
    QueuedTask.objects.filter(pk=pk).delete()
    return Sent.SENT


def resend_waiting() -> int:
    """Send every task still waiting, oldest first; stops at the first the broker refuses (it is
    still down: the next run tries again). Returns how many went."""
    sent = 0
    waiting = _claimable(timezone.now()).order_by("pk").values_list("pk", flat=True)
    for pk in list(waiting[:RESEND_BATCH]):
        outcome = send(pk)
        if outcome is Sent.FAILED:
            break
        sent += outcome is Sent.SENT
    if sent:
        logger.info("re-sent %s waiting tasks", sent)
    return sent


class OutboxMessageMiddleware:
    """Tells the user when work they asked for could not reach the broker: their change is saved
    and the work runs once the re-sender gets it through (after MessageMiddleware, so a message
    added on the way out is still stored for the next page)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _unsent.set(0)
        try:
            response = self.get_response(request)
            if _unsent.get() and hasattr(request, "_messages"):
                messages.info(
                    request, _("已记录，稍后自动处理：后台服务暂时繁忙，恢复后会自动执行。")
                )
            return response
        finally:
            _unsent.reset(token)
