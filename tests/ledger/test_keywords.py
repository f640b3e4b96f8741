"""Keywords typed into the ledger (its list, its export, a notice's recipients) and what is kept
of them (issue 23). County staff see ID numbers and phones in full and may search by them, whole
or in part; city and provincial staff read them masked, so they may match only on what they see
(name, university, major, tags, the masked forms): otherwise ten thousand guesses over the hidden
digits would recover a phone. Keywords and filters that are kept (a notice's recipients, the
audit log) are kept masked."""

import datetime
import io
import zoneinfo
from types import SimpleNamespace

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import AuditEvent
from accounts.validators import id_number_make as id_number
from ledger import services
from ledger.models import Entry, LedgerNotice

NOW = datetime.datetime(2026, 10, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))
PHONE = "13800130001"
MASKED_PHONE = "138****0001"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel(NOW, tick=True):
        yield


ID_NUMBER = id_number(1)
MASKED_ID = ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]


@pytest.fixture
def people(world):
    """越秀区's ledger: 张三 (ID number and phone, 中山大学) and 李四 (another phone)."""
    zhang = services.entry_create(
        actor=None,
        county=world.yuexiu,
        name="越秀张三",
        id_number=ID_NUMBER,
        phone=PHONE,
        university="中山大学",
        major="临床医学",
        tags="校友会",
    )
    li = services.entry_create(
        actor=None,
        county=world.yuexiu,
        name="越秀李四",
        phone="13900139002",
        university="华南理工大学",
    )
    return SimpleNamespace(**vars(world), zhang=zhang, li=li)


def _found(client, user, q: str) -> list[str]:
    """Names on the ledger list for keyword q (all pages: the fixture holds two people)."""
    client.force_login(user)
    page = client.get(reverse("ledger:entry_list"), {"q": q})
    assert page.status_code == 200
    return [e.name for e in page.context["page"]]


def _exported(client, user, q: str) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("ledger:export"), {"q": q})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [row[1] for row in list(book.worksheets[0].iter_rows(values_only=True))[1:]]


# Who may search by what ----------------------------------------------------------------------

FULL_NUMBERS = [
    PHONE,
    "138 0013 0001",
    "138-0013-0001",
    "+86 138 0013 0001",
    "１３８００１３０００１",  # full-width
    ID_NUMBER,
    ID_NUMBER.lower(),
]

PHONE_PARTS = ["1380013", "00130001", "130001", "0013 0001"]
ID_PARTS = [ID_NUMBER[:10], ID_NUMBER[-8:], ID_NUMBER[6:14]]


@pytest.mark.parametrize("reader", ["gz_staff", "province_staff"])
@pytest.mark.parametrize("q", FULL_NUMBERS + PHONE_PARTS + ID_PARTS)
def test_readers_cannot_find_anyone_by_a_number_they_see_masked(client, people, reader, q):
    user = getattr(people, reader)
    assert _found(client, user, q) == []
    assert _exported(client, user, q) == []


def test_a_reader_is_told_why_a_number_finds_no_one(client, people):
    client.force_login(people.gz_staff)
    page = client.get(reverse("ledger:entry_list"), {"q": PHONE})
    assert "只能看到手机号和身份证号的部分数字" in page.content.decode()


@pytest.mark.parametrize("reader", ["gz_staff", "province_staff"])
@pytest.mark.parametrize(
    ("q", "names"),
    [
        ("越秀张三", ["越秀张三"]),
        ("中山大学", ["越秀张三"]),
        ("临床", ["越秀张三"]),
        ("校友会", ["越秀张三"]),
        (MASKED_PHONE, ["越秀张三"]),  # as the list shows it
        (MASKED_ID, ["越秀张三"]),  # as the entry page shows it
        ("139****9002", ["越秀李四"]),
        ("138****9002", []),  # the digits shown must all agree
        ("138*****0001", []),  # and the length
    ],
)
def test_readers_find_people_by_what_they_see(client, people, reader, q, names):
    assert _found(client, getattr(people, reader), q) == names


@pytest.mark.parametrize("q", [*FULL_NUMBERS, *PHONE_PARTS, "越秀张三", MASKED_PHONE, MASKED_ID])
def test_county_staff_find_a_person_by_full_or_partial_numbers(client, people, q):
    assert _found(client, people.yx_staff, q) == ["越秀张三"]


