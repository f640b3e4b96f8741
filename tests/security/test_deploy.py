"""Production settings pass Django's own deployment check with nothing to report."""

import subprocess
import sys

from django.conf import settings

from tests.process import PRODUCTION, manage


def test_check_deploy_reports_nothing_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = manage("check", **{**PRODUCTION, "SECRET_KEY": ""})
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_check_deploy_warns_when_no_proxy_is_trusted():
    result = manage("check", "--deploy", **{**PRODUCTION, "TRUSTED_PROXY_COUNT": "0"})
    assert "fanjiaxiang.W001" in result.stderr + result.stdout


def test_check_deploy_warns_when_redis_is_there_but_the_cache_is_per_process():
    shared = {**PRODUCTION, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = manage("check", "--deploy", **shared)
    assert "positions.W001" in result.stderr + result.stdout
    result = manage("check", "--deploy", **shared, CACHE_URL="redis://127.0.0.1:6379/1")
    assert "positions.W001" not in result.stderr + result.stdout


# --- production is the default; a developer's checkout opts in to DEBUG through local.env ------

SHOW_DEBUG = ("shell", "-c", "from django.conf import settings; print('DEBUG', settings.DEBUG)")


def test_settings_default_to_production_without_a_local_env_file(tmp_path):
    """A deployment that forgets DEBUG=0 still gets production behaviour: no key, no start."""
    missing = str(tmp_path / "no-local.env")
    refused = manage("check", LOCAL_ENV_FILE=missing)
    assert refused.returncode != 0 and "SECRET_KEY must be set" in refused.stderr
    keys = {k: PRODUCTION[k] for k in ("SECRET_KEY", "FIELD_ENCRYPTION_SALTS", "ALLOWED_HOSTS")}
    shown = manage(*SHOW_DEBUG, LOCAL_ENV_FILE=missing, **keys)
    assert "DEBUG False" in shown.stdout, shown.stdout + shown.stderr


def _write_local_env(path) -> str:
    subprocess.run(  # noqa: S603 - our own script with fixed arguments
        [sys.executable, "fanjiaxiang/localenv.py", str(path)],
        cwd=settings.BASE_DIR,
        check=True,
        capture_output=True,
    )
    return path.read_text(encoding="utf-8")


def test_local_env_turns_debug_on_and_the_environment_still_wins(tmp_path):
    local = tmp_path / "local.env"
    written = _write_local_env(local)
    assert "DEBUG=1" in written and "dev-only" not in written  # a fresh checkout's own key
    shown = manage(*SHOW_DEBUG, LOCAL_ENV_FILE=str(local))
    assert "DEBUG True" in shown.stdout, shown.stdout + shown.stderr
    overridden = manage(*SHOW_DEBUG, LOCAL_ENV_FILE=str(local), DEBUG="0")
    assert "DEBUG False" in overridden.stdout, overridden.stdout + overridden.stderr


def test_local_env_is_written_once_so_its_keys_keep_decrypting(tmp_path):
    local = tmp_path / "local.env"
    assert _write_local_env(local) == _write_local_env(local)
