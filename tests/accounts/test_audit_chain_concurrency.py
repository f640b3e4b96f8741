"""Many web and Celery workers write audit events at once: each province's chain is appended
under its head's row lock, so concurrent writers never fork it (real PostgreSQL transactions)."""

import pytest
from django.core.management import call_command
from django.db import transaction

from accounts.audit import Action, audit_record, audit_record_many
from accounts.models import AuditChain, AuditEvent
from students.models import Student
from tests.factories import StudentFactory
from tests.race import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WRITERS = 12


def _writer(region, n: int):
    def write() -> None:
        # As a service does: the event inside a transaction that goes on a little after it.
        with transaction.atomic():
            audit_record(Action.EXPORT, actor=None, region=region, data={"writer": n})
            audit_record(Action.EXPORT, actor=None, region=region, data={"writer": n, "again": 1})

    return write


def test_concurrent_writers_produce_one_valid_chain_without_a_fork(gd):
    audit_record(Action.EXPORT, actor=None, region=gd.yuexiu)  # a head to contend for
    students = list(StudentFactory.create_batch(5, hometown=gd.yuexiu))
    actions = [_writer(gd.yuexiu if n % 2 else gd.tianhe, n) for n in range(WRITERS)]
    actions += [_writer(None, n) for n in range(4)]  # the national chain at the same time
    actions.append(
        lambda: audit_record_many(
            Action.APPLICATION_OFFER,
            actor=None,
            targets=Student.objects.filter(pk__in=[s.pk for s in students]),
            region=gd.yuexiu,
        )
    )
    race(actions)

    guangdong = AuditEvent.objects.filter(province=gd.province).order_by("chain_seq")
    places = list(guangdong.values_list("chain_seq", flat=True))
    assert places == list(range(1, 1 + 1 + 2 * WRITERS + 5))  # no gap, no place twice
    assert AuditChain.objects.get(code="440000").seq == places[-1]
    national = AuditEvent.objects.filter(province=None).values_list("chain_seq", flat=True)
    assert sorted(national) == list(range(1, 9))
    call_command("verify_audit")  # exits non-zero on any problem
