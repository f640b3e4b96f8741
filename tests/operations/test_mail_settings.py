"""The mail server comes from the environment under Django's own names, and a server that
accepts and never answers holds a sender only EMAIL_TIMEOUT seconds."""

import json
import socket

from tests.process import PRODUCTION, manage

SHOW_SMTP = (
    "shell",
    "-c",
    "import json; from django.core.mail import get_connection;"
    "c = get_connection('django.core.mail.backends.smtp.EmailBackend');"
    "print(json.dumps([c.host, c.port, c.username, c.password, c.use_tls, c.use_ssl, c.timeout]))",
)


def _smtp(**env) -> list:
    shown = manage(*SHOW_SMTP, **PRODUCTION, **env)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout.strip().splitlines()[-1])


def test_the_smtp_backend_takes_the_mail_server_from_the_environment():
    assert _smtp(
        EMAIL_HOST="smtp.example.gov.cn",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="noreply@example.gov.cn",
        EMAIL_HOST_PASSWORD="s3cret-Pass",
        EMAIL_USE_TLS="1",
        EMAIL_TIMEOUT="7",
    ) == ["smtp.example.gov.cn", 587, "noreply@example.gov.cn", "s3cret-Pass", True, False, 7]
    assert _smtp(EMAIL_HOST="smtp.example.gov.cn", EMAIL_PORT="465", EMAIL_USE_SSL="true")[4:6] == [
        False,
        True,
    ]


def test_without_mail_settings_a_sender_waits_ten_seconds_at_most():
    assert _smtp() == ["localhost", 25, "", "", False, False, 10]


def test_tls_and_ssl_together_refuse_to_start():
    result = manage("check", **PRODUCTION, EMAIL_USE_TLS="1", EMAIL_USE_SSL="1")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on" in result.stderr


SEND = (
    "shell",
    "-c",
    "import time; from django.core.mail import send_mail; started = time.monotonic()\n"
    "try:\n    send_mail('通知', '正文', None, ['student@example.com'])\n"
    "except Exception as exc:\n    print('failed', type(exc).__name__, exc)\n"
    "print('seconds', round(time.monotonic() - started, 2))",
)


def test_a_mail_server_that_never_answers_holds_the_sender_only_email_timeout_seconds():
    with socket.socket() as hung:  # accepts connections (the backlog) and never says hello
        hung.bind(("127.0.0.1", 0))
        hung.listen(8)
        result = manage(
            *SEND,
            **PRODUCTION,
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(hung.getsockname()[1]),
            EMAIL_TIMEOUT="1",
        )
    assert "timed out" in result.stdout, result.stdout + result.stderr
    seconds = float(result.stdout.split("seconds")[-1])
    assert 0.9 <= seconds < 3
