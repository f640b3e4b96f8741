from django.core.management.base import BaseCommand, CommandError

from accounts.audit import Action, audit_record
from ledger import excel
from ledger.models import Entry
from positions.models import Region


class Command(BaseCommand):
    help = (
        "Export the contact ledger (one county, or every county) to an Excel file in the import's "
        "format: import_ledger reads it back as is. ID numbers and phones are written in full."
    )

    def add_arguments(self, parser):
        parser.add_argument("--county", help="GB/T 2260 code of one county (default: all)")
        parser.add_argument("--output", required=True, help="FILE.xlsx")

    def handle(self, *args, **options):
        entries = Entry.objects.all()
        county = None
        if options["county"]:
            county = Region.objects.filter(code=options["county"], level="county").first()
            if county is None:
                raise CommandError(f"no county with code {options['county']}")
            entries = entries.filter(county=county)
        count = excel.write_ledger(entries, options["output"])
        audit_record(
            Action.EXPORT,
            actor=None,
            region=county,
            data={"export": "联系台账", "format": "xlsx", "rows": count, "command": True},
        )
        self.stdout.write(f"{count} entries written to {options['output']}")
