"""Issue 23: browsers ask for /favicon.ico on every site; the portal answers with its icon."""

import struct

from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse


def test_favicon_ico_leads_to_the_portals_icon(db, settings):
    # WhiteNoise serves from the finders as under `make run` (tests have no collected files).
    settings.WHITENOISE_USE_FINDERS = settings.WHITENOISE_AUTOREFRESH = True
    client = Client()  # a new handler, so WhiteNoise reads the settings above
    response = client.get("/favicon.ico")
    assert response.status_code == 302  # not permanent: the static name may change
    assert response["Location"].endswith(".ico")
    assert reverse("favicon") == "/favicon.ico"
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\0\0\1\0"


def test_the_icon_is_a_real_ico_file():
    path = finders.find("favicon.ico")
    assert path, "static/favicon.ico is missing"
    with open(path, "rb") as icon:
        reserved, kind, count = struct.unpack("<HHH", icon.read(6))
    assert (reserved, kind) == (0, 1) and count >= 1  # an ICO header with at least one image


def test_pages_name_the_icon(client, db):
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in page and "favicon" in page
