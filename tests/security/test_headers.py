"""Browser-side protections: a Content Security Policy that allows only the portal's own
scripts and styles (so an injected <script> does not run), no framing, no sniffing."""

import re
from pathlib import Path

from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_pages_carry_the_security_headers(client, world):
    response = client.get(reverse("positions:search"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_template_relies_on_inline_script_or_style():
    """The policy would block them in the browser; this finds them before a user does."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for match in re.finditer(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+=|\sstyle=|<style", text):
            offenders.append(f"{path.relative_to(TEMPLATES)}: {match.group(0).strip()}")
    assert not offenders, offenders


def test_cookies_are_http_only_and_same_site(client, world):
    response = client.get(reverse("accounts:login"))
    cookie = response.cookies["csrftoken"]
    assert cookie["samesite"] == "Lax" and cookie["httponly"]
