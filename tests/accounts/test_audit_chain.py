"""The tamper-evident audit chain (等保2.0 三级 审计记录保护): an event changed or deleted in
the database makes verify_audit fail and name it; an untouched chain passes, also after the
nightly pruning behind its signed checkpoint."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.audit import Action, audit_record, audit_record_many
from accounts.audit_retention import audit_chains_verify, audit_prune
from accounts.auditchain import events_seal
from accounts.models import AuditChain, AuditCheckpoint, AuditEvent, Role
from accounts.services import login_records_prune
from accounts.tasks import prune_audit_events, verify_audit_chains
from positions.models import Region
from students.models import Student
from students.privacy import student_erase
from tests.factories import PASSWORD, StudentFactory, region, staff

START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def _verify(capsys, *args) -> tuple[int, str]:
    """verify_audit's exit status and everything it printed."""
    try:
        call_command("verify_audit", *args)
        status = 0
    except SystemExit as exit_:
        status = int(exit_.code or 0)
    out = capsys.readouterr()
    return status, out.out + out.err


def _write(gd, count: int, *, province=True) -> list[AuditEvent]:
    where = gd.yuexiu if province else None
    return [
        audit_record(Action.EXPORT, actor=None, region=where, data={"rows": n, "q": "越秀"})
        for n in range(count)
    ]


@pytest.fixture
def chain(gd):
    events = _write(gd, 5)
    _write(gd, 2, province=False)  # the national chain, beside Guangdong's
    return events


def test_each_event_carries_its_place_and_a_hash_chained_to_the_one_before(chain):
    assert [event.chain_seq for event in chain] == [1, 2, 3, 4, 5]
    assert len({event.chain_hash for event in chain}) == 5
    head = AuditChain.objects.get(code="440000")
    assert (head.seq, head.head_hash) == (5, chain[-1].chain_hash)
    assert AuditChain.objects.get(code="national").seq == 2


def test_an_untouched_chain_passes(chain, capsys):
    status, out = _verify(capsys)
    assert status == 0
    assert "广东省（440000）：完好，校验 5 条至第 5 条" in out and "全国（national）：完好" in out


def test_changing_one_events_text_fails_and_names_it(chain, capsys, caplog):
    AuditEvent.objects.filter(pk=chain[2].pk).update(data={"rows": 999, "q": "越秀"})
    status, out = _verify(capsys)
    assert status == 1
    assert not [r for r in caplog.records if "audit chain" in r.getMessage()]  # Chinese only
    assert f"编号 {chain[2].pk} 的记录（第 3 条" in out and "被修改" in out
    assert "全国（national）：完好" in out  # other chains are not blamed


@pytest.mark.parametrize(
    "change",
    [
        {"actor_label": "someone_else"},
        {"action": Action.PII_REVEAL},
        {"ip": "10.9.9.9"},
        {"created_at": START},
        {"target_id": 77},
    ],
)
def test_any_field_changed_is_caught(chain, capsys, change):
    AuditEvent.objects.filter(pk=chain[1].pk).update(**change)
    status, out = _verify(capsys, "--province", "440000")
    assert status == 1 and f"编号 {chain[1].pk} 的记录（第 2 条" in out


def test_deleting_one_event_fails_and_names_its_place(chain, capsys):
    AuditEvent.objects.filter(pk=chain[2].pk).delete()
    status, out = _verify(capsys)
    assert status == 1
    assert f"第 3 条记录已被删除（在编号 {chain[1].pk} 与编号 {chain[3].pk} 之间）" in out


def test_deleting_the_last_events_fails_too(chain, capsys):
    AuditEvent.objects.filter(pk__in=[chain[3].pk, chain[4].pk]).delete()
    status, out = _verify(capsys)
    assert status == 1 and f"第 4 至 5 条记录已被删除（在编号 {chain[2].pk} 之后）" in out


def test_rewriting_the_head_to_hide_a_deletion_needs_the_key(chain, capsys):
    AuditEvent.objects.filter(pk=chain[4].pk).delete()
    AuditChain.objects.filter(code="440000").update(seq=4, head_hash=chain[3].chain_hash)
    status, out = _verify(capsys)
    assert status == 1 and "链头被改动" in out


def test_an_event_inserted_around_the_chain_is_named(chain, capsys):
    stray = AuditEvent.objects.create(action=Action.EXPORT, province=chain[0].province)
    status, out = _verify(capsys)
    assert status == 1 and f"编号 {stray.pk} 的记录不在审计链上" in out


def test_an_event_of_a_province_without_a_chain_is_named(chain, capsys):
    stray = AuditEvent.objects.create(action=Action.EXPORT, province=region("450000"), chain_seq=1)
    status, out = _verify(capsys)
    assert status == 1 and f"编号 {stray.pk} 的记录不在审计链上" in out


