"""Production settings pass Django's own deployment check with nothing to report."""

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


def _manage(*args, **env):
    # A production-like environment: not the test run's (which allows async-unsafe ORM calls
    # for the browser tests, something check --deploy rightly reports).
    base = {k: os.environ[k] for k in ("PATH", "HOME", "LANG", "DATABASE_URL") if k in os.environ}
    return subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_check_deploy_warns_when_no_proxy_is_trusted():
    result = _manage("check", "--deploy", **{**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"})
    assert "fanjiaxiang.W001" in result.stderr + result.stdout
