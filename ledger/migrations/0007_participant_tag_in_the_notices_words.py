"""A participant's ledger entry was tagged 返家乡学员; the notice calls them 参与实践的学生, and so
does the portal now. Renamed in place, once per entry; going back restores the old word."""

from django.db import migrations

OLD, NEW = "返家乡学员", "参与实践的学生"
BATCH = 1000


def _rename(Entry, before: str, after: str) -> None:
    changed = []
    for entry in Entry.objects.filter(tags__contains=before).only("pk", "tags").iterator():
        tags = [after if tag == before else tag for tag in entry.tags.split("、")]
        kept = list(dict.fromkeys(tags))  # an entry already holding both keeps one
        if kept != entry.tags.split("、"):
            entry.tags = "、".join(kept)[:200]
            changed.append(entry)
    Entry.objects.bulk_update(changed, ["tags"], batch_size=BATCH)


def forwards(apps, schema_editor):
    _rename(apps.get_model("ledger", "Entry"), OLD, NEW)


def backwards(apps, schema_editor):
    _rename(apps.get_model("ledger", "Entry"), NEW, OLD)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0006_words_users_know")]

    operations = [migrations.RunPython(forwards, backwards)]
