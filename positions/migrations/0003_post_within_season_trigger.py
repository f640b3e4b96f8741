"""A post's dates must lie inside its season's practice window: see positions/triggers.py."""

from django.db import migrations

from positions import triggers


def install(apps, schema_editor):
    triggers.install(schema_editor.connection)


def remove(apps, schema_editor):
    triggers.remove(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("positions", "0002_initial"),
        ("schedule", "0001_initial"),
    ]

    operations = [migrations.RunPython(install, remove)]
