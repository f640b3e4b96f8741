"""Uploads kept on disk before the file store (MEDIA_ROOT) are copied in under the same names,
so plans, photos and imports already referenced by rows still open. The files on disk stay."""

from pathlib import Path

from django.conf import settings
from django.db import migrations


def copy_in(apps, schema_editor):
    StoredFile = apps.get_model("filestore", "StoredFile")
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and not StoredFile.objects.filter(name=name).exists():
            data = path.read_bytes()
            StoredFile.objects.create(name=name, content=data, size=len(data))


class Migration(migrations.Migration):
    dependencies = [("filestore", "0001_initial")]

    operations = [migrations.RunPython(copy_in, migrations.RunPython.noop)]
