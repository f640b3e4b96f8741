"""Every existing programme year gets the three quarterly progress milestones (seed 002: the
end of June, September and December of the year), as new years do from the template."""

import datetime

from django.db import migrations

QUARTERS = (("progress_q2", 6, 30), ("progress_q3", 9, 30), ("progress_q4", 12, 31))


def add_progress_milestones(apps, schema_editor):
    ProgrammeYear = apps.get_model("schedule", "ProgrammeYear")
    Milestone = apps.get_model("schedule", "Milestone")
    for programme_year in ProgrammeYear.objects.all():
        have = set(programme_year.milestones.values_list("code", flat=True))
        Milestone.objects.bulk_create(
            [
                Milestone(
                    programme_year=programme_year,
                    code=code,
                    due=datetime.date(programme_year.year, month, dom),
                )
                for code, month, dom in QUARTERS
                if code not in have
            ]
        )


def remove_progress_milestones(apps, schema_editor):
    Milestone = apps.get_model("schedule", "Milestone")
    Milestone.objects.filter(code__in=[code for code, _m, _d in QUARTERS]).delete()


class Migration(migrations.Migration):
    dependencies = [("schedule", "0010_custom_milestones_university_units_progress_reports")]

    operations = [migrations.RunPython(add_progress_milestones, remove_progress_milestones)]
