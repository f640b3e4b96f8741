"""The certificate as a student prints it and a stranger checks it: the QR code opens that
certificate's check on /verify/, the issuer is the county committee's formal name, the page
prints on one A4 sheet, and /verify/ answers any code in Chinese without a server error and
counts each look-up against the caller's address."""

import csv
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Throttle
from students.committees import committee_formal_name, committee_name
from students.models import Application, Placement
from tests.factories import HostUnitFactory, PostFactory, StudentFactory, region

CODE = "ET8WT5CNLLW2"  # from the codes' alphabet: no 0/O, 1/I
REGIONS_CSV = Path(__file__).resolve().parents[2] / "positions/data/regions.csv"
with REGIONS_CSV.open(encoding="utf-8") as rows:
    REGISTER = {row["code"]: (row["name"], row["parent"]) for row in csv.DictReader(rows)}


@pytest.fixture
def completed(world):
    """越秀's student, evaluated 优秀 after 24 hours at 越秀区图书馆."""
    student = StudentFactory(user=world.student, name="陈越秀", university=world.university)
    application = Application.objects.create(
        student=student, post=world.post_yx, season=world.post_yx.season, rank=1, status="confirmed"
    )
    return Placement.objects.create(
        application=application,
        student=student,
        post=world.post_yx,
        season=world.post_yx.season,
        status=Placement.Status.COMPLETED,
        checkin_code="23456789",
        hours=24,
        rating="excellent",
        certificate_code=CODE,
        completed_at=timezone.now(),
    )


def qr_text(svg: str) -> str:
    """Read the QR code of segno's SVG as a phone would: draw its modules (one horizontal stroke
    per run, a module tall, centred on the row) and decode the image with ZXing."""
    width, height = (int(n) for n in re.search(r'viewBox="0 0 (\d+) (\d+)"', svg).groups())
    image = Image.new("L", (width, height), 255)
    x = y = 0.0
    path = re.search(r' d="([^"]+)"', svg).group(1)
    for command, numbers in re.findall(r"([MmHh])([^MmHh]*)", path):
        values = [float(n) for n in numbers.replace(",", " ").split()]
        if command == "M":
            x, y = values
        elif command == "m":
            x, y = x + values[0], y + values[1]
        else:
            end = x + values[0] if command == "h" else values[0]
            for column in range(int(x), int(end)):
                image.putpixel((column, int(y)), 0)
            x = end
    found = zxingcpp.read_barcodes(image.resize((width * 8, height * 8), Image.Resampling.NEAREST))
    assert len(found) == 1, "the QR code does not scan"
    return found[0].text


