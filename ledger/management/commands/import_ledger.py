import sys

from django.core.management.base import BaseCommand, CommandError

from ledger import excel
from positions.models import Region


class Command(BaseCommand):
    help = (
        "Import a ledger Excel file (the template's or export_ledger's format). All or nothing: "
        "a file with any bad row writes nothing, prints each bad row's number and reason and "
        "exits with status 1. People already in the ledger (same ID number, or else the same "
        "phone) are updated, never added twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="FILE.xlsx")
        parser.add_argument(
            "--county", help="GB/T 2260 code: every row goes to this county (default: each row's)"
        )
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, **options):
        county = None
        if options["county"]:
            county = Region.objects.filter(code=options["county"], level="county").first()
            if county is None:
                raise CommandError(f"no county with code {options['county']}")
        try:
            open(options["file"], "rb").close()
        except OSError as error:
            raise CommandError(f"cannot open {options['file']}: {error.strerror}") from error
        if options["dry_run"]:
            checked = excel.check_file(options["file"], county=county)
        else:
            checked = excel.import_file(options["file"], county=county)
        if not checked.ok:
            for row_error in checked.errors:
                self.stderr.write(str(row_error))
            if checked.error_count > len(checked.errors):
                self.stderr.write(f"… {checked.error_count - len(checked.errors)} more errors")
            self.stderr.write(f"{checked.error_count} errors: nothing was imported")
            sys.exit(1)
        verb = "would be" if options["dry_run"] else "were"
        self.stdout.write(
            f"{len(checked.rows)} rows valid: {checked.created} {verb} added, "
            f"{checked.updated} matched people already in the ledger"
            + ("" if options["dry_run"] else f" ({checked.changed} changed)")
        )
