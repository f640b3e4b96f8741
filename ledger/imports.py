"""An import in the browser: upload → check (a preview with every bad row) → confirm → write.

Small files are checked and written during the request; bigger ones by Celery, with the page
polling the job's progress. Either way the ledger is written only by `job_apply`, in one
transaction together with the job's "done", so a redelivered task cannot write twice.
"""

import datetime
import logging
import os

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanjiaxiang import outbox
from fanjiaxiang.uploads import safe_upload_name, validate_upload
from ledger import excel, tasks
from ledger.models import ImportJob

logger = logging.getLogger(__name__)
# Files up to this size (about 2,500 rows) are handled within the request.
INLINE_LIMIT = 200 * 1024
S = ImportJob.Status


def _inline(job: ImportJob) -> bool:
    return job.file.size <= INLINE_LIMIT


def job_create(*, county, upload, actor) -> ImportJob:
    try:
        validate_upload(upload, kind="spreadsheet")
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    original = os.path.basename(upload.name)[:200]
    upload.name = safe_upload_name(original)
    with transaction.atomic():  # the job and its queued check, both or neither
        job = ImportJob.objects.create(
            county=county, file=upload, original_name=original, created_by=actor
        )
        if not _inline(job):
            outbox.enqueue(tasks.import_check, job.pk)
    if _inline(job):
        job_check(job.pk)
    return job


def _open(job: ImportJob) -> File:
    handle = job.file.open("rb")
    return File(handle, name=os.path.basename(job.file.name))


def _progress(job_id: int):
    def report(done: int, total: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=done, total=max(total, done))

    return report


def job_check(job_id: int) -> None:
    job = ImportJob.objects.select_related("county").get(pk=job_id)
    if job.status != S.CHECKING:
        return
    try:
        with _open(job) as source:
            checked = excel.check_file(source, county=job.county, progress=_progress(job.pk))
    except Exception:  # recorded on the job for the user, logged for the administrator
        logger.exception("ledger import %s could not be checked", job.pk)
        _fail(job.pk, S.CHECKING)
        return
    ImportJob.objects.filter(pk=job.pk, status=S.CHECKING).update(
        status=S.READY if checked.ok else S.INVALID,
        total=len(checked.rows) if checked.ok else checked.total,
        processed=len(checked.rows) if checked.ok else checked.total,
        created=checked.created,
        updated=checked.updated,
        errors=[e.as_dict() for e in checked.errors],
        preview=checked.preview(),
        finished_at=None if checked.ok else timezone.now(),
    )


def job_confirm(*, job: ImportJob) -> None:
    with transaction.atomic():  # the claim and its queued write, both or neither
        claimed = ImportJob.objects.filter(pk=job.pk, status=S.READY).update(status=S.APPLYING)
        if not claimed:
            raise ValidationError(_("这次导入已确认过或未通过检查，不能再次确认。"))
        if not _inline(job):
            outbox.enqueue(tasks.import_apply, job.pk)
    if _inline(job):
        job_apply(job.pk)


def job_apply(job_id: int) -> None:
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().select_related("county").get(pk=job_id)
            if job.status != S.APPLYING:
                return  # done already (a redelivery), or never confirmed
            with _open(job) as source:
                checked = excel.import_file(source, county=job.county, actor=job.created_by)
            job.finished_at = timezone.now()
            if checked.ok:
                job.status, job.created, job.updated = S.DONE, checked.created, checked.updated
                job.processed = job.total = len(checked.rows)
            else:  # the ledger changed since the preview in a way that makes rows wrong
                job.status = S.INVALID
                job.errors = [e.as_dict() for e in checked.errors]
            job.save()
    except Exception:  # rolled back; recorded on the job for the user, logged for the admin
        logger.exception("ledger import %s could not be written", job_id)
        _fail(job_id, S.APPLYING)


def _fail(job_id: int, status: str) -> None:
    ImportJob.objects.filter(pk=job_id, status=status).update(
        status=S.FAILED,
        finished_at=timezone.now(),
        errors=[
            {
                "row": 0,
                "column": "",
                "message": _("系统出错，未导入任何数据，请重新上传或联系管理员。"),
            }
        ],
    )


KEEP_UNCONFIRMED = datetime.timedelta(days=1)


def prune(now=None) -> int:
    """Delete the files of finished imports, and expire (deleting their files) imports left
    unconfirmed for a day. Returns the number of files deleted."""
    now = now or timezone.now()
    # Checking, waiting or (a lost task) writing for more than a day: expired, nothing written.
    ImportJob.objects.filter(
        status__in=[S.CHECKING, S.READY, S.APPLYING], created_at__lt=now - KEEP_UNCONFIRMED
    ).update(
        status=S.FAILED,
        finished_at=now,
        errors=[{"row": 0, "column": "", "message": _("超过一天未完成，已作废，请重新上传。")}],
    )
    deleted = 0
    for job in ImportJob.objects.filter(status__in=[S.DONE, S.INVALID, S.FAILED]).exclude(file=""):
        job.file.delete(save=False)
        ImportJob.objects.filter(pk=job.pk).update(file="")
        deleted += 1
    return deleted