def certificate_page(client, placement) -> str:
    client.force_login(placement.student.user)
    response = client.get(reverse("students:certificate", args=[placement.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_certificate_carries_a_qr_code_that_opens_its_check(client, completed):
    page = certificate_page(client, completed)
    svg = re.search(r"<svg[^>]*certificate-qr.*?</svg>", page, re.S).group(0)
    url = qr_text(svg)
    assert url == f"http://testserver/verify/?code={CODE}"

    stranger = Client()
    parts = urlsplit(url)
    result = stranger.get(f"{parts.path}?{parts.query}", HTTP_HOST=parts.netloc)
    shown = result.content.decode()
    assert result.status_code == 200
    assert "证书真实有效" in shown and "陈越秀（中山大学）" in shown
    assert "共青团广州市越秀区委员会" in shown and CODE in shown


def test_the_qr_code_uses_the_address_the_portal_was_reached_by(completed, settings):
    settings.ALLOWED_HOSTS = ["fjx.example.org"]
    client = Client(HTTP_HOST="fjx.example.org")
    client.force_login(completed.student.user)
    url = reverse("students:certificate", args=[completed.pk])
    page = client.get(url, secure=True).content.decode()
    svg = re.search(r"<svg[^>]*certificate-qr.*?</svg>", page, re.S).group(0)
    assert qr_text(svg) == f"https://fjx.example.org/verify/?code={CODE}"
    assert "https://fjx.example.org/verify/" in page


def test_the_certificate_names_its_issuer_formally_and_says_证书编号(client, completed):
    page = certificate_page(client, completed)
    assert "共青团广州市越秀区委员会" in page
    assert f'证书编号：<strong class="certificate-number">{CODE}</strong>' in page
    assert "验证码" not in page


def test_the_certificate_prints_on_a_4_without_the_portal_around_it(client, completed, settings):
    page = certificate_page(client, completed)
    assert "/static/css/certificate.css" in page
    assert re.search(r"<button[^>]*data-print[^>]*>打印</button>", page)
    assert "<script>" not in page  # the button works through static/js/portal.js
    css = (settings.BASE_DIR / "static/css/certificate.css").read_text(encoding="utf-8")
    assert "@page { size: A4;" in css and "@media print" in css


@pytest.mark.parametrize(
    ("city", "county", "formal", "short"),
    [
        ("440100", "440104", "共青团广州市越秀区委员会", "广州市越秀区团委"),  # 区
        ("440700", "440781", "共青团台山市委员会", "台山市团委"),  # 县级市: named alone
        ("441900", "441900121", "共青团东莞市虎门镇委员会", "东莞市虎门镇团委"),  # 东莞 镇街
        ("442000", "442000001", "共青团中山市石岐街道委员会", "中山市石岐街道团委"),  # 中山 镇街
        ("441400", "441422", "共青团梅州市大埔县委员会", "梅州市大埔县团委"),  # 县
        ("429000", "429004", "共青团仙桃市委员会", "仙桃市团委"),  # 省直辖
    ],
)
def test_the_issuer_is_named_after_its_county_and_city(city, county, formal, short):
    assert REGISTER[county][1] == city  # the real register's parent, not a made-up one
    names = (REGISTER[city][0], REGISTER[county][0])
    assert committee_formal_name(*names) == formal
    assert committee_name(*names) == short


def test_a_dongguan_towns_certificate_and_check_name_the_town_committee(client, world):
    humen = region("441900121")
    post = PostFactory(host_unit=HostUnitFactory(county=humen, name="虎门镇文化站"))
    student = StudentFactory(user=world.student, hometown=humen, university=world.university)
    application = Application.objects.create(
        student=student, post=post, season=post.season, rank=1, status="confirmed"
    )
    placement = Placement.objects.create(
        application=application,
        student=student,
        post=post,
        season=post.season,
        status=Placement.Status.COMPLETED,
        checkin_code="23456789",
        hours=16,
        rating="good",
        certificate_code="HMCERT234567",
        completed_at=timezone.now(),
    )
    assert "共青团东莞市虎门镇委员会" in certificate_page(client, placement)
    checked = Client().get(reverse("students:verify"), {"code": "hmcert234567"})
    assert "共青团东莞市虎门镇委员会" in checked.content.decode()


@pytest.mark.parametrize(
    "typed",
    [
        "F0O0O0O0O0O0",
        "ABC",
        "x" * 5000,
        "<script>",
        "证书",
        "'; DROP TABLE",
        "%00",
        "²",
        "ABCD-1234",
    ],
)
def test_a_malformed_code_is_explained_in_chinese_naming_the_field(db, typed):
    response = Client().get(reverse("students:verify"), {"code": typed})
    shown = response.content.decode()
    assert response.status_code == 200
    assert "证书编号有误" in shown and "请对照证书核对" in shown
    assert "<script>" not in shown


def test_a_code_is_shown_back_escaped(db):
    shown = Client().get(reverse("students:verify"), {"code": '"><svg onload=x>'}).content
    assert b"<svg onload" not in shown and b"&quot;&gt;&lt;svg onload=x&gt;" in shown


def test_an_unknown_code_says_there_is_no_such_certificate(db):
    response = Client().get(reverse("students:verify"), {"code": "ABCDEFGH2345"})
    shown = response.content.decode()
    assert response.status_code == 200
    assert "查无此证书：没有证书编号为 ABCDEFGH2345 的有效证书" in shown


def test_an_empty_code_asks_for_one_and_the_bare_page_just_shows_the_form(db):
    assert "请输入证书编号。" in Client().get("/verify/?code=").content.decode()
    bare = Client().get("/verify/").content.decode()
    assert 'name="code"' in bare and "查无此证书" not in bare and "请输入证书编号。" not in bare


def test_a_code_is_found_however_it_is_typed(db, completed):
    for typed in (CODE.lower(), f" {CODE[:4]} {CODE[4:8]} {CODE[8:]} ", f"{CODE[:6]}-{CODE[6:]}"):
        shown = Client().get(reverse("students:verify"), {"code": typed}).content.decode()
        assert "证书真实有效" in shown, typed


def test_look_ups_by_link_are_throttled_per_address(db, completed, settings):
    settings.CERTIFICATE_CHECKS_PER_MINUTE = 3
    client = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(3):
        assert client.get(reverse("students:verify"), {"code": CODE}).status_code == 200
    refused = client.get(reverse("students:verify"), {"code": CODE})
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "查验次数过多，请一分钟后再试。" in refused.content.decode()
    assert "陈越秀" not in refused.content.decode()
    other = Client(REMOTE_ADDR="198.51.100.7").get(reverse("students:verify"), {"code": CODE})
    assert "证书真实有效" in other.content.decode()
    assert Throttle.objects.filter(scope="certificate_check").count() == 2


def test_opening_the_check_page_without_a_code_counts_nothing(db):
    Client().get(reverse("students:verify"))
    assert not Throttle.objects.filter(scope="certificate_check").exists()