def test_a_province_code_that_does_not_exist_is_refused(db, capsys):
    with pytest.raises(Exception, match="省份代码 999999 不存在"):
        call_command("verify_audit", "--province", "999999")


def test_many_events_in_one_write_are_chained_in_order(gd, capsys):
    students = StudentFactory.create_batch(3, hometown=gd.yuexiu)
    audit_record_many(Action.APPLICATION_OFFER, actor=None, targets=students, region=gd.yuexiu)
    events = AuditEvent.objects.order_by("chain_seq")
    assert [e.chain_seq for e in events] == [1, 2, 3]
    assert _verify(capsys)[0] == 0


# --- pruning -------------------------------------------------------------------------------


def _history(gd) -> list[AuditEvent]:
    """Three events a year ago, two 100 days ago, one today (2026-12-07)."""
    events = []
    for moment, count in [
        (datetime.datetime(2025, 12, 1, 9, tzinfo=datetime.UTC), 3),
        (datetime.datetime(2026, 8, 29, 9, tzinfo=datetime.UTC), 2),
        (datetime.datetime(2026, 12, 7, 1, tzinfo=datetime.UTC), 1),
    ]:
        with time_machine.travel(moment, tick=False):
            events += _write(gd, count)
    return events


NOW = datetime.datetime(2026, 12, 7, 2, tzinfo=datetime.UTC)


def test_pruning_deletes_what_is_past_retention_and_the_chain_still_verifies(gd, capsys):
    events = _history(gd)
    assert audit_prune(now=NOW) == 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in events[:3]]).exists()
    point = AuditCheckpoint.objects.get()
    assert (point.seq, point.last_hash, point.pruned, point.total) == (
        3,
        events[2].chain_hash,
        3,
        3,
    )
    # The pruning is itself recorded, on the same chain, and everything verifies.
    assert AuditEvent.objects.filter(action=Action.AUDIT_PRUNE, data__pruned=3).exists()
    status, out = _verify(capsys, "--province", "440000")
    assert status == 0 and "校验 4 条至第 7 条" in out


def test_pruning_twice_changes_nothing_the_second_time(gd):
    _history(gd)
    audit_prune(now=NOW)
    events, checkpoints = AuditEvent.objects.count(), AuditCheckpoint.objects.count()
    assert audit_prune(now=NOW) == 0
    assert audit_prune(now=NOW + datetime.timedelta(hours=1)) == 0
    assert (AuditEvent.objects.count(), AuditCheckpoint.objects.count()) == (events, checkpoints)


def test_a_longer_retention_keeps_more(gd, settings):
    _history(gd)
    settings.AUDIT_RETENTION_DAYS = 400
    assert audit_prune(now=NOW) == 0


def test_retention_under_180_days_is_refused_with_a_clear_message(gd, settings):
    _history(gd)
    settings.AUDIT_RETENTION_DAYS = 90
    with pytest.raises(ValidationError, match="AUDIT_RETENTION_DAYS）为 90 天，不得少于 180 天"):
        audit_prune(now=NOW)
    assert AuditEvent.objects.count() == 6


def test_after_pruning_a_changed_or_deleted_event_is_still_caught(gd, capsys):
    events = _history(gd)
    audit_prune(now=NOW)
    AuditEvent.objects.filter(pk=events[3].pk).delete()
    status, out = _verify(capsys)
    assert status == 1 and "第 4 条记录已被删除" in out


def test_a_forged_checkpoint_is_caught(gd, capsys):
    _history(gd)
    audit_prune(now=NOW)
    AuditCheckpoint.objects.update(total=1)  # hiding how many went
    status, out = _verify(capsys)
    assert status == 1 and "清理检查点（至第 3 条）的签名无效" in out


def test_a_damaged_segment_is_not_pruned(gd):
    events = _history(gd)
    AuditEvent.objects.filter(pk=events[1].pk).update(actor_label="mallory")
    assert audit_prune(now=NOW) == 0
    assert AuditEvent.objects.filter(pk=events[1].pk).exists()  # the evidence stays


def test_the_pruning_and_verification_run_nightly_on_the_beat(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["prune-audit-events"]["task"] == prune_audit_events.name
    assert schedule["verify-audit-chains"]["task"] == verify_audit_chains.name


# --- personal fields removed on purpose --------------------------------------------------


def test_clearing_old_addresses_keeps_the_chain_verifying(gd, capsys, settings):
    with time_machine.travel(datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC), tick=False):
        from accounts.audit import request_ip

        with request_ip("10.1.2.3"):
            old = _write(gd, 2)
    login_records_prune(now=NOW)
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in old], ip=None).count() == 2
    assert _verify(capsys)[0] == 0
    # Emptying an address by hand (no digest kept) is a change like any other.
    with request_ip("10.1.2.4"):
        fresh = _write(gd, 1)[0]
    AuditEvent.objects.filter(pk=fresh.pk).update(ip=None)
    status, out = _verify(capsys)
    assert status == 1 and f"编号 {fresh.pk} 的记录" in out


