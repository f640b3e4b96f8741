"""Keeping the audit chains: nightly verification and pruning past AUDIT_RETENTION_DAYS.

Pruning deletes the oldest events of a chain (a prefix, in chain order) and writes a checkpoint
signed with AUDIT_CHAIN_KEY: the last pruned place and hash, how many went, when. Verification
then starts from the checkpoint, so an untouched chain still verifies after pruning, and the
deleted prefix cannot be faked or shortened without the key. A segment that does not verify is
never pruned (the evidence stays). Each chain is pruned in one transaction: killed midway, a
chain is either pruned with its checkpoint or untouched; run twice, the second finds nothing.
"""

import datetime
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.audit import Action, audit_record
from accounts.auditchain import (
    ChainReport,
    chain_events,
    chain_key,
    chain_start,
    chain_verify,
    chain_walk,
    checkpoint_signature,
    verify_snapshot,
)
from accounts.models import AuditChain, AuditCheckpoint, AuditEvent

log = logging.getLogger(__name__)
MINIMUM_RETENTION_DAYS = 180


def retention_days() -> int:
    days = settings.AUDIT_RETENTION_DAYS
    if days < MINIMUM_RETENTION_DAYS:
        raise ValidationError(
            _("审计日志保存期限（AUDIT_RETENTION_DAYS）为 %(days)s 天，不得少于 180 天。")
            % {"days": days}
        )
    return days


def audit_chains_verify(
    *, code: str | None = None, now: datetime.datetime, log_problems: bool = True
) -> list[ChainReport]:
    """Verify every chain (or the one of a province code, "national" for the national one)
    and keep each outcome on its chain for the audit log page. Problems are logged for the
    nightly run; verify_audit prints them itself, in Chinese (log_problems=False)."""
    chains = AuditChain.objects.select_related("province").order_by("code")
    if code:
        chains = chains.filter(code=code)
    reports = []
    for chain in chains:
        with verify_snapshot():
            chain.refresh_from_db()
            report = chain_verify(chain)
        AuditChain.objects.filter(pk=chain.pk).update(
            verified_at=now,
            verified_seq=report.last_seq,
            verified_event_at=report.last_at,
            verified_count=report.checked,
            problem=report.problem[:300],
        )
        if report.problem and log_problems:
            log.warning("audit chain %s: %s", chain.code, report.problem)
        reports.append(report)
    if not code:
        reports += _events_off_every_chain([chain.province_id for chain in chains])
    return reports


def _events_off_every_chain(provinces: list) -> list[ChainReport]:
    """An event of a province with no chain at all was written around audit_record."""
    outside = AuditEvent.objects.exclude(province__in=[p for p in provinces if p])
    if None in provinces:
        outside = outside.exclude(province__isnull=True)
    stray = outside.order_by("id").values_list("id", flat=True).first()
    if stray is None:
        return []
    problem = _("编号 %(id)s 的记录不在审计链上（未经审计写入直接插入）。") % {"id": stray}
    log.warning("audit events: %s", problem)
    return [ChainReport("—", _("不在任何审计链上的记录"), problem=problem)]


def audit_prune(*, now: datetime.datetime) -> int:
    """Beat, nightly: delete events older than AUDIT_RETENTION_DAYS behind signed checkpoints.
    Returns how many went."""
    cutoff = now - datetime.timedelta(days=retention_days())
    pruned = 0
    for chain in AuditChain.objects.select_related("province").order_by("code"):
        try:
            pruned += _chain_prune(chain=chain, cutoff=cutoff, now=now)
        except IntegrityError:
            # Another prune wrote this checkpoint first; its transaction did the work.
            log.info("audit chain %s: pruned by another run", chain.code)
    return pruned


@transaction.atomic
def _chain_prune(*, chain: AuditChain, cutoff, now) -> int:
    key = chain_key()
    report = ChainReport(chain.code, "")
    start, prev, checkpoint = chain_start(chain, key, report)
    last = None
    # The pruned part is a prefix in chain order, up to the first event still to be kept.
    for row in chain_walk(chain_events(chain, start), start, prev, key, report):
        if row["created_at"] >= cutoff:
            break
        last = row
    if report.problem:
        log.warning("audit chain %s not pruned: %s", chain.code, report.problem)
        return 0
    if last is None:
        return 0
    through = last["chain_seq"]
    count = AuditEvent.objects.filter(
        province=chain.province_id, chain_seq__gt=start, chain_seq__lte=through
    ).delete()[0]
    point = AuditCheckpoint(
        chain=chain,
        seq=through,
        last_hash=last["chain_hash"],
        pruned=count,
        total=(checkpoint.total if checkpoint else 0) + count,
        cutoff=cutoff,
        created_at=now,
    )
    point.signature = checkpoint_signature(point, chain.code, key)
    point.save()
    audit_record(
        Action.AUDIT_PRUNE,
        actor=None,
        region=chain.province,
        data={"pruned": count, "through": through, "days": settings.AUDIT_RETENTION_DAYS},
    )
    return count
