"""Programme years made before the calendar get the template's milestones."""

from django.db import migrations


def add_milestones(apps, schema_editor):
    from schedule.services import calendar_template

    ProgrammeYear = apps.get_model("schedule", "ProgrammeYear")
    Milestone = apps.get_model("schedule", "Milestone")
    for programme_year in ProgrammeYear.objects.all():
        seasons = {s.kind: s for s in programme_year.seasons.all()}
        Milestone.objects.bulk_create(
            [
                Milestone(
                    programme_year=programme_year,
                    code=code,
                    season=seasons.get(kind) if kind else None,
                    # The practice milestone ends with the season as it was set.
                    due=seasons[kind].practice_ends if code.endswith("_practice") else due,
                )
                for code, kind, due in calendar_template(programme_year.year)
            ],
            ignore_conflicts=True,
        )


class Migration(migrations.Migration):
    dependencies = [("schedule", "0002_calendar")]

    operations = [migrations.RunPython(add_milestones, migrations.RunPython.noop)]
