"""Uploads kept on disk before the file store (MEDIA_ROOT) move in under the same names, so
plans, photos and imports already referenced by rows still open. Once the migration has
committed, the disk copies are deleted: ledger imports hold ID numbers and phones, and none may
outlive its import. Migrating back writes every stored file out to MEDIA_ROOT again."""

from pathlib import Path

from django.conf import settings
from django.db import migrations, transaction


def copy_in(apps, schema_editor):
    StoredFile = apps.get_model("filestore", "StoredFile")
    root = Path(settings.MEDIA_ROOT)
    if not root.is_dir():
        return
    moved = []
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_file() and len(name) <= 255:
            if not StoredFile.objects.filter(name=name).exists():
                data = path.read_bytes()
                StoredFile.objects.create(name=name, content=data, size=len(data))
            moved.append(path)

    def delete_disk_copies():
        for path in moved:
            path.unlink(missing_ok=True)

    transaction.on_commit(delete_disk_copies)


def write_out(apps, schema_editor):
    StoredFile = apps.get_model("filestore", "StoredFile")
    root = Path(settings.MEDIA_ROOT).resolve()
    for name in StoredFile.objects.values_list("name", flat=True).iterator():
        target = (root / name).resolve()
        if not target.is_relative_to(root):
            raise ValueError(f"stored name outside MEDIA_ROOT: {name!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        content = StoredFile.objects.values_list("content", flat=True).get(name=name)
        target.write_bytes(bytes(content))


class Migration(migrations.Migration):
    dependencies = [("filestore", "0001_initial")]

    operations = [migrations.RunPython(copy_in, write_out)]
