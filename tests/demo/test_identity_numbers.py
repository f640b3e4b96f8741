"""Issue 23: every ID number the demo makes passes the portal's own check (python-stdnum, which
knows when each birthplace code was in use), so the demo ledger exports and imports unchanged."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from accounts.validators import id_number_clean, id_number_digest, id_number_mask
from ledger.models import Entry
from positions.models import Region
from students.models import Student


def _quiet(*args):
    call_command(*args, stdout=open("/dev/null", "w"))  # noqa: SIM115


def _refused(rows) -> list[str]:
    """The stored numbers (decrypted on read) the registration check refuses, or whose digest
    and mask were not made from them."""
    refused = []
    for number, digest, masked in rows:
        try:
            id_number_clean(number)
        except (ValidationError, KeyError):  # stdnum 2.2: KeyError for a code it half knows
            refused.append(number)
            continue
        if digest != id_number_digest(number) or masked != id_number_mask(number):
            refused.append(number)
    return refused


def scale_id_numbers_refused() -> list[str]:
    """For tests/demo/test_seed_demo.py, which seeds the scale data anyway."""
    return _refused(_students(user__username__startswith="scale_"))


def _students(**filters):
    return Student.objects.filter(**filters).values_list(
        "id_number", "id_number_digest", "id_number_masked"
    )


def test_every_demo_id_number_passes_and_each_countys_ledger_imports_back_unchanged(
    db, tmp_path, capsys
):
    """One seeding for both checks: the demo takes most of this test's time."""
    _quiet("load_regions")
    _quiet("seed_demo")
    assert _students().count() > 40
    assert _refused(_students()) == []
    entries = Entry.objects.exclude(id_number_digest="").values_list(
        "id_number", "id_number_digest", "id_number_masked"
    )
    assert entries.count() > 80
    assert _refused(entries) == []

    counties = Region.objects.filter(ledger_entries__isnull=False).distinct().order_by("code")
    assert counties.count() == 4
    before = Entry.objects.count()
    for county in counties:
        target = tmp_path / f"{county.code}.xlsx"
        _quiet("export_ledger", "--county", county.code, "--output", str(target))
        capsys.readouterr()
        try:
            call_command("import_ledger", str(target), "--county", county.code)
        except SystemExit:
            pytest.fail(f"{county.name}: {capsys.readouterr().err}")
        assert " 0 were added" in capsys.readouterr().out
    assert Entry.objects.count() == before


@pytest.mark.parametrize(
    ("county", "born", "birthplace"),
    [
        ("441403", 2003, "441421"),  # 梅县区 (2013-) was 梅县
        ("460400", 2003, "469003"),  # 儋州市 (2015-) was numbered under 省直辖县级行政单位
        ("441403", 2014, "441403"),
        ("130171", 2003, "130100"),  # a development zone stdnum does not know: its city
    ],
)
def test_a_demo_person_born_before_their_countys_code_carries_the_code_then_in_use(
    county, born, birthplace
):
    from demo.students import birthplace_code

    assert birthplace_code(county, born) == birthplace
