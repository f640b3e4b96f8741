"""Database connections: checked before each request uses them, and ready for PgBouncer's
transaction pooling when the environment says so (docs/operations.md "Database restarts
and failovers", "Behind PgBouncer")."""

import json

from tests.process import PRODUCTION, manage

SHOW_DATABASE = (
    "shell",
    "-c",
    "import json; from django.db import connection as c;"
    "print(json.dumps([c.settings_dict[k] for k in "
    "('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS', 'DISABLE_SERVER_SIDE_CURSORS')]))",
)
POSTGRES = "postgres://fjx@db.example.gov.cn:5432/fanjiaxiang"


def _database(**env) -> list:
    shown = manage(*SHOW_DATABASE, **PRODUCTION, DATABASE_URL=POSTGRES, **env)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout.strip().splitlines()[-1])


def test_persistent_connections_are_checked_before_use_and_keep_server_side_cursors():
    assert _database() == [60, True, False]


def test_behind_pgbouncer_the_environment_turns_server_side_cursors_off():
    assert _database(DISABLE_SERVER_SIDE_CURSORS="1", CONN_MAX_AGE="300") == [300, True, True]
