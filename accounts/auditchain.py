"""The tamper-evident audit chain (等保2.0 三级 审计记录保护).

Every audit event sits in its province's chain (events with no province in the national one) at
a place `chain_seq` and carries `chain_hash` = SHA-256 over a canonical serialisation of its
fields and the previous event's hash. Changing an event's text breaks its own hash; deleting one
leaves a gap in the places; rewriting the rest of the chain to match needs AUDIT_CHAIN_KEY, which
signs the chain's head (AuditChain) and every pruning checkpoint (AuditCheckpoint).

Appends are serialised per province by a row lock on the chain's head row, taken inside the
writer's transaction: an upsert that reserves the places and returns the previous head (the
lock), then one statement that inserts the events and moves the head (on PostgreSQL a
data-modifying CTE: one round trip). Two writers therefore never read the same head, and the
unique (province, chain_seq) constraint would refuse a fork if they did.

Personal fields that are removed later on purpose (an erased account's name, an address past
LOGIN_RECORD_DAYS) enter the hash as keyed digests; removing one keeps its digest in `redacted`,
so the chain still verifies, and the removed form is checked (only the erased name, no address).
"""

import datetime
import functools
import hashlib
import hmac
import json
import socket
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import connection, transaction

if TYPE_CHECKING:
    from accounts.models import AuditCheckpoint

VERSION = 1
NATIONAL = "national"
# The fields a chain hash covers, in order (values_list reads them so for verification).
FIELDS = (
    "chain_seq",
    "created_at",
    "actor_id",
    "actor_role",
    "action",
    "target_type",
    "target_id",
    "region_id",
    "province_id",
    "actor_label",
    "data",
    "ip",
    "redacted",
)
PERSONAL = ("actor_label", "data", "ip")


def chain_key() -> bytes:
    """AUDIT_CHAIN_KEY, or a key derived from SECRET_KEY for this one purpose."""
    if settings.AUDIT_CHAIN_KEY:
        return settings.AUDIT_CHAIN_KEY.encode()
    return hashlib.sha256(b"fanjiaxiang.audit-chain\x00" + settings.SECRET_KEY.encode()).digest()


def sign(text: str, key: bytes | None = None) -> str:
    return hmac.digest(key or chain_key(), text.encode(), "sha256").hex()


_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _canonical_json(value) -> str:
    return _ENCODER.encode(value)


def _packed(ip: str) -> str:
    family = socket.AF_INET6 if ":" in ip else socket.AF_INET
    try:
        return socket.inet_pton(family, ip).hex()
    except OSError:  # not an address (the field would refuse it); hashed as written
        return f"text:{ip}"


def _personal_text(name: str, value) -> str:
    if name == "data":
        return _canonical_json(value or {})
    if name == "ip":
        # Packed bytes, not text: PostgreSQL's inet and Python may spell an address differently.
        return _packed(value) if value else ""
    return value or ""


def personal_digest(name: str, value, key: bytes) -> str:
    return _digest(key, f"{name}\x1f{_personal_text(name, value)}")


@functools.lru_cache(maxsize=65536)
def _digest(key: bytes, text: str) -> str:
    # The same names, addresses and details recur across a chain: verification of a million
    # events computes each digest once.
    return hmac.digest(key, text.encode(), "sha256").hex()


def _removed_form_ok(name: str, row: dict) -> bool:
    """What a removed field may hold: nothing but what the removal writes."""
    if name == "ip":
        return row["ip"] is None
    if name == "actor_label":
        label = row["actor_label"] or ""
        erased = label.startswith("erased-") and label[7:].isdigit()
        return erased and row["actor_id"] in (None, int(label[7:]))
    return row["target_type"] == "accounts.user" and row["data"] == {
        "username": f"erased-{row['target_id']}"
    }


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def event_hash(row: dict, prev: str, key: bytes) -> str | None:
    """The chain hash of one event (its FIELDS as a dict) after `prev`; None when a removed
    field holds anything but its removed form."""
    digests = []
    for name in PERSONAL:
        kept = row["redacted"].get(name) if row["redacted"] else None
        if kept is None:
            digests.append(personal_digest(name, row[name], key))
        elif _removed_form_ok(name, row):
            digests.append(kept)
        else:
            return None
    payload = [
        VERSION,
        row["chain_seq"],
        _iso(row["created_at"]),
        # Not the actor's account id: deleting an account empties it (SET_NULL). Who acted is
        # the name recorded at the time, actor_label, covered through its digest below.
        row["actor_role"],
        row["action"],
        row["target_type"],
        row["target_id"],
        row["region_id"],
        row["province_id"],
        *digests,
        prev,
    ]
    return hashlib.sha256(_canonical_json(payload).encode()).hexdigest()


