"""Demo ledger for each demo county: its participants (as the confirm step would have added
them), people reached through other channels (a pair that looks like one person, to merge),
channels with members, contact logs, the exchange event (集中交流) with its photo and minutes,
return registrations and a notice with a read count. Idempotent: a county that has channels
already is left alone."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.validators import id_number_set
from demo.students import id_number_for
from demo.summary import png
from ledger import services
from ledger.models import (
    Channel,
    ContactLog,
    Delivery,
    Entry,
    Intention,
    LedgerNotice,
    ReturnRegistration,
    Source,
)
from students.models import Placement, Student

# Past every demo and scale student's numbering, so no ID number clashes with a student's.
LEDGER_OFFSET = 5_000_000
SURNAMES = "陈林黄张李王吴刘蔡杨郑梁谢许罗何"
GIVEN = [
    "子涵",
    "思远",
    "雨桐",
    "浩然",
    "欣怡",
    "俊杰",
    "嘉怡",
    "宇航",
    "佳琪",
    "梓豪",
    "晓彤",
    "志强",
]
UNIVERSITIES = [
    "中山大学",
    "华南理工大学",
    "北京大学",
    "武汉大学",
    "浙江大学",
    "嘉应学院",
    "暨南大学",
]
MAJORS = ["汉语言文学", "计算机科学与技术", "临床医学", "会计学", "农学", "法学", "土木工程"]
TAGS = ["师范", "考公意向", "医学", "乡村振兴", "创业意向", "研究生"]
SOURCES = [Source.ASSOCIATION, Source.ALUMNI, Source.ALUMNI, Source.PARTNERSHIP, Source.OTHER]


# How far each demo county has got with its five tasks (五个一), so the matrix shows every
# status: 天河 has its exchange still ahead and its returns waiting to be verified; 梅县 has
# held no exchange, its channels reach nobody yet and it has contacted no one this year.
PLANNED_EXCHANGE = "440106"
BEHIND = "441403"


def seed_county_ledger(*, county, staff, season) -> None:
    for student in Student.objects.filter(
        hometown=county,
        placements__status__in=[
            Placement.Status.CONFIRMED,
            Placement.Status.REPORTED,
            Placement.Status.COMPLETED,
        ],
    ).distinct():
        services.entry_for_participant(student)
    if Channel.objects.filter(county=county).exists():
        return
    today = timezone.localdate()
    entries = []
    for n in range(30):
        name = SURNAMES[n % len(SURNAMES)] + GIVEN[(n * 5) % len(GIVEN)]
        number = id_number_for(county.code, LEDGER_OFFSET + n) if n % 4 else ""
        entry = Entry(
            county=county,
            name=name,
            phone=f"135{int(county.code[:6]) % 10000:04d}{n:04d}",
            email=f"ledger{n}@example.com" if n % 3 == 0 else "",
            wechat=f"wx_{county.code[-4:]}_{n}",
            university=UNIVERSITIES[n % len(UNIVERSITIES)],
            major=MAJORS[n % len(MAJORS)],
            degree=Student.Degree.BACHELOR if n % 5 else Student.Degree.MASTER,
            graduation_year=today.year + n % 4,
            source=SOURCES[n % len(SOURCES)],
            intention=[Intention.YES, Intention.UNDECIDED, Intention.NO][n % 3],
            tags="、".join(TAGS[n % len(TAGS) : n % len(TAGS) + 1 + n % 2]),
            last_contact=today - datetime.timedelta(days=10 * n) if n % 2 else None,
        )
        id_number_set(entry, number)
        entries.append(entry)
    # The same person twice: once from the alumni group (no ID number), once from the
    # university (with one): the duplicates page suggests merging them.
    twin = entries[1]
    entries.append(
        Entry(
            county=county,
            name=twin.name,
            phone=f"136{int(county.code[:6]) % 10000:04d}0001",
            university=twin.university,
            graduation_year=twin.graduation_year,
            source=Source.ALUMNI,
            notes="校友群登记，待与高校名单核对。",
        )
    )
    Entry.objects.bulk_create(entries)
    entries = list(Entry.objects.filter(county=county).order_by("pk"))
    association = Channel.objects.create(
        county=county,
        kind=Channel.Kind.ASSOCIATION,
        name=f"{county.name}大学生成长促进会",
        contact="团委 陈老师",
    )
    alumni = Channel.objects.create(
        county=county,
        kind=Channel.Kind.ALUMNI,
        name=f"{county.name}第一中学 2023 届校友群",
        contact="班主任 李老师（微信群）",
    )
    partner = Channel.objects.create(
        county=county, kind=Channel.Kind.PARTNERSHIP, name="中山大学（校地合作）"
    )
    if county.code != BEHIND:
        association.members.add(*entries[::2])
        alumni.members.add(*[e for e in entries if e.source == Source.ALUMNI])
        partner.members.add(*[e for e in entries if e.university == "中山大学"])
    ContactLog.objects.bulk_create(
        ContactLog(
            entry=entry,
            date=entry.last_contact,
            method=ContactLog.Method.WECHAT if n % 2 else ContactLog.Method.PHONE,
            content="了解就读情况和毕业去向，介绍返家乡岗位。",
            by=staff,
        )
        for n, entry in enumerate(entries)
        if entry.last_contact and county.code != BEHIND
    )
    if county.code != BEHIND:
        _exchange(county=county, staff=staff, season=season, entries=entries, today=today)
    for n, entry in enumerate(entries[:3]):
        verified = n != 1 and county.code != PLANNED_EXCHANGE
        ReturnRegistration.objects.create(
            entry=entry,
            kind=ReturnRegistration.Kind.STARTUP if n == 2 else ReturnRegistration.Kind.EMPLOYMENT,
            year=today.year,
            organisation=f"{county.name}乡村振兴发展有限公司" if n != 2 else "农产品电商工作室",
            position="综合岗" if n != 2 else "电子商务",
            started_on=today - datetime.timedelta(days=30),
            status=ReturnRegistration.Status.VERIFIED
            if verified
            else ReturnRegistration.Status.PENDING,
            verified_by=staff if verified else None,
            verified_at=timezone.now() if verified else None,
        )
    notice = LedgerNotice.objects.create(
        county=county,
        category=LedgerNotice.Category.JOB,
        title=f"{county.name}事业单位公开招聘（面向{today.year}届毕业生）",
        body="招聘岗位 20 个，报名时间见县人社局网站。欢迎家乡学子报名。",
        filters={"毕业年份": str(today.year)},
        sent_by=staff,
    )
    recipients = [e for e in entries if e.graduation_year == today.year]
    Delivery.objects.bulk_create(
        Delivery(
            notice=notice,
            entry=entry,
            in_portal=entry.student_id is not None,
            by_email=bool(entry.email),
            read_at=timezone.now() if n % 2 == 0 else None,
        )
        for n, entry in enumerate(recipients)
    )


def _exchange(*, county, staff, season, entries, today) -> None:
    """The county's 集中交流 with its photo and minutes; 天河's is registered for a later day."""
    planned = county.code == PLANNED_EXCHANGE
    if planned:  # a later day falls in the winter season more often than not
        season = season.programme_year.seasons.filter(kind="winter").first() or season
    event = services.event_save(
        county=county,
        actor=staff,
        season=season,
        title=f"{county.name}返家乡大学生集中交流会",
        date=today + datetime.timedelta(days=20) if planned else min(season.practice_ends, today),
        place=f"{county.name}青年之家",
        speakers="县委组织部、人社局负责同志；优秀返乡创业青年代表",
        departments="县委组织部、县人社局、县教育局、县农业农村局",
        visits="县产业园区、乡村振兴示范村",
        summary="" if planned else "介绍家乡发展和人才政策，学生分组座谈。",
        attendance_extra=0 if planned else 16,
    )
    if planned:
        return
    event.attendees.add(*entries[:12])
    services.event_materials_add(
        event=event,
        files=[
            ContentFile(png(rgb=(40, 110, 180)), name="集中交流合影.png"),
            ContentFile(MINUTES_PDF, name="集中交流会议纪要.pdf"),
        ],
        actor=staff,
    )


# A one-page PDF that opens in a browser: the minutes' evidence in the demo.
MINUTES_PDF = b"""%PDF-1.4
1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj
2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj
3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R/Resources<<>>>>endobj
4 0 obj<</Length 44>>stream
BT /F1 18 Tf 72 760 Td (Minutes) Tj ET
endstream endobj
trailer<</Root 1 0 R>>
%%EOF
"""
