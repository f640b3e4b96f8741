"""Loading the GB/T 2260 regions from positions/data/regions.csv (see build_regions.py there)."""

import csv
from pathlib import Path

from django.db import transaction

from positions.models import Region

REGIONS_CSV = Path(__file__).resolve().parent / "data" / "regions.csv"


@transaction.atomic
def regions_load(*, path: Path = REGIONS_CSV) -> dict[str, int]:
    """Create missing regions and rename changed ones; safe to run any number of times."""
    with path.open(encoding="utf-8", newline="") as source:
        rows = list(csv.DictReader(source))
    existing = {r.code: r for r in Region.objects.all()}
    created = updated = 0
    for level in (Region.Level.PROVINCE, Region.Level.CITY, Region.Level.COUNTY):
        new, changed = [], []
        ids = {code: region.pk for code, region in existing.items()}
        for row in (r for r in rows if r["level"] == level):
            parent_id = ids.get(row["parent"]) if row["parent"] else None
            region = existing.get(row["code"])
            if region is None:
                new.append(
                    Region(code=row["code"], name=row["name"], level=level, parent_id=parent_id)
                )
            elif (region.name, region.parent_id) != (row["name"], parent_id):
                region.name, region.parent_id = row["name"], parent_id
                changed.append(region)
        Region.objects.bulk_create(new, batch_size=1000)
        Region.objects.bulk_update(changed, ["name", "parent"], batch_size=1000)
        created, updated = created + len(new), updated + len(changed)
        existing.update({r.code: r for r in Region.objects.filter(level=level)})
    return {"created": created, "updated": updated, "total": len(rows)}