def head_signature(code: str, seq: int, head: str, key: bytes | None = None) -> str:
    return sign(f"head\x1f{code}\x1f{seq}\x1f{head}", key)


def checkpoint_signature(checkpoint, code: str, key: bytes | None = None) -> str:
    return sign(
        f"checkpoint\x1f{code}\x1f{checkpoint.seq}\x1f{checkpoint.last_hash}\x1f"
        f"{checkpoint.pruned}\x1f{checkpoint.total}\x1f{_iso(checkpoint.cutoff)}\x1f"
        f"{_iso(checkpoint.created_at)}",
        key,
    )


def chain_code(province) -> str:
    return province.code if province is not None else NATIONAL


# --- writing -------------------------------------------------------------------------------


def chain_append(events: Sequence, province) -> None:
    """Seal and insert `events` (unsaved AuditEvents of one province) at the end of its chain.
    Inside the caller's transaction (or one of its own): the head stays locked until it ends."""
    from accounts.models import AuditChain, AuditEvent  # models import nothing from here

    if not events:
        return
    code = chain_code(province)
    key = chain_key()
    with transaction.atomic(savepoint=False):
        end, prev = _reserve(AuditChain, code, province, len(events))
        now = _now()
        seq = end - len(events)
        for event in events:
            seq += 1
            event.created_at = now
            event.chain_seq = seq
            event.redacted = {}
            digest = event_hash(_row(event), prev, key)
            if digest is None:  # a new event has nothing removed; never happens
                raise ValueError("a new audit event cannot have removed fields")
            event.chain_hash = prev = digest
        signature = head_signature(code, end, prev, key)
        if connection.vendor == "postgresql":
            _insert_and_move_head(AuditEvent, AuditChain, events, code, prev, signature)
        else:
            AuditEvent.objects.bulk_create(events)
            AuditChain.objects.filter(code=code).update(head_hash=prev, head_signature=signature)


def _now() -> datetime.datetime:
    from django.utils import timezone

    return timezone.now()


def _row(event) -> dict:
    return {name: getattr(event, name) for name in FIELDS}


def _reserve(chain_model, code: str, province, count: int) -> tuple[int, str]:
    """Lock the chain's head (created on first use), take `count` places; the last place and
    the head's hash before them. An upsert: the row lock and the read in one round trip, and
    under READ COMMITTED it acts on the head's latest committed version, never a stale one."""
    table = chain_model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (code, province_id, seq, head_hash, head_signature, problem) "  # noqa: S608  # nosec B608 - table name from the model
            "VALUES (%s, %s, %s, '', '', '') ON CONFLICT (code) DO UPDATE "
            f"SET seq = {table}.seq + EXCLUDED.seq RETURNING seq, head_hash",
            [code, province.pk if province is not None else None, count],
        )
        end, head = cursor.fetchone()
    return end, head


def _insert_and_move_head(event_model, chain_model, events, code, head, signature) -> None:
    """PostgreSQL: the events' INSERT and the head's UPDATE in one statement."""
    fields = [f for f in event_model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    params: list = []
    for event in events:
        params.extend(f.get_db_prep_save(getattr(event, f.attname), connection) for f in fields)
    sql = (
        f"WITH e AS (INSERT INTO {event_model._meta.db_table} ({columns}) "  # noqa: S608  # nosec B608 - names from the model
        f"VALUES {', '.join([row] * len(events))} RETURNING id), "
        f"h AS (UPDATE {chain_model._meta.db_table} SET head_hash = %s, head_signature = %s "
        "WHERE code = %s) SELECT id FROM e"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, head, signature, code])
        ids = [pk for (pk,) in cursor.fetchall()]
    for event, pk in zip(events, ids, strict=True):
        event.pk = pk
        event._state.adding = False
        event._state.db = connection.alias


