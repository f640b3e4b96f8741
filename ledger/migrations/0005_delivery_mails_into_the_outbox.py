"""Ledger notices' mails not yet sent move into the one mail outbox (accounts.Mail), so no
notice is left waiting on the old per-notice task. Mails already sent keep `mailed_at`; a mail
whose two hours of tries ran out before this migration is recorded as failed (the province
sees it), a younger one waits to be sent by the worker."""

import datetime

from django.conf import settings
from django.core import signing
from django.db import migrations
from django.urls import reverse
from django.utils import timezone

TOKEN_SALT = "ledger.notice.read"  # noqa: S105 - ledger.selectors.TOKEN_SALT at this migration
RETRIES_END = datetime.timedelta(hours=2)


def _address(delivery) -> str:
    entry = delivery.entry
    if entry.email:
        return entry.email
    student = entry.student
    return student.user.email if student is not None and student.user.is_active else ""


def forwards(apps, schema_editor):
    Delivery = apps.get_model("ledger", "Delivery")
    Mail = apps.get_model("accounts", "Mail")
    Region = apps.get_model("positions", "Region")
    provinces = dict(Region.objects.filter(level="province").values_list("code", "pk"))
    waiting = Delivery.objects.filter(
        by_email=True, mailed_at__isnull=True, mail__isnull=True
    ).select_related("notice__county", "entry__student__user")
    now = timezone.now()
    for delivery in waiting.iterator(chunk_size=500):
        notice, address = delivery.notice, _address(delivery)
        if not address:
            continue
        token = signing.dumps(delivery.pk, salt=TOKEN_SALT, compress=True)
        link = settings.SITE_URL + reverse("ledger:notice_read", args=[token])
        expired = notice.sent_at < now - RETRIES_END
        delivery.mail = Mail.objects.create(
            to=address,
            subject=f"【{notice.county.name}团委】{notice.title}"[:200],
            body=f"{notice.body}\n\n查看详情：{link}",
            province_id=provinces.get(notice.county.code[:2] + "0000"),
            status="failed" if expired else "pending",
            error="迁移前两小时内未能发出" if expired else "",
        )
        delivery.save(update_fields=["mail"])


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_delivery_mail"),
        ("positions", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
