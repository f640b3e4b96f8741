"""Writes a developer checkout's local.env (git-ignored), read by settings.py under the real
environment: DEBUG on and keys of its own, so `make run` and the commands of DESIGN.md work in a
checkout while a deployment without the file keeps production's defaults.

Run by `make setup` and `make test` as a plain script (no Django, no settings yet):
    python fanjiaxiang/localenv.py local.env
An existing file is left alone: its keys encrypt the ID numbers in var/'s database.
"""

import secrets
import sys
from pathlib import Path

# A database seeded before local.env existed was encrypted with settings.py's old development
# fallbacks; keep them for it so its ID numbers stay readable.
LEGACY_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105
LEGACY_SALT = "dev-only-field-salt"


def contents(*, legacy: bool) -> str:
    key = LEGACY_KEY if legacy else secrets.token_urlsafe(50)
    salt = LEGACY_SALT if legacy else secrets.token_urlsafe(16)
    return (
        "# Written by `make setup` for this checkout only (git-ignored). Never deploy it.\n"
        "DEBUG=1\n"
        f"SECRET_KEY={key}\n"
        f"FIELD_ENCRYPTION_SALTS={salt}\n"
    )


def main(target: str) -> None:
    path = Path(target)
    if path.exists():
        return
    legacy = (path.parent / "var" / "portal.sqlite3").exists()
    path.write_text(contents(legacy=legacy), encoding="utf-8")
    path.chmod(0o600)
    print(f"wrote {path} (DEBUG=1 and this checkout's own keys)")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "local.env")
