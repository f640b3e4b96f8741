"""`manage.py` in a process of its own, with an environment the test chooses: what settings do
at start is what an operator sees, and the test run's own settings cannot leak in."""

import os
import subprocess
import sys

from django.conf import settings

PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7Kq9vR2mZp4Lw8Ns3Td6Yf1Hb5Jc0Ge-Ua/Xo+Vi_Qr!Sk@Pl#Mn$Wd%Ez^Ay&Bt*",
    "FIELD_ENCRYPTION_SALTS": "prod-salt-2026",
    "ALLOWED_HOSTS": "fjx.example.gov.cn",
    "TRUSTED_PROXY_COUNT": "1",
}


def manage(*args: str, timeout: float = 120, **env: str) -> subprocess.CompletedProcess:
    # A production-like environment: not the test run's (which allows async-unsafe ORM calls
    # for the browser tests, something check --deploy rightly reports).
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "DATABASE_URL") if k in os.environ}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
