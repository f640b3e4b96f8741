"""Uploads live in the database: a host that shares only the database (a second web server, a
Celery worker elsewhere) reads them, a refused or rolled-back upload leaves nothing behind, and
files uploaded before the file store existed are copied in."""

import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from filestore.models import StoredFile
from filestore.storage import DatabaseStorage
from schedule.services import plan_submit
from tests.schedule.test_plans import pdf_bytes

_moving = importlib.import_module("filestore.migrations.0002_copy_files_from_disk")
copy_in, write_out = _moving.copy_in, _moving.write_out


def test_the_portal_keeps_uploads_in_the_database():
    assert isinstance(default_storage, DatabaseStorage)


def test_a_plan_uploaded_on_one_host_downloads_on_another_with_an_empty_disk(
    client, cal, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "web-1"
    document = SimpleUploadedFile("越秀区实施方案.pdf", pdf_bytes(), content_type="application/pdf")
    plan = plan_submit(
        programme_year=cal.programme_year, region=cal.yuexiu, document=document, actor=cal.yx_staff
    )
    assert not (tmp_path / "web-1").exists()  # nothing written to this host's disk

    settings.MEDIA_ROOT = tmp_path / "web-2"  # another host: its own, empty disk
    client.force_login(cal.gz_staff)
    response = client.get(reverse("schedule:plan_download", args=[plan.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_bytes()
    assert StoredFile.objects.get(name=plan.document.name).size == len(pdf_bytes())


@pytest.mark.django_db(transaction=True)
def test_an_upload_in_a_transaction_that_rolls_back_leaves_no_file():
    with pytest.raises(RuntimeError), transaction.atomic():
        name = default_storage.save("plans/test/半途.pdf", ContentFile(b"%PDF-1.4 half"))
        assert default_storage.exists(name)
        raise RuntimeError("the rest of the change failed")
    assert not StoredFile.objects.exists()


def test_the_storage_reads_back_what_it_saved_and_never_overwrites(db):
    first = default_storage.save("cases/2030/a.png", ContentFile(b"one"))
    second = default_storage.save("cases/2030/a.png", ContentFile(b"two"))
    assert first == "cases/2030/a.png" and second != first  # a new name, not an overwrite
    with default_storage.open(first) as handle:
        assert handle.read() == b"one"
    assert default_storage.size(second) == 3
    assert default_storage.listdir("cases") == (["2030"], [])
    assert default_storage.url(first) == ""  # files are served only through scoped views
    with pytest.raises(ValueError):
        default_storage.open(first, "wb")
    default_storage.delete(first)
    assert not default_storage.exists(first)
    with pytest.raises(FileNotFoundError):
        default_storage.open(first)


def test_a_name_taken_between_the_check_and_the_save_gets_another_name(db, monkeypatch):
    """Two uploads of one name at once: the second is saved under another name, not refused,
    and the caller's transaction goes on."""
    default_storage.save("cases/2030/same.png", ContentFile(b"first"))
    real_exists, calls = DatabaseStorage.exists, []

    def exists(self, name):  # the second upload's check ran before the first one's save
        calls.append(name)
        return False if len(calls) == 1 else real_exists(self, name)

    monkeypatch.setattr(DatabaseStorage, "exists", exists)
    with transaction.atomic():
        second = default_storage.save("cases/2030/same.png", ContentFile(b"second"))
        assert StoredFile.objects.count() == 2  # the transaction is still usable
    assert second != "cases/2030/same.png" and len(calls) >= 2  # it collided, then renamed
    with (
        default_storage.open("cases/2030/same.png") as first,
        default_storage.open(second) as other,
    ):
        assert (first.read(), other.read()) == (b"first", b"second")


def _disk(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_files_kept_on_disk_before_the_file_store_move_in_once_and_back_out(
    db, settings, tmp_path, django_capture_on_commit_callbacks
):
    (tmp_path / "ledger_imports" / "2026" / "07").mkdir(parents=True)
    (tmp_path / "ledger_imports" / "2026" / "07" / "台账.xlsx").write_bytes(b"PK people")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "photo.png").write_bytes(b"\x89PNG old")
    before = _disk(tmp_path)
    settings.MEDIA_ROOT = tmp_path

    with django_capture_on_commit_callbacks(execute=True):
        copy_in(apps, None)
    copy_in(apps, None)  # migrating again copies nothing twice

    assert dict(StoredFile.objects.values_list("name", "size")) == {
        "ledger_imports/2026/07/台账.xlsx": 9,
        "cases/photo.png": 8,
    }
    with default_storage.open("ledger_imports/2026/07/台账.xlsx") as handle:
        assert handle.read() == b"PK people"
    # Committed: no copy stays on disk (an import's people must not outlive it there).
    assert _disk(tmp_path) == {}

    write_out(apps, None)  # migrating back
    assert _disk(tmp_path) == before