# --- removing personal fields -------------------------------------------------------------


def events_redact(events: Iterable, **values) -> int:
    """Replace personal fields (`ip=None`, `actor_label=…`, `data=…`) of these AuditEvents,
    keeping the keyed digest of what was there so the chain still verifies. Idempotent: a field
    removed before keeps its first digest."""
    from accounts.models import AuditEvent

    key = chain_key()
    changed = []
    for event in events:
        redacted = dict(event.redacted or {})
        for name, value in values.items():
            if getattr(event, name) == value:
                continue
            redacted.setdefault(name, personal_digest(name, getattr(event, name), key))
            setattr(event, name, value)
        if redacted != event.redacted:
            event.redacted = redacted
            changed.append(event)
    AuditEvent.objects.bulk_update(changed, [*values, "redacted"], batch_size=1000)
    return len(changed)


# --- verifying ------------------------------------------------------------------------------


@dataclass
class ChainReport:
    code: str
    name: str
    checked: int = 0
    last_seq: int | None = None
    last_id: int | None = None
    last_at: datetime.datetime | None = None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return not self.problem


def chain_walk(rows: Iterator[tuple], seq: int, prev: str, key: bytes, report: ChainReport):
    """Check events in place order from `seq` + 1 after hash `prev`; stops at the first
    problem. Yields each good event's row so a pruner can stop where it wants."""
    from django.utils.translation import gettext as _

    for values in rows:
        row = dict(zip((*FIELDS, "id", "chain_hash"), values, strict=True))
        if row["chain_seq"] != seq + 1:
            report.problem = _(
                "第 %(first)s 条记录已被删除（在编号 %(before)s 与编号 %(after)s 之间）。"
            ) % {"first": seq + 1, "before": report.last_id or "—", "after": row["id"]}
            return
        if event_hash(row, prev, key) != row["chain_hash"]:
            report.problem = _("编号 %(id)s 的记录（第 %(seq)s 条，%(time)s）被修改。") % {
                "id": row["id"],
                "seq": row["chain_seq"],
                "time": _local(row["created_at"]),
            }
            return
        seq, prev = row["chain_seq"], row["chain_hash"]
        report.checked += 1
        report.last_seq, report.last_id, report.last_at = seq, row["id"], row["created_at"]
        yield row


def _local(moment: datetime.datetime) -> str:
    from django.utils import timezone

    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M:%S}"


def chain_start(
    chain, key: bytes, report: ChainReport
) -> tuple[int, str, "AuditCheckpoint | None"]:
    """Where verification of `chain` begins: its latest checkpoint (signature checked) or the
    chain's start."""
    from django.utils.translation import gettext as _

    checkpoint = chain.checkpoints.order_by("-seq").first()
    if checkpoint is None:
        return 0, "", None
    if not hmac.compare_digest(
        checkpoint.signature, checkpoint_signature(checkpoint, chain.code, key)
    ):
        report.problem = _("清理检查点（至第 %(seq)s 条）的签名无效，检查点被改动。") % {
            "seq": checkpoint.seq
        }
    report.last_seq = checkpoint.seq
    return checkpoint.seq, checkpoint.last_hash, checkpoint


def chain_events(chain, after: int, page: int = 5000) -> Iterator[tuple]:
    """The chain's events after place `after`, in place order, read a page at a time by place
    (no server-side cursor, so it works behind PgBouncer too, in constant memory)."""
    from accounts.models import AuditEvent

    events = AuditEvent.objects.filter(province=chain.province_id).order_by("chain_seq")
    while True:
        rows = list(
            events.filter(chain_seq__gt=after).values_list(*FIELDS, "id", "chain_hash")[:page]
        )
        yield from rows
        if len(rows) < page:
            return
        after = rows[-1][0]


