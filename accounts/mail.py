"""The portal's one mail path: every e-mail (notices, matching results, ledger notices, calendar
reminders) is a `Mail` row written with the change it tells of and sent by a worker after commit
(`accounts.tasks.send_mails`, queued through the task outbox, and every minute by beat for the
retries). A request never talks to the mail server, so a slow or hung one cannot hold it.

The rules, from the ledger's notices: each mail is claimed by a conditional update just before it
goes, so two runs at once never send one twice; a worker killed between the claim and the send
loses that one mail (left as 发送中) rather than sending it twice, since a mail cannot be taken
back. A server that is down or does not answer (EMAIL_TIMEOUT) stops the run and the mail is
tried again in 10 minutes, 12 times (two hours); a refusal for good (the address refused, any
5xx answer) ends it at once as failed, with the server's reason, for the sender and province.
"""

import datetime
import logging
import smtplib
from collections.abc import Iterable
from typing import NamedTuple

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import F
from django.utils import timezone

from accounts import tasks
from accounts.models import Mail
from fanjiaxiang import outbox

logger = logging.getLogger(__name__)
RETRY = datetime.timedelta(minutes=10)
TRIES = 12
BATCH = 200  # mails claimed and sent per query
S = Mail.Status


class Letter(NamedTuple):
    to: str
    subject: str
    body: str
    province_id: int | None = None


def mail_queue(letters: Iterable[Letter]) -> list[Mail]:
    """Record the mails in the caller's transaction; a worker sends them after it commits."""
    mails = Mail.objects.bulk_create(
        (
            Mail(
                to=x.to, subject=_one_line(x.subject)[:200], body=x.body, province_id=x.province_id
            )
            for x in letters
            if x.to
        ),
        batch_size=1000,
    )
    if mails:
        outbox.enqueue(tasks.send_mails)
    return mails


def _one_line(text: str) -> str:
    """A subject is one header line: a newline typed into a reason would make the message
    unsendable (BadHeaderError) and hold up every mail behind it."""
    return " ".join(text.split())


def _refused_for_good(error: smtplib.SMTPException) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _message in error.recipients.values())
    if isinstance(error, smtplib.SMTPSenderRefused):
        return False  # our own address: a setting to fix, not the recipient's fault
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code >= 500


def _text(message: bytes | str) -> str:
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def _reason(error: Exception) -> str:
    """The server's own words (`550 5.1.1 mailbox unavailable`), kept for the sender."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(error.recipients.values()))
        return f"{code} {_text(message)}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{error.smtp_code} {_text(error.smtp_error)}"
    return repr(error)


def _again(pk: int, error: Exception, now: datetime.datetime) -> None:
    """Back to pending for a later try, or failed once the tries are spent."""
    mail = Mail.objects.get(pk=pk)
    spent = mail.attempts >= TRIES
    Mail.objects.filter(pk=pk, status=S.SENDING).update(
        status=S.FAILED if spent else S.PENDING,
        next_try_at=now + RETRY,
        error=_reason(error)[:300],
    )


def mails_send(*, now: datetime.datetime | None = None) -> int:
    """Send the mails that are due; returns how many went."""
    now = now or timezone.now()
    due = Mail.objects.filter(status=S.PENDING, next_try_at__lte=now)
    if not due.exists():
        return 0  # no connection to the mail server every minute for nothing
    sent = last = 0
    try:
        with get_connection() as connection:
            while ids := list(
                due.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:BATCH]
            ):
                last = ids[-1]
                went, error = _send_batch(connection, due, ids, now)
                sent += went
                if error:
                    raise error
    except (OSError, smtplib.SMTPException) as error:
        # Down, hung (EMAIL_TIMEOUT) or refusing for now: the rest waits for the next run.
        logger.warning("mail server unavailable, %s mails wait: %r", due.count(), error)
    return sent


def _send_batch(connection, due, ids: list[int], now) -> tuple[int, Exception | None]:
    """Sends the batch; stops at a server that is down (returned, to end the run)."""
    sent = 0
    for pk in ids:
        # The claim: exactly one run moves it from pending to sending.
        if not due.filter(pk=pk).update(status=S.SENDING, attempts=F("attempts") + 1):
            continue
        mail = Mail.objects.get(pk=pk)
        message = EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, [mail.to])
        try:
            went = connection.send_messages([message])
        except (
            ValueError
        ) as error:  # BadHeaderError, an address Python cannot encode: never sendable
            logger.warning("mail %s to %s cannot be built: %r", pk, mail.to, error)
            Mail.objects.filter(pk=pk).update(status=S.FAILED, error=repr(error)[:300])
            continue
        except Exception as error:
            if isinstance(error, smtplib.SMTPException) and _refused_for_good(error):
                logger.warning("mail %s to %s refused: %s", pk, mail.to, _reason(error))
                Mail.objects.filter(pk=pk).update(status=S.FAILED, error=_reason(error)[:300])
                continue
            _again(pk, error, now)
            if isinstance(error, smtplib.SMTPRecipientsRefused):
                continue  # this address refused for now (greylisting): the others still go
            if isinstance(error, OSError | smtplib.SMTPException):
                return sent, error
            raise
        if not went:  # not taken, without a reason (a backend that returns 0)
            _again(pk, RuntimeError("not accepted by the mail server"), now)
            continue
        Mail.objects.filter(pk=pk).update(status=S.SENT, sent_at=timezone.now(), error="")
        sent += 1
    return sent, None
