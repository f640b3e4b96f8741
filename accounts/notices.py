"""Telling people what changed: an in-portal notice, and an e-mail after the change commits."""

from django.conf import settings
from django.core.mail import send_mail, send_mass_mail
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import Notice, User


def notify(*, user: User, text: str, url: str = "") -> Notice:
    notice = Notice.objects.create(user=user, text=text, url=url)
    if user.email:
        # After commit: a rolled-back change must not have told anyone anything.
        transaction.on_commit(lambda: _mail(user.email, text, url))
    return notice


def _mail(address: str, text: str, url: str) -> None:
    body = text if not url else f"{text}\n\n{url}"
    send_mail(
        _("【返家乡】%(text)s") % {"text": text[:40]},
        body,
        settings.DEFAULT_FROM_EMAIL,
        [address],
        fail_silently=True,
    )


def notify_many(messages: list[tuple[User, str, str]]) -> None:
    """Many notices at once (a published matching round): one insert, one mail connection."""
    Notice.objects.bulk_create(
        Notice(user=user, text=text, url=url) for user, text, url in messages
    )
    mails = [
        (
            _("【返家乡】%(text)s") % {"text": text[:40]},
            f"{text}\n\n{url}",
            settings.DEFAULT_FROM_EMAIL,
            [user.email],
        )
        for user, text, url in messages
        if user.email
    ]
    if mails:
        transaction.on_commit(lambda: send_mass_mail(mails, fail_silently=True))
