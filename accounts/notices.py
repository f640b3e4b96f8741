"""Telling people what changed: an in-portal notice, and an e-mail through the mail outbox
(accounts/mail.py), sent by a worker after the change commits: a rolled-back change tells no
one anything, and a slow mail server never holds the request."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from accounts.mail import Letter, mail_queue
from accounts.models import Notice, User


def notify(*, user: User, text: str, url: str = "") -> Notice:
    notice = Notice.objects.create(user=user, text=text, url=url)
    _mail([(user, text, url)])
    return notice


def notify_many(messages: list[tuple[User, str, str]]) -> None:
    """Many notices at once (a published matching round): one insert, one queued send."""
    Notice.objects.bulk_create(
        Notice(user=user, text=text, url=url) for user, text, url in messages
    )
    _mail(messages)


def _mail(messages: list[tuple[User, str, str]]) -> None:
    addressed = [(user, text, url) for user, text, url in messages if user.email]
    if not addressed:
        return
    provinces = province_ids([user for user, _text, _url in addressed])
    mail_queue(
        Letter(
            to=user.email,
            subject=_("【返家乡】%(text)s") % {"text": text[:40]},
            body=text if not url else f"{text}\n\n{url}",
            province_id=provinces.get(user.pk),
        )
        for user, text, url in addressed
    )


def province_ids(users: Iterable[User]) -> dict[int, int]:
    """The province each user belongs to (a student's hometown, staff's region or host unit's
    county), in at most three queries however many users: whose staff see a failed mail."""
    from positions.models import HostUnit, Region
    from students.models import Student

    users = list(users)
    code_of: dict[int, str] = {}
    regions = dict(
        Region.objects.filter(pk__in={u.region_id for u in users if u.region_id}).values_list(
            "pk", "code"
        )
    )
    units = dict(
        HostUnit.objects.filter(
            pk__in={u.host_unit_id for u in users if u.host_unit_id}
        ).values_list("pk", "county__code")
    )
    students = dict(
        Student.objects.filter(
            user_id__in=[u.pk for u in users if not u.region_id and not u.host_unit_id]
        ).values_list("user_id", "hometown__code")
    )
    for user in users:
        code = (
            (user.region_id and regions.get(user.region_id))
            or (user.host_unit_id and units.get(user.host_unit_id))
            or students.get(user.pk)
        )
        if code:
            code_of[user.pk] = code[:2] + "0000"
    provinces = dict(
        Region.objects.filter(level="province", code__in=set(code_of.values())).values_list(
            "code", "pk"
        )
    )
    return {pk: provinces[code] for pk, code in code_of.items() if code in provinces}
