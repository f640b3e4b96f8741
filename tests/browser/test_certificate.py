"""The certificate in Chromium: a phone scans its QR code and lands on the check of that very
certificate; it fits a phone and a laptop; printed, it is one A4 page without the portal's
navigation, and the 打印 button opens the print dialog. Screenshots and the PDF are kept in
var/screenshots/ for a person to look at."""

import io
import re

import pytest
import zxingcpp
from django.conf import settings
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from accounts.models import Role
from students.models import Application, Placement
from tests.browser.test_student_journey import log_in, no_horizontal_scroll
from tests.factories import (
    PASSWORD,
    HostUnitFactory,
    PostFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
    region,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = settings.BASE_DIR / "var" / "screenshots"
CODE = "HMCERT234567"
# Long names, as real ones can be: the printed sheet must still be one page.
UNIT = "东莞市虎门镇人民政府党政综合办公室（虎门镇新时代文明实践中心）"
TITLE = "虎门镇“百千万工程”乡村振兴政策宣传与青年志愿服务统筹助理（暑期实践岗）"


def _completed() -> Placement:
    humen = region("441900121")
    post = PostFactory(host_unit=HostUnitFactory(county=humen, name=UNIT), title=TITLE)
    student = StudentFactory(
        user=UserFactory(role=Role.STUDENT, username="humen_s1"),
        name="欧阳晓彤",
        hometown=humen,
        university=UniversityFactory(name="中山大学", code="4144010558"),
    )
    application = Application.objects.create(
        student=student, post=post, season=post.season, rank=1, status="confirmed"
    )
    return Placement.objects.create(
        application=application,
        student=student,
        post=post,
        season=post.season,
        status=Placement.Status.COMPLETED,
        checkin_code="23456789",
        hours=48,
        rating="excellent",
        certificate_code=CODE,
        completed_at=timezone.now(),
    )


def _scan(locator) -> str:
    """What a phone's camera reads from the QR code on screen."""
    image = Image.open(io.BytesIO(locator.screenshot()))
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, "the QR code on the page does not scan"
    return found[0].text


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def test_a_phone_scans_the_certificate_and_sees_it_verified(live_server, phone_page):
    placement = _completed()
    page = phone_page()
    path = f"/certificates/{placement.pk}/"
    log_in(page, live_server.url, "humen_s1", PASSWORD, path)
    certificate = page.locator("article.certificate")
    expect(certificate).to_contain_text("共青团东莞市虎门镇委员会")
    expect(certificate).to_contain_text(f"证书编号：{CODE}")
    assert no_horizontal_scroll(page), "the certificate scrolls sideways on a phone"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SHOTS / "certificate_phone.png", full_page=True)

    scanned = _scan(page.locator("svg.certificate-qr"))
    assert scanned == f"{live_server.url}/verify/?code={CODE}"

    visitor = phone_page()  # a stranger's phone: not signed in
    visitor.goto(scanned)
    result = visitor.locator("main .alert")
    expect(result).to_contain_text("证书真实有效")
    expect(result).to_contain_text("欧阳晓彤（中山大学）")
    expect(result).to_contain_text("共青团东莞市虎门镇委员会")
    expect(visitor.get_by_role("textbox", name="证书编号")).to_have_value(CODE)
    visitor.screenshot(path=SHOTS / "verify_phone.png", full_page=True)


def test_the_certificate_prints_on_one_a4_page_without_the_portal(live_server, chromium):
    placement = _completed()
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
    page = context.new_page()
    try:
        path = f"/certificates/{placement.pk}/"
        log_in(page, live_server.url, "humen_s1", PASSWORD, path)
        assert no_horizontal_scroll(page)
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SHOTS / "certificate_laptop.png", full_page=True)

        # 打印 calls the browser's print (static/js/portal.js; no inline script).
        page.evaluate("window.print = () => { window.printAsked = true; }")
        page.get_by_role("button", name="打印").click()
        assert page.evaluate("window.printAsked === true")

        page.emulate_media(media="print")
        expect(page.locator("nav").first).to_be_hidden()
        expect(page.locator("footer").last).to_be_hidden()
        expect(page.get_by_role("button", name="打印")).to_be_hidden()
        expect(page.locator("svg.certificate-qr")).to_be_visible()
        sheet = page.locator("article.certificate").bounding_box()
        assert sheet and sheet["width"] > 600 and sheet["height"] > 900  # it fills the page
        pdf = page.pdf(format="A4", print_background=True)
        (SHOTS / "certificate_a4.pdf").write_bytes(pdf)
        assert _pages(pdf) == 1
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        page.screenshot(path=SHOTS / "certificate_print.png", full_page=True)
    finally:
        context.close()