def chain_verify(chain) -> ChainReport:
    """Walk one chain from its checkpoint to its signed head. Call inside one snapshot
    (`verify_snapshot`) so a prune or an append committing meanwhile is not taken for damage."""
    from django.utils.translation import gettext as _

    from accounts.models import AuditEvent

    key = chain_key()
    report = ChainReport(chain.code, chain.province.name if chain.province_id else _("全国"))
    seq, prev, _checkpoint = chain_start(chain, key, report)
    if report.problem:
        return report
    for row in chain_walk(chain_events(chain, seq), seq, prev, key, report):
        prev = row["chain_hash"]
    if report.problem:
        return report
    seq = report.last_seq or 0
    if chain.seq > seq:
        report.problem = _(
            "第 %(first)s 至 %(last)s 条记录已被删除（在编号 %(before)s 之后）。"
        ) % {"first": seq + 1, "last": chain.seq, "before": report.last_id or "—"}
    elif (
        chain.seq < seq
        or chain.head_hash != prev
        or not hmac.compare_digest(
            chain.head_signature, head_signature(chain.code, chain.seq, chain.head_hash, key)
        )
    ):
        report.problem = _("审计链的链头与最后一条记录不符，链头被改动。")
    else:
        stray = AuditEvent.objects.filter(province=chain.province_id, chain_seq__isnull=True)
        stray_id = stray.values_list("id", flat=True).order_by("id").first()
        if stray_id is not None:
            report.problem = _("编号 %(id)s 的记录不在审计链上（未经审计写入直接插入）。") % {
                "id": stray_id
            }
    return report


@contextmanager
def verify_snapshot() -> Iterator[None]:
    """One transaction that sees the database at one moment (REPEATABLE READ on PostgreSQL), so
    a prune or an append committing meanwhile is not taken for damage."""
    with transaction.atomic():
        if connection.vendor == "postgresql" and len(connection.atomic_blocks) == 1:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def events_seal(event_model, chain_model, region_model) -> int:
    """Put every event not yet on a chain at the end of its province's chain, oldest first
    (the migration that introduced the chains; the benchmark's bulk-loaded events). Takes the
    models so a migration can pass its historical ones."""
    key = chain_key()
    pending = event_model.objects.filter(chain_seq__isnull=True)
    provinces = list(pending.order_by().values_list("province_id", flat=True).distinct())
    sealed = 0
    for province_id in provinces:
        province = region_model.objects.get(pk=province_id) if province_id else None
        code = chain_code(province)
        chain, _created = chain_model.objects.get_or_create(code=code, province=province)
        seq, prev = chain.seq, chain.head_hash
        rows = pending.filter(province_id=province_id).order_by("created_at", "id")
        batch = []
        for values in rows.values_list("id", *FIELDS).iterator(chunk_size=5000):
            row = dict(zip(("id", *FIELDS), values, strict=True))
            seq += 1
            row["chain_seq"], row["redacted"] = seq, row["redacted"] or {}
            prev = event_hash(row, prev, key)
            batch.append(event_model(id=row["id"], chain_seq=seq, chain_hash=prev))
            if len(batch) == 5000:
                sealed += _seal_batch(event_model, batch)
                batch = []
        sealed += _seal_batch(event_model, batch)
        chain_model.objects.filter(pk=chain.pk).update(
            seq=seq, head_hash=prev, head_signature=head_signature(code, seq, prev, key)
        )
    return sealed


def _seal_batch(event_model, batch) -> int:
    if connection.vendor != "postgresql":
        event_model.objects.bulk_update(batch, ["chain_seq", "chain_hash"])
        return len(batch)
    # bulk_update's CASE per row is quadratic-ish; one UPDATE … FROM (VALUES …) per batch.
    if batch:
        table = event_model._meta.db_table
        values = ", ".join(["(%s, %s, %s)"] * len(batch))
        params = [v for event in batch for v in (event.id, event.chain_seq, event.chain_hash)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS e SET chain_seq = v.seq, chain_hash = v.hash "  # noqa: S608  # nosec B608 - table name from the model
                f"FROM (VALUES {values}) AS v(id, seq, hash) WHERE e.id = v.id",
                params,
            )
    return len(batch)
