"""Loading the national register of universities from students/data/universities.csv.

A reload must keep what provincial staff did by hand: an institution they added is never
deleted (the file cannot say it is gone), and a name they changed is never overwritten. The
register's own name is kept beside the portal's (`register_name`): where the two differ, the
province renamed it. Rows already in the portal (typed in before the register existed) are
matched by 学校标识码, or by exact name where they have no code, so nothing is duplicated.
"""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from positions.models import Region
from students.models import University, pinyin_initials

UNIVERSITIES_CSV = Path(__file__).resolve().parent / "data" / "universities.csv"
REGISTER_FIELDS = ("city", "authority", "level", "remarks")
SAVED_FIELDS = ("code", "name", "province", *REGISTER_FIELDS, "source", "register_name", "initials")


@dataclass
class LoadResult:
    total: int = 0
    created: int = 0
    updated: int = 0
    kept: int = 0  # in the register and already as it says
    renamed_kept: int = 0  # a province's name kept over the register's
    added_by_province: int = 0  # in the portal, not in the register: left as they are
    conflicts: list[str] = field(default_factory=list)  # rows that could not be placed


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as source:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(source)]


def _apply(university: University, row: dict, province: Region, by_name: dict) -> bool:
    """Bring one matched row up to the register; True when anything changed."""
    before = tuple(getattr(university, f) for f in SAVED_FIELDS)
    renamed = bool(university.register_name) and university.name != university.register_name
    first_match = not university.register_name
    if not renamed and not first_match and university.name != row["name"]:
        # The register renamed it and the province did not: follow the register, unless the
        # new name is another row's.
        if row["name"] not in by_name:
            del by_name[university.name]
            university.name = row["name"]
            by_name[university.name] = university
    # On the first match the portal's name (typed by provincial staff) stays: if it differs
    # from the register's, it counts as their rename from now on.
    university.code = row["code"]
    university.province = province
    for name in REGISTER_FIELDS:
        setattr(university, name, row[name])
    university.source = University.Source.REGISTER
    university.register_name = row["name"]
    university.initials = pinyin_initials(university.name)
    return tuple(getattr(university, f) for f in SAVED_FIELDS) != before


@transaction.atomic
def universities_load(*, path: Path = UNIVERSITIES_CSV) -> LoadResult:
    """Create the register's missing institutions and update the others; safe to run again."""
    rows = _read(path)
    provinces = {r.code[:2]: r for r in Region.objects.filter(level=Region.Level.PROVINCE)}
    existing = list(University.objects.select_for_update().order_by("pk"))
    by_code = {u.code: u for u in existing if u.code}
    by_name = {u.name: u for u in existing}
    result, new, changed, matched = LoadResult(total=len(rows)), [], [], set()
    for row in rows:
        province = provinces.get(row["code"][2:4])
        university = by_code.get(row["code"])
        if university is None and by_name.get(row["name"]) and not by_name[row["name"]].code:
            university = by_name[row["name"]]
        if province is None:
            result.conflicts.append(
                f"{row['code']} {row['name']}：没有代码为 {row['code'][2:4]} 的省份"
            )
            continue
        if university is None and row["name"] in by_name:
            result.conflicts.append(f"{row['code']} {row['name']}：名称已被另一所学校使用")
            continue
        if university is None:
            university = University(
                code=row["code"],
                name=row["name"],
                province=province,
                source=University.Source.REGISTER,
                register_name=row["name"],
                initials=pinyin_initials(row["name"]),
                **{f: row[f] for f in REGISTER_FIELDS},
            )
            by_name[university.name] = university
            new.append(university)
            continue
        matched.add(university.pk)
        if _apply(university, row, province, by_name):
            changed.append(university)
        else:
            result.kept += 1
        result.renamed_kept += university.name != university.register_name
    University.objects.bulk_create(new, batch_size=1000)
    University.objects.bulk_update(changed, SAVED_FIELDS, batch_size=1000)
    _fill_initials([u for u in existing if u.pk not in matched])
    result.created, result.updated = len(new), len(changed)
    result.added_by_province = len(existing) - len(matched)
    return result


def _fill_initials(universities: list[University]) -> None:
    """Rows outside the register made before the initials existed get them (no rows are
    changed otherwise)."""
    stale = [u for u in universities if u.initials != pinyin_initials(u.name)]
    for university in stale:
        university.initials = pinyin_initials(university.name)
    University.objects.bulk_update(stale, ["initials"], batch_size=1000)
