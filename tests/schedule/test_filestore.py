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

copy_in = importlib.import_module("filestore.migrations.0002_copy_files_from_disk").copy_in


def test_the_portal_keeps_uploads_in_the_database():
    assert isinstance(default_storage, DatabaseStorage)


def test_a_plan_uploaded_on_one_host_downloads_on_another_with_an_empty_disk(
    client, cal, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "web-1"
    document = SimpleUploadedFile("越秀区实施方案.pdf", pdf_bytes(), content_type="application/pdf")
    plan = plan_submit(
        programme_year=cal.programme_year, region=cal.yuexiu, document=document, by=cal.yx_staff
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


def test_files_kept_on_disk_before_the_file_store_are_copied_in_once(db, settings, tmp_path):
    (tmp_path / "plans" / "2026" / "440104").mkdir(parents=True)
    (tmp_path / "plans" / "2026" / "440104" / "old.pdf").write_bytes(b"%PDF-1.4 old")
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "photo.png").write_bytes(b"\x89PNG old")
    settings.MEDIA_ROOT = tmp_path

    copy_in(apps, None)
    copy_in(apps, None)  # migrating again copies nothing twice

    assert dict(StoredFile.objects.values_list("name", "size")) == {
        "plans/2026/440104/old.pdf": 12,
        "cases/photo.png": 8,
    }
    with default_storage.open("plans/2026/440104/old.pdf") as handle:
        assert handle.read() == b"%PDF-1.4 old"
