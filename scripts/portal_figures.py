"""What the portal shows from one database, as JSON: the figures a restore must keep.

    DATABASE_URL=postgres://fjx@db:5432/fanjiaxiang .venv/bin/python scripts/portal_figures.py

Counts (students, placements, certificates and the rest, and the ID numbers the keys in the
environment decrypt), every stored file's size and SHA-256
read back through the portal's own storage, and certificates checked on the public /verify/
page (the first --verify codes in code order, so two databases check the same ones).
`scripts/backup_restore_check.sh` runs it on a database and on its restored copy and compares.
"""

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")

import django  # noqa: E402

django.setup()

from django.core.files.storage import default_storage  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from accounts.models import AuditEvent, User  # noqa: E402
from dashboards.models import CountySeasonStats  # noqa: E402
from filestore.models import StoredFile  # noqa: E402
from ledger.models import Entry  # noqa: E402
from positions.models import Post  # noqa: E402
from students.models import Application, Placement, Student  # noqa: E402

GENUINE = "证书真实有效"


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "students": Student.objects.count(),
        "posts": Post.objects.count(),
        "applications": Application.objects.count(),
        "placements": Placement.objects.count(),
        "certificates": Placement.objects.filter(certificate_code__isnull=False).count(),
        "ledger_entries": Entry.objects.count(),
        "audit_events": AuditEvent.objects.count(),
        "stored_files": StoredFile.objects.count(),
        "dashboard_rows": CountySeasonStats.objects.count(),
    }


def id_numbers() -> dict[str, int]:
    """Encrypted ID numbers, and how many this process's SECRET_KEY and FIELD_ENCRYPTION_SALTS
    read: a restore without the keys still counts students but cannot read their ID numbers
    (the encrypted field then hands back the ciphertext)."""
    kept = Student.objects.filter(id_number__isnull=False)
    readable = sum(
        1
        for number, masked in kept.values_list("id_number", "id_number_masked")
        if len(number) == 18 and number[-4:] == masked[-4:]
    )
    return {"id_numbers": kept.count(), "id_numbers_readable": readable}


def files() -> dict[str, str]:
    found = {}
    for name in StoredFile.objects.order_by("name").values_list("name", flat=True):
        with default_storage.open(name) as f:
            data = f.read()
        found[name] = f"{len(data)} {hashlib.sha256(data).hexdigest()}"
    return found


def verified(limit: int) -> dict[str, bool]:
    codes = Placement.objects.filter(certificate_code__isnull=False).order_by("certificate_code")
    client = Client()
    results = {}
    # Any host and plain HTTP: this process asks itself, not through the deployment's proxy;
    # and as often as it has codes to check (a visitor's address is held to fewer a minute).
    with override_settings(
        ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False, CERTIFICATE_CHECKS_PER_MINUTE=limit
    ):
        for code in codes.values_list("certificate_code", flat=True)[:limit]:
            page = client.get("/verify/", {"code": code})
            results[code] = page.status_code == 200 and GENUINE in page.content.decode()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verify", type=int, default=100, metavar="N",
                        help="certificates to check on /verify/ (default 100)")  # fmt: skip
    args = parser.parse_args()
    figures = {
        "counts": counts() | id_numbers(),
        "files": files(),
        "verified": verified(args.verify),
    }
    print(json.dumps(figures, ensure_ascii=False, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