def test_an_erased_students_name_leaves_the_events_and_the_chain_verifying(gd, capsys):
    student = StudentFactory(hometown=gd.yuexiu)
    audit_record(Action.PROFILE_UPDATE, actor=student.user, target=student, region=gd.yuexiu)
    audit_record(Action.ACCOUNT_CREATE, actor=None, target=student.user, region=gd.yuexiu)
    student_erase(student=student, password=PASSWORD, actor=student.user)
    assert Student.objects.get(pk=student.pk).anonymised_at is not None
    erased = f"erased-{student.user_id}"
    assert AuditEvent.objects.filter(actor=student.user).exclude(actor_label=erased).count() == 0
    assert _verify(capsys)[0] == 0
    # A removed name may only read as the erased one.
    AuditEvent.objects.filter(actor=student.user).update(actor_label="someone")
    assert _verify(capsys)[0] == 1


def test_deleting_a_staff_account_keeps_its_events_verifying(gd, capsys):
    gone = staff(Role.COUNTY, region=gd.yuexiu, username="离职干部")
    event = audit_record(Action.EXPORT, actor=gone, region=gd.yuexiu)
    gone.delete()
    assert AuditEvent.objects.get(pk=event.pk).actor_label == "离职干部"
    assert _verify(capsys)[0] == 0


# --- events written before the chain ----------------------------------------------------


def test_events_written_before_the_chain_are_sealed_in_order_and_verify(gd, capsys):
    province = gd.province
    old = [
        AuditEvent.objects.create(action=Action.EXPORT, region=gd.yuexiu, province=province)
        for _ in range(3)
    ]
    assert events_seal(AuditEvent, AuditChain, Region) == 3
    assert [AuditEvent.objects.get(pk=e.pk).chain_seq for e in old] == [1, 2, 3]
    audit_record(Action.EXPORT, actor=None, region=gd.yuexiu)  # the chain goes on from there
    assert AuditEvent.objects.get(chain_seq=4).province == province
    assert _verify(capsys)[0] == 0


# --- the audit log page ----------------------------------------------------------------


def test_provincial_staff_see_their_chains_status_on_the_audit_log(chain, client):
    audit_chains_verify(now=timezone.now())
    client.force_login(staff(Role.PROVINCE, region=region("440000"), username="gd_prov"))
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert "防篡改校验" in page and "已校验至第 5 条" in page and "未发现改动" in page


def test_a_problem_found_is_shown_on_the_page(chain, client):
    AuditEvent.objects.filter(pk=chain[0].pk).update(actor_label="x")
    audit_chains_verify(now=timezone.now())
    client.force_login(staff(Role.PROVINCE, region=region("440000"), username="gd_prov"))
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert f"编号 {chain[0].pk} 的记录（第 1 条" in page


def test_another_province_sees_only_its_own_chain(chain, client):
    audit_chains_verify(now=timezone.now())
    client.force_login(staff(Role.PROVINCE, region=region("450000"), username="gx_prov"))
    page = client.get(reverse("accounts:audit_log")).content.decode()
    assert "已校验至第 5 条" not in page and "尚未有审计记录" in page


# --- the write's cost ------------------------------------------------------------------


@pytest.mark.postgres
def test_a_write_on_postgresql_is_the_lock_and_one_statement(gd):
    _write(gd, 1)  # the chain's head exists
    with CaptureQueriesContext(connection) as queries:
        audit_record(Action.EXPORT, actor=None, region=gd.province)
    statements = [q["sql"].split()[0] for q in queries.captured_queries]
    assert statements == ["INSERT", "WITH"], statements


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_prunes_once_and_the_nightly_verification_finds_nothing(worker):
    with time_machine.travel(timezone.now() - datetime.timedelta(days=200), tick=False):
        audit_record(Action.EXPORT, actor=None, region=region("440104"))
    audit_record(Action.EXPORT, actor=None, region=region("440104"))
    first = prune_audit_events.apply_async(ignore_result=False).get(timeout=30)
    second = prune_audit_events.apply_async(ignore_result=False).get(timeout=30)
    assert (first, second) == (1, 0)
    assert verify_audit_chains.apply_async(ignore_result=False).get(timeout=30) == 0
    assert AuditChain.objects.get(code="440000").verified_seq == 3  # the pruning's own event


def test_the_portal_refuses_to_start_with_less_than_180_days_of_audit_retention():
    from tests.process import PRODUCTION, manage

    result = manage("check", **{**PRODUCTION, "AUDIT_RETENTION_DAYS": "90"})
    assert result.returncode != 0
    assert "AUDIT_RETENTION_DAYS=90: 审计日志至少保存 180 天" in result.stderr
