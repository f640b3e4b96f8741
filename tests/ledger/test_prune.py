"""Uploaded ledger files hold personal data: none outlives its import (ledger.tasks.prune_imports)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Role
from filestore.models import StoredFile
from ledger import imports
from ledger.models import ImportJob
from tests.factories import staff
from tests.ledger.xlsx_files import person, xlsx_bytes


def _job(county, status, *, age_hours=0):
    job = ImportJob.objects.create(
        county=county,
        file=ContentFile(xlsx_bytes([person(1)]), name="a.xlsx"),
        original_name="台账.xlsx",
        status=status,
    )
    ImportJob.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=age_hours)
    )
    return ImportJob.objects.get(pk=job.pk)


def test_finished_imports_lose_their_files_and_stale_ones_expire(gd, settings):
    staff(Role.COUNTY, region=gd.yuexiu)
    done = _job(gd.yuexiu, ImportJob.Status.DONE)
    fresh = _job(gd.yuexiu, ImportJob.Status.READY, age_hours=2)
    stale = _job(gd.yuexiu, ImportJob.Status.READY, age_hours=30)
    stored = {job.pk: job.file.name for job in (done, fresh, stale)}

    assert imports.prune() == 2
    assert imports.prune() == 0  # a second run finds nothing to do

    done.refresh_from_db(), fresh.refresh_from_db(), stale.refresh_from_db()
    assert not done.file and not stale.file
    assert fresh.file and fresh.status == ImportJob.Status.READY
    assert stale.status == ImportJob.Status.FAILED
    assert "超过一天未完成" in stale.errors[0]["message"]
    assert not StoredFile.objects.filter(name__in=[stored[done.pk], stored[stale.pk]]).exists()
    assert StoredFile.objects.filter(name=stored[fresh.pk]).exists()
