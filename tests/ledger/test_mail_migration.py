"""Ledger notices' mails still waiting when the mail outbox arrives move into it, nothing lost."""

import datetime
import re

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from accounts.models import Mail
from ledger import services
from ledger.models import Delivery, Entry, LedgerNotice
from ledger.selectors import delivery_from_token
from tests.factories import region

BEFORE = [("ledger", "0004_delivery_mail")]
AFTER = [("ledger", "0005_delivery_mails_into_the_outbox")]


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)


@pytest.fixture(autouse=True)
def _back_to_the_latest_schema(transactional_db):
    """Leave every app at its latest migration, so tests after this one in the same worker find
    the columns later migrations added (attendance_extra and the rest)."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_waiting_ledger_mails_move_into_the_outbox_and_sent_ones_stay_as_they_were():
    _migrate(BEFORE)
    county = region("440104")
    people = [
        services.entry_create(
            actor=None, county=county, name=f"学子{n}", phone=f"1380013{n:04d}", email=f"p{n}@x.cn"
        )
        for n in range(3)
    ]
    fresh = LedgerNotice.objects.create(county=county, category="job", title="新通知", body="正文")
    old = LedgerNotice.objects.create(county=county, category="job", title="旧通知", body="正文")
    LedgerNotice.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - datetime.timedelta(days=3)
    )
    waiting = Delivery.objects.create(notice=fresh, entry=people[0], by_email=True)
    mailed = Delivery.objects.create(
        notice=fresh, entry=people[1], by_email=True, mailed_at=timezone.now()
    )
    given_up = Delivery.objects.create(notice=old, entry=people[2], by_email=True)

    _migrate(AFTER)

    waiting.refresh_from_db()
    assert (waiting.mail.to, waiting.mail.status) == ("p0@x.cn", "pending")
    assert waiting.mail.subject == "【越秀区团委】新通知"
    # The link's token is signed with a timestamp, so it is read back rather than recomputed.
    token = re.search(r"/ledger/n/([^/]+)/", waiting.mail.body).group(1)
    assert delivery_from_token(token) == waiting and waiting.mail.province == region("440000")
    assert Delivery.objects.get(pk=mailed.pk).mail is None  # sent before: untouched
    assert Delivery.objects.get(pk=given_up.pk).mail.status == "failed"  # shown to the province
    assert Mail.objects.count() == 2 and Entry.objects.count() == 3
