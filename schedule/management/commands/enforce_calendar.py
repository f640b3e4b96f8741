import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from positions.models import Region
from schedule.enforcement import enforce_calendar

LABELS = {
    "done": "units newly done",
    "reminders": "reminders sent",
    "overdue": "units flagged overdue",
    "applications_closed": "applications closed at a selection deadline",
    "quota_warnings": "counties warned about their quota",
    "quotas_finalised": "county quotas finalised",
}


class Command(BaseCommand):
    help = (
        "Carry out the programme calendar for a day (default: today, Asia/Shanghai): what the "
        "daily beat task runs. Running it twice for the same day changes nothing the second time, "
        "and the times it records follow --date, so a past day replayed writes what the beat did."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="YYYY-MM-DD")
        parser.add_argument("--province", help="GB/T 2260 code of one province (default: all)")

    def handle(self, *args, **options):
        try:
            day = (
                datetime.date.fromisoformat(options["date"])
                if options["date"]
                else timezone.localdate()
            )
        except ValueError as error:
            raise CommandError(f"--date must be YYYY-MM-DD: {options['date']}") from error
        province = None
        if options["province"]:
            province = Region.objects.filter(code=options["province"], level="province").first()
            if province is None:
                raise CommandError(f"no province with code {options['province']}")
        counts = enforce_calendar(day=day, province=province)
        self.stdout.write(f"calendar enforced for {day.isoformat()}")
        for key, label in LABELS.items():
            self.stdout.write(f"  {label}: {counts.get(key, 0)}")
