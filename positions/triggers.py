"""The database's own guard that a post's dates lie inside its season's practice window.

A CHECK constraint cannot read another table, so this is a trigger, for both databases the
portal runs on. Services and forms check the same rule first, with a message in Chinese; the
trigger holds when something bypasses them.

SQLite drops a table's triggers whenever Django rebuilds the table (most AlterField and
constraint changes do), so `install` is idempotent and runs after every `migrate`
(PositionsConfig.ready connects it to post_migrate), not only in migration 0003.
"""

POSTGRES_INSTALL = [
    """
    CREATE OR REPLACE FUNCTION positions_post_within_season() RETURNS trigger AS $$
    BEGIN
        IF NOT EXISTS (
            SELECT 1 FROM schedule_season s
            WHERE s.id = NEW.season_id
              AND NEW.starts_on >= s.practice_starts AND NEW.ends_on <= s.practice_ends
        ) THEN
            RAISE EXCEPTION 'post % dates % to % lie outside its season',
                NEW.id, NEW.starts_on, NEW.ends_on
                USING ERRCODE = 'check_violation', CONSTRAINT = 'post_within_season';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """,
    "DROP TRIGGER IF EXISTS post_within_season ON positions_post",
    """
    CREATE TRIGGER post_within_season
        BEFORE INSERT OR UPDATE OF starts_on, ends_on, season_id ON positions_post
        FOR EACH ROW EXECUTE FUNCTION positions_post_within_season()
    """,
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS post_within_season ON positions_post",
    "DROP FUNCTION IF EXISTS positions_post_within_season()",
]

_SQLITE_GUARD = """
    WHEN NOT EXISTS (
        SELECT 1 FROM schedule_season s
        WHERE s.id = NEW.season_id
          AND NEW.starts_on >= s.practice_starts AND NEW.ends_on <= s.practice_ends
    )
    BEGIN SELECT RAISE(ABORT, 'post_within_season: post dates lie outside its season'); END
"""
SQLITE_INSTALL = [
    "CREATE TRIGGER IF NOT EXISTS post_within_season_insert BEFORE INSERT ON positions_post"
    + _SQLITE_GUARD,
    "CREATE TRIGGER IF NOT EXISTS post_within_season_update"
    " BEFORE UPDATE OF starts_on, ends_on, season_id ON positions_post" + _SQLITE_GUARD,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS post_within_season_insert",
    "DROP TRIGGER IF EXISTS post_within_season_update",
]

INSTALL = {"postgresql": POSTGRES_INSTALL, "sqlite": SQLITE_INSTALL}
REMOVE = {"postgresql": POSTGRES_REMOVE, "sqlite": SQLITE_REMOVE}


def _execute(connection, statements: dict) -> None:
    if connection.vendor not in statements:
        raise RuntimeError(f"no season-window trigger for database vendor {connection.vendor!r}")
    with connection.cursor() as cursor:
        for sql in statements[connection.vendor]:
            cursor.execute(sql)


def install(connection) -> None:
    _execute(connection, INSTALL)


def remove(connection) -> None:
    _execute(connection, REMOVE)


def install_after_migrate(using: str = "default", **kwargs) -> None:
    """post_migrate receiver: put the trigger back if a table rebuild dropped it."""
    from django.db import connections

    connection = connections[using]
    if "positions_post" in connection.introspection.table_names():
        install(connection)
