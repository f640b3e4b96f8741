"""Big ledger imports go through Celery: a real worker checks the file and, once a person
confirmed, writes it; a task delivered again writes nothing more."""

import io
import threading

import pytest
from celery.signals import task_postrun
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from accounts.validators import id_number_make
from ledger import excel, imports, tasks
from ledger.models import Entry, ImportJob
from tests.factories import region, staff


def _upload(count: int) -> SimpleUploadedFile:
    """A template-shaped file of `count` valid people of 越秀区."""
    workbook = Workbook()
    sheet = workbook.active
    header = excel.headers()
    sheet.append(header)
    for n in range(count):
        cells = {
            "姓名": f"导入{n}",
            "身份证号": id_number_make(n),
            "手机号": f"1380013{n:04d}",
        }
        sheet.append([cells.get(h) for h in header])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile("大批导入.xlsx", out.getvalue(), content_type=excel.XLSX_TYPE)


@pytest.fixture
def county_job(db, monkeypatch):
    """Files of any size go to Celery."""
    monkeypatch.setattr(imports, "INLINE_LIMIT", 0)
    county = region("440104")
    return lambda count: imports.job_create(
        county=county, upload=_upload(count), actor=staff("county", region=county)
    )


@pytest.fixture
def finished():
    """Wait until the worker has finished a task of that name."""
    done, changed = [], threading.Condition()

    def record(sender=None, **kwargs):
        with changed:
            done.append(sender.name)
            changed.notify_all()

    def wait(name: str) -> None:
        with changed:
            assert changed.wait_for(lambda: name in done, timeout=30), f"{name} never finished"
            done.remove(name)

    task_postrun.connect(record, weak=False)
    yield wait
    task_postrun.disconnect(record)


def _written() -> list[tuple]:
    return list(Entry.objects.order_by("pk").values_list("pk", "name", "updated_at"))


@pytest.mark.celery
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_checks_then_writes_a_big_import_once(county_job, worker, finished):
    job = county_job(12)
    finished(tasks.import_check.name)
    job.refresh_from_db()
    assert (job.status, job.total, job.created) == ("ready", 12, 12)
    assert len(job.preview) == 12 and not Entry.objects.exists()

    imports.job_confirm(job=job)
    finished(tasks.import_apply.name)
    job.refresh_from_db()
    assert (job.status, job.created, job.updated) == ("done", 12, 0)
    written = _written()
    assert len(written) == 12

    tasks.import_apply.apply_async(args=[job.pk], ignore_result=False).get(timeout=30)
    assert _written() == written


def test_running_the_write_task_twice_writes_once(county_job):
    job = county_job(3)
    tasks.import_check(job.pk)  # the callers enqueue on commit; these tests run them by hand
    tasks.import_check(job.pk)
    imports.job_confirm(job=job)

    tasks.import_apply(job.pk)
    written = _written()
    tasks.import_apply(job.pk)

    assert len(written) == 3 and _written() == written
    assert ImportJob.objects.get().status == "done"


@pytest.mark.parametrize("status", ["checking", "ready", "invalid", "done", "failed"])
def test_a_job_not_claimed_for_writing_is_left_alone(county_job, status):
    job = county_job(3)
    tasks.import_check(job.pk)
    ImportJob.objects.filter(pk=job.pk).update(status=status)

    imports.job_apply(job.pk)

    assert ImportJob.objects.get().status == status
    assert not Entry.objects.exists()
