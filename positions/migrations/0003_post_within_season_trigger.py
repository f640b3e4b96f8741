"""A post's dates must lie inside its season's practice window.

A CHECK constraint cannot read another table, so this is a trigger, for both databases the
portal runs on. The services and forms check the same rule first, with a message in Chinese;
the trigger is what holds when something bypasses them.
"""

from django.db import migrations

POSTGRES_CREATE = """
CREATE OR REPLACE FUNCTION positions_post_within_season() RETURNS trigger AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM schedule_season s
        WHERE s.id = NEW.season_id
          AND NEW.starts_on >= s.practice_starts AND NEW.ends_on <= s.practice_ends
    ) THEN
        RAISE EXCEPTION 'post % dates % to % lie outside its season', NEW.id, NEW.starts_on, NEW.ends_on
            USING ERRCODE = 'check_violation', CONSTRAINT = 'post_within_season';
    END IF;
    RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER post_within_season
    BEFORE INSERT OR UPDATE OF starts_on, ends_on, season_id ON positions_post
    FOR EACH ROW EXECUTE FUNCTION positions_post_within_season();
"""
POSTGRES_DROP = """
DROP TRIGGER IF EXISTS post_within_season ON positions_post;
DROP FUNCTION IF EXISTS positions_post_within_season();
"""

SQLITE_CONDITION = """
WHEN NOT EXISTS (
    SELECT 1 FROM schedule_season s
    WHERE s.id = NEW.season_id
      AND NEW.starts_on >= s.practice_starts AND NEW.ends_on <= s.practice_ends
)
BEGIN SELECT RAISE(ABORT, 'post_within_season: post dates lie outside its season'); END
"""
SQLITE_CREATE = [
    "CREATE TRIGGER post_within_season_insert BEFORE INSERT ON positions_post" + SQLITE_CONDITION,
    "CREATE TRIGGER post_within_season_update BEFORE UPDATE OF starts_on, ends_on, season_id"
    " ON positions_post" + SQLITE_CONDITION,
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS post_within_season_insert",
    "DROP TRIGGER IF EXISTS post_within_season_update",
]


def _run(statements: dict):
    def apply(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements:
            raise RuntimeError(f"no season-window trigger for database vendor {vendor!r}")
        for sql in statements[vendor]:
            schema_editor.execute(sql, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0002_initial"),
        ("schedule", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            _run({"postgresql": [POSTGRES_CREATE], "sqlite": SQLITE_CREATE}),
            _run({"postgresql": [POSTGRES_DROP], "sqlite": SQLITE_DROP}),
        ),
    ]
