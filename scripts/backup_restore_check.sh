#!/usr/bin/env bash
# Back up a portal database and prove the backup restores (docs/operations.md "Backups and restore").
#
#   scripts/backup_restore_check.sh SOURCE_DATABASE_URL COPY_DATABASE_URL [DUMP_FILE]
#
# 1. pg_dump --format=custom of SOURCE (kept as DUMP_FILE when given: that is the backup);
# 2. creates the database of COPY_DATABASE_URL (it must not exist yet) and pg_restore's into it;
# 3. runs scripts/portal_figures.py on both and compares: counts, every stored file's size and
#    SHA-256, certificates checked on /verify/, ID numbers decrypted with the SECRET_KEY and
#    FIELD_ENCRYPTION_SALTS of the environment. Exits 1 when anything differs or fails.
# Everything the portal keeps is in PostgreSQL, uploaded files included (filestore/); Redis
# holds only queues and caches, so nothing else needs backing up.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -lt 2 ]; then
  sed -n '2,12p' "$0" >&2
  exit 2
fi
source_url=$1
copy_url=$2
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dump=${3:-$work/portal.dump}

started=$(date +%s%N)
pg_dump --format=custom --no-owner --file="$dump" "$source_url"
dumped=$(date +%s%N)

copy_name=${copy_url##*/}
copy_name=${copy_name%%\?*}
psql --quiet --no-psqlrc --set=ON_ERROR_STOP=1 "${copy_url%/*}/postgres" \
  --command="CREATE DATABASE \"$copy_name\""
pg_restore --no-owner --exit-on-error --dbname="$copy_url" "$dump"
restored=$(date +%s%N)

DATABASE_URL=$source_url "$python" scripts/portal_figures.py > "$work/source.json"
DATABASE_URL=$copy_url "$python" scripts/portal_figures.py > "$work/copy.json"

echo "dump: $(stat -c %s "$dump") bytes in $(((dumped - started) / 1000000)) ms;" \
  "restore: $(((restored - dumped) / 1000000)) ms"
"$python" - "$work/source.json" "$work/copy.json" <<'PY'
import json, sys

source, copy = (json.load(open(path, encoding="utf-8")) for path in sys.argv[1:])
print("counts:", ", ".join(f"{k} {v}" for k, v in source["counts"].items()))
print(f"files: {len(source['files'])}, certificates verified: "
      f"{sum(source['verified'].values())} of {len(source['verified'])} in the source, "
      f"{sum(copy['verified'].values())} of {len(copy['verified'])} in the copy")
if source != copy:
    for part in source:
        if source[part] != copy[part]:
            print(f"DIFFERENT after restore: {part}", file=sys.stderr)
    sys.exit(1)
if not all(copy["verified"].values()):
    print("a certificate does not verify from the copy", file=sys.stderr)
    sys.exit(1)
if copy["counts"]["id_numbers_readable"] != copy["counts"]["id_numbers"]:
    print("ID numbers do not decrypt: restore with the SECRET_KEY and FIELD_ENCRYPTION_SALTS "
          "the portal ran with", file=sys.stderr)
    sys.exit(1)
print("restore OK: the copy shows the same figures, files and certificates")
PY
