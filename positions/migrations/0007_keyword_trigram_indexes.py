"""Trigram (pg_trgm) GIN indexes for the public keyword search, on PostgreSQL only.

The search's `icontains` is `UPPER(col::text) LIKE UPPER('%word%')` on PostgreSQL; these
indexes are on exactly that expression, so the planner can answer each field's LIKE from its
index (a keyword of three characters or more: a trigram index has nothing to look up for a
shorter one). SQLite, the embedded default, has no such index and scans as before."""

from django.db import migrations

FIELDS = [
    ("positions_post", "title"),
    ("positions_post", "description"),
    ("positions_post", "duties"),
    ("positions_post", "place"),
    ("positions_hostunit", "name"),
]


def _name(table: str, column: str) -> str:
    return f"{table}_{column}_trgm"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table, column in FIELDS:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {_name(table, column)} ON {table} "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, column in FIELDS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {_name(table, column)}")


class Migration(migrations.Migration):
    dependencies = [("positions", "0006_words_users_know")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