def test_county_staff_export_what_they_found_by_phone(client, people):
    assert _exported(client, people.yx_staff, "+86 138 0013 0001") == ["越秀张三"]


@pytest.mark.parametrize("q", ID_PARTS)
def test_a_part_of_an_id_number_finds_no_one_for_county_staff_either(client, people, q):
    """ID numbers are stored encrypted and found by a keyed digest: only the whole number."""
    assert _found(client, people.yx_staff, q) == []


# What is kept of a keyword -------------------------------------------------------------------


def test_a_notices_recipient_filter_is_kept_masked_and_read_masked_above(
    client, people, django_capture_on_commit_callbacks
):
    client.force_login(people.yx_staff)
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("ledger:notice_create"),
            {"category": "job", "title": "岗位推介", "body": "欢迎回家乡。", "q": PHONE},
        )
    notice = LedgerNotice.objects.get()
    assert response["Location"] == reverse("ledger:notice_detail", args=[notice.pk])
    assert list(notice.deliveries.values_list("entry__name", flat=True)) == ["越秀张三"]
    assert notice.filters == {"关键词": MASKED_PHONE}
    event = AuditEvent.objects.get(action="ledger.notice")
    assert event.data["filters"] == {"关键词": MASKED_PHONE}

    client.force_login(people.gz_staff)
    html = client.get(reverse("ledger:notice_detail", args=[notice.pk])).content.decode()
    assert f"关键词={MASKED_PHONE}" in html and PHONE not in html


def test_a_notice_sent_by_a_service_keeps_its_filters_masked(people):
    notice = services.notice_send(
        county=people.yuexiu,
        actor=people.yx_staff,
        category="policy",
        title="政策",
        body="正文",
        entries=Entry.objects.filter(pk=people.zhang.pk),
        filters={"关键词": ID_NUMBER, "标签": "校友会"},
    )
    notice.refresh_from_db()
    assert notice.filters == {"关键词": MASKED_ID, "标签": "校友会"}


@pytest.mark.parametrize("q", [PHONE, ID_NUMBER])
def test_an_exports_audit_record_keeps_its_keyword_masked(client, people, q):
    assert _exported(client, people.yx_staff, q) == ["越秀张三"]
    event = AuditEvent.objects.get(action="export")
    assert event.data["filters"]["关键词"] in (MASKED_PHONE, MASKED_ID)
    assert q not in str(event.data)


def test_part_of_a_phone_a_county_searched_by_is_kept_masked_too(client, people):
    assert _exported(client, people.yx_staff, "0130001") == ["越秀张三"]
    event = AuditEvent.objects.get(action="export")
    assert event.data["filters"]["关键词"] == "013****"


def test_a_merge_is_recorded_without_the_merged_phone_in_full(people):
    other = services.entry_create(
        actor=None, county=people.yuexiu, name="越秀张三", phone="13700137003"
    )
    services.entries_merge(keep=people.zhang, other=other, actor=people.yx_staff)
    event = AuditEvent.objects.get(action="ledger.merge")
    assert event.data["merged_phone"] == "137****7003"
    assert "13700137003" not in str(event.data)


def test_keywords_kept_before_are_masked_by_the_migration(people):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("ledger.migrations.0003_mask_kept_keywords")
    notice = LedgerNotice.objects.create(
        county=people.yuexiu,
        category="job",
        title="旧通知",
        body="正文",
        filters={"关键词": PHONE, "毕业年份": "2027"},
    )
    export = AuditEvent.objects.create(
        action="export", data={"rows": 1, "filters": {"关键词": ID_NUMBER}, "masked": False}
    )
    merge = AuditEvent.objects.create(
        action="ledger.merge", data={"merged": 9, "merged_phone": "13700137003"}
    )
    reveal = AuditEvent.objects.create(action="pii.reveal", data={"fields": ["phone"]})

    migration.mask_kept_keywords(apps, None)
    migration.mask_kept_keywords(apps, None)  # again: nothing changes

    notice.refresh_from_db()
    assert notice.filters == {"关键词": MASKED_PHONE, "毕业年份": "2027"}
    export.refresh_from_db()
    assert export.data == {"rows": 1, "filters": {"关键词": MASKED_ID}, "masked": False}
    merge.refresh_from_db()
    assert merge.data == {"merged": 9, "merged_phone": "137****7003"}
    reveal.refresh_from_db()
    assert reveal.data == {"fields": ["phone"]}
