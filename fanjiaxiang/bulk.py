"""Bulk inserts of plain rows, for the ledger import and the demo's scale data: bulk_create
compiles every value of every row through the ORM, which was most of a 50,000-row import's write
time and would take hours for a million demo students."""

import datetime
from collections.abc import Iterable, Sequence

from django.db import connection
from django.utils import timezone

BATCH = 1000


def bulk_insert(model, columns: Sequence[str], rows: Iterable[Sequence], constant=None) -> None:
    """Insert `rows` (values in `columns` order, as the database driver takes them: run an
    encrypted field's value through its get_db_prep_save first) with one statement: COPY on
    PostgreSQL, executemany elsewhere. Columns neither given nor in `constant` take the field's
    default (auto_now fields: now)."""
    constant = dict(constant or {})
    now = timezone.now()
    for field in model._meta.concrete_fields:
        name = field.attname
        if name in columns or name in constant or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            constant[name] = now
        else:
            constant[name] = field.get_default()
    names = list(columns) + list(constant)
    extra = tuple(_field(model, k).get_db_prep_save(v, connection) for k, v in constant.items())
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(_field(model, c).column) for c in names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(tuple(row) + extra)
            return
        marks = ", ".join(["%s"] * len(names))
        sql = f"INSERT INTO {table} ({cols}) VALUES ({marks})"  # noqa: S608  # nosec B608 - model names only
        batch = []
        for row in rows:
            batch.append(tuple(_adapted(v) for v in row) + extra)
            if len(batch) == BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def _field(model, attname: str):
    for field in model._meta.concrete_fields:
        if field.attname == attname:
            return field
    raise LookupError(attname)


def _adapted(value):
    """Dates as the backend stores them (psycopg's COPY adapts them itself)."""
    if isinstance(value, datetime.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, datetime.date):
        return connection.ops.adapt_datefield_value(value)
    return value
