"""/healthz and /readyz answer a load balancer with a plain word; details stay in the log."""

import socket
import time

import pytest
from django.conf import settings
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings


@pytest.fixture
def broker_folder(tmp_path):
    """A writable embedded broker folder (a fresh checkout has no var/celery/ until
    `make setup`); with REDIS_URL set the real Redis is probed instead."""
    folder = tmp_path / "queue"
    folder.mkdir()
    options = {**settings.CELERY_BROKER_TRANSPORT_OPTIONS, "data_folder_out": str(folder)}
    with override_settings(CELERY_BROKER_TRANSPORT_OPTIONS=options):
        yield folder


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_healthz_answers_ok_without_touching_the_database(client):
    # No `db` fixture: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Cache-Control"] == "no-store"


def test_readyz_answers_ready_when_database_broker_and_migrations_are_in_order(
    db, client, broker_folder
):
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (200, b"ready")
    assert client.head("/readyz/").status_code == 200


@override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["fjx.example.gov.cn"])
def test_a_balancer_probing_by_address_over_plain_http_is_neither_redirected_nor_refused(
    db, client, broker_folder
):
    for path, word in (("/healthz", b"ok"), ("/readyz", b"ready")):
        response = client.get(path, HTTP_HOST="10.0.0.7:8000")
        assert (response.status_code, response.content) == (200, word)
        assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert client.get("/posts/", HTTP_HOST="10.0.0.7:8000").status_code == 400  # the rest is


def test_readyz_is_unavailable_while_a_migration_is_not_applied(db, client, broker_folder, caplog):
    latest = MigrationRecorder.Migration.objects.filter(app="students").latest("id")
    latest.delete()  # as when new code starts before `migrate` has run
    response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"unavailable")
    assert f"students.{latest.name}" in caplog.text  # the operator reads why in the log


def test_readyz_is_unavailable_when_redis_does_not_answer_and_says_so_quickly(db, client, caplog):
    started = time.monotonic()
    with override_settings(REDIS_URL=f"redis://127.0.0.1:{_closed_port()}/0"):
        response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"unavailable")
    assert time.monotonic() - started < 3
    assert "broker unreachable" in caplog.text


def test_readyz_is_unavailable_when_the_embedded_broker_folder_cannot_be_written(
    db, client, tmp_path, caplog
):
    options = {"data_folder_out": str(tmp_path / "missing")}
    with override_settings(REDIS_URL="", CELERY_BROKER_TRANSPORT_OPTIONS=options):
        response = client.get("/readyz")
    assert (response.status_code, response.content) == (503, b"unavailable")
    assert "missing" not in response.content.decode() and "missing" in caplog.text


def test_probes_take_only_get_and_head(client):
    response = client.post("/healthz")
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"
