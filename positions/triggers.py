"""The database's own guard that a post's dates lie inside its season's practice window,
whether the post moves or the season's window is edited.

A CHECK constraint cannot read another table, so this is a trigger, for both databases the
portal runs on. Services and forms check the same rule first, with a message in Chinese; the
trigger holds when something bypasses them.

They live outside the migrations on purpose: SQLite drops a table's triggers when Django
rebuilds the table (most field and constraint changes do), and refuses to rebuild a table that
another table's trigger names. So every `migrate` takes them off first (pre_migrate) and puts
them back when the schema is final (post_migrate); see PositionsConfig.ready.
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
# The other side of the same rule: a season's window cannot shrink past its live posts.
_POSTS_OUTSIDE = """
    SELECT 1 FROM positions_post p
    WHERE p.season_id = NEW.id AND p.status IN ('draft', 'published')
      AND (p.starts_on < NEW.practice_starts OR p.ends_on > NEW.practice_ends)
"""
POSTGRES_INSTALL += [
    """
    CREATE OR REPLACE FUNCTION schedule_season_keeps_its_posts() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (POSTS_OUTSIDE) THEN
            RAISE EXCEPTION 'season % window would leave posts outside it', NEW.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'season_keeps_its_posts';
        END IF;
        RETURN NEW;
    END
    $$ LANGUAGE plpgsql
    """.replace("POSTS_OUTSIDE", _POSTS_OUTSIDE),
    "DROP TRIGGER IF EXISTS season_keeps_its_posts ON schedule_season",
    """
    CREATE TRIGGER season_keeps_its_posts
        BEFORE UPDATE OF practice_starts, practice_ends ON schedule_season
        FOR EACH ROW EXECUTE FUNCTION schedule_season_keeps_its_posts()
    """,
]
POSTGRES_REMOVE = [
    "DROP TRIGGER IF EXISTS post_within_season ON positions_post",
    "DROP FUNCTION IF EXISTS positions_post_within_season()",
    "DROP TRIGGER IF EXISTS season_keeps_its_posts ON schedule_season",
    "DROP FUNCTION IF EXISTS schedule_season_keeps_its_posts()",
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
SQLITE_INSTALL.append(
    "CREATE TRIGGER IF NOT EXISTS season_keeps_its_posts"
    " BEFORE UPDATE OF practice_starts, practice_ends ON schedule_season"
    f" WHEN EXISTS ({_POSTS_OUTSIDE})"
    " BEGIN SELECT RAISE(ABORT, 'season_keeps_its_posts: posts would lie outside it'); END"
)
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS post_within_season_insert",
    "DROP TRIGGER IF EXISTS post_within_season_update",
    "DROP TRIGGER IF EXISTS season_keeps_its_posts",
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


def _tables_exist(connection) -> bool:
    tables = connection.introspection.table_names()
    return "positions_post" in tables and "schedule_season" in tables


def remove_before_migrate(using: str = "default", **kwargs) -> None:
    from django.db import connections

    if _tables_exist(connections[using]):
        remove(connections[using])


def install_after_migrate(using: str = "default", **kwargs) -> None:
    from django.db import connections

    if _tables_exist(connections[using]):
        install(connections[using])
