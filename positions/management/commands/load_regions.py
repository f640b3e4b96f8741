from django.core.management.base import BaseCommand

from positions.regions import regions_load


class Command(BaseCommand):
    help = "Load the GB/T 2260 provinces, cities and county-level practice units (idempotent)."

    def handle(self, *args, **options):
        result = regions_load()
        self.stdout.write(
            f"regions: {result['total']} in file, {result['created']} created, {result['updated']} updated"
        )
