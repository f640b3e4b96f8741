"""The certificate (社会实践证书) as printed: who issues it, and the QR code that opens its check.

The QR code is drawn on the server as inline SVG (segno), so the page needs no script and the
printed sheet carries it at any resolution. It opens the public verify page for this one
certificate at the address the student reached the portal by.
"""

import segno
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from positions.models import Region
from students.committees import committee_formal_name


def issuer_of(county: Region) -> str:
    """发证单位: 共青团广州市越秀区委员会 (see students/committees.py)."""
    return committee_formal_name(county.parent.name, county.name)


def verify_url(request: HttpRequest, code: str = "") -> str:
    """https://<host>/verify/?code=<code>: the check of this certificate, for anyone (without a
    code: the page to type one in)."""
    path = reverse("students:verify")
    if code:
        path = f"{path}?{urlencode({'code': code})}"
    return request.build_absolute_uri(path)


def qr_svg(url: str) -> SafeString:
    """The QR code of `url` as an <svg> sized by CSS. Error level M or better (segno raises it
    when the symbol's size allows), so a creased or stamped sheet still scans."""
    qr = segno.make(url, error="m")
    svg = qr.svg_inline(omitsize=True, svgclass="certificate-qr", title=_("扫码查验本证书"))
    # segno writes the markup and escapes the title; the URL is only encoded in the modules.
    return mark_safe(svg)  # noqa: S308  # nosec B308 B703
