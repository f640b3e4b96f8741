"""The access matrix (issue 8): every URL of the portal, walked automatically, against every role
that must not reach it.

The URL patterns are read from the resolver, so a view added later is walked too; it must first be
classified below, in PUBLIC (anyone may open it) or PROTECTED (how to point it at an object of
越秀区, which every foreign role below must not see or change). Four walkers then check:

- foreign roles (another county, host unit, city, province, university, a student who does not
  own the object, and anonymous) get 403/404/405 or the login page, never 越秀's data, and change
  nothing in the database, on GET and on POST with a valid CSRF token;
- a POST without a CSRF token is refused for every pattern;
- a GET changes nothing for any role, owner or foreign (state changes are POST only);
- the owner reaches every object the table points at, so a 404 above means "refused", not "the
  table points at nothing".

One world is built for the whole module inside a transaction that is rolled back at the end; each
test runs in a savepoint of it (pytest-django's `db`), so what a test changes is undone.
"""

import datetime
import html
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection, transaction
from django.http import HttpResponseForbidden
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.views.static import serve
from openpyxl import Workbook

from accounts import twofactor
from accounts.audit import Action, audit_record
from accounts.models import CHILD_ROLES, AuditEvent, Mail, Notice, Role, User
from accounts.validators import id_number_make
from demo.summary import png
from fanjiaxiang.exporters import XLSX_TYPE
from fanjiaxiang.models import QueuedTask
from ledger import imports as ledger_imports
from ledger import services as ledger
from ledger.excel import headers as ledger_headers
from ledger.models import Entry
from ledger.selectors import delivery_token
from schedule import services as calendar
from schedule.models import UnitMilestone
from students import rounds, services
from students.models import MatchingOutcome, Placement, PracticeLog, SupplementaryRound
from tests.api import access_matrix as api_matrix
from tests.factories import (
    PASSWORD,
    HostUnitFactory,
    PostFactory,
    StudentFactory,
    UniversityFactory,
    UserFactory,
    region,
    season,
    staff,
    verified_login,
)
from tests.outcomes import access_matrix as outcomes_matrix
from tests.safety import access_matrix as safety_matrix
from tests.summary import access_matrix as summary_matrix
from tests.universities import access_matrix as universities_matrix

# Every test is marked, so pytest-django creates the test database before `matrix` needs it (an
# unmarked module would get the development database instead).
pytestmark = pytest.mark.django_db

# --- the world: 越秀区 owns everything the URLs point at ----------------------------------------


def _build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.province, w.guangzhou = region("440000"), region("440100")
    w.yuexiu, w.tianhe, w.meizhou = region("440104"), region("440106"), region("441400")
    w.guangxi = region("450000")
    w.zsu = UniversityFactory(name="中山大学", code="4144010558")
    w.scut = UniversityFactory(name="华南理工大学", code="4144010561")
    w.unit_yx = HostUnitFactory(county=w.yuexiu, name="越秀区图书馆")
    w.unit_th = HostUnitFactory(county=w.tianhe, name="天河区图书馆")
    w.unit_yx_other = HostUnitFactory(county=w.yuexiu, name="越秀区文化馆")
    w.post_yx = PostFactory(host_unit=w.unit_yx, title="越秀图书馆阅读推广员")
    w.post_yx2 = PostFactory(host_unit=w.unit_yx, title="越秀社区服务岗")
    w.draft_yx = PostFactory(
        host_unit=w.unit_yx, title="越秀草稿岗位", status="draft", published_at=None
    )
    w.post_th = PostFactory(host_unit=w.unit_th, title="天河图书馆阅读推广员")
    w.season = w.post_yx.season
    w.season_gx = season("summer", province="450000")
    w.post_yx_other = PostFactory(host_unit=w.unit_yx_other, title="越秀文化馆讲解员")
    _build_staff(w)
    _build_students(w)
    _build_selection(w)
    _build_away(w)
    _build_calendar(w)
    _build_ledger(w)
    summary_matrix.build(w)
    outcomes_matrix.build(w)
    safety_matrix.build(w)
    universities_matrix.build(w)
    api_matrix.build(w)
    return w


def _ledger_file() -> bytes:
    """The import template's header and one valid row: a person new to 越秀's ledger."""
    workbook = Workbook()
    workbook.active.append(ledger_headers())
    row = {"姓名": "越秀导入人员", "身份证号": id_number_make(123), "手机号": "13733330003"}
    workbook.active.append([row.get(header, "") for header in ledger_headers()])
    content = io.BytesIO()
    workbook.save(content)
    return content.getvalue()


def _build_ledger(w: SimpleNamespace) -> None:
    # offer_confirm (above) has already put 越秀乙生 and 越秀丙生 in 越秀's ledger.
    w.entry = ledger.entry_create(
        county=w.yuexiu,
        name="越秀台账人员",
        phone="13733330001",
        id_number=id_number_make(122),
        actor=w.yx_staff,
    )
    # The same name without an ID number: a possible duplicate, to be merged into `entry`.
    w.entry_dup = ledger.entry_create(
        county=w.yuexiu, name="越秀台账人员", phone="13733330002", actor=w.yx_staff
    )
    w.channel = ledger.channel_save(
        actor=None, county=w.yuexiu, kind="alumni", name="越秀中学校友群"
    )
    ledger.channel_members_set(actor=None, channel=w.channel, entries=[w.entry])
    ledger.contact_add(
        entry=w.entry,
        actor=w.yx_staff,
        date=datetime.date(2025, 7, 15),
        method="phone",
        content="越秀台账人员的联系记录",
    )
    w.ledger_notice = ledger.notice_send(
        county=w.yuexiu,
        actor=w.yx_staff,
        category="activity",
        title="越秀台账通知",
        body="团区委座谈会邀请",
        entries=Entry.objects.filter(pk=w.entry.pk),
        filters={},
    )
    w.delivery = w.ledger_notice.deliveries.get()
    Mail.objects.create(  # refused for good: the province's list of failed mails shows it
        to="refused@example.com",
        subject="【越秀区团委】越秀台账通知",
        body="团区委座谈会邀请",
        province=w.province,
        status=Mail.Status.FAILED,
        error="550 5.1.1 mailbox unavailable",
    )
    w.event = ledger.event_save(
        actor=None,
        county=w.yuexiu,
        season=w.season,
        title="越秀集中交流活动",
        date=w.season.practice_starts,
        place="越秀区青年之家",
    )
    ledger.event_attendance_set(actor=None, event=w.event, entries=[w.entry])
    ledger.event_materials_add(
        event=w.event, files=[ContentFile(png(), name="越秀交流合影.png")], actor=w.yx_staff
    )
    w.material = w.event.materials.get()
    w.registration = ledger.registration_save(
        actor=None, entry=w.entry, kind="employment", year=2025, organisation="越秀区某街道办"
    )
    job = ledger_imports.job_create(
        county=w.yuexiu,
        upload=ContentFile(_ledger_file(), name="越秀台账导入.xlsx"),
        actor=w.yx_staff,
    )
    w.import_job = type(job).objects.get(pk=job.pk)
    assert w.import_job.status == "ready", w.import_job.errors


def _build_calendar(w: SimpleNamespace) -> None:
    w.programme_year = w.season.programme_year
    for name in ("越秀区实施方案（初稿）.pdf", "越秀区实施方案.pdf"):  # the first is version 1
        w.plan_yx = calendar.plan_submit(
            programme_year=w.programme_year,
            region=w.yuexiu,
            document=ContentFile(b"%PDF-1.4\n%%EOF\n", name=name),
            actor=w.yx_staff,
        )
    onboard = w.programme_year.milestones.get(code="onboard")
    calendar.unit_milestones_ensure(milestone=onboard)
    w.unit_yx_onboard = UnitMilestone.objects.get(milestone=onboard, region=w.yuexiu)
    # Issue 17: a province's own milestone for counties and universities; 中山大学 marked it
    # done with a file; 广州市's and 中山大学's quarterly progress reports.
    w.custom_milestone = calendar.milestone_add(
        programme_year=w.programme_year,
        title="全省统一行动日",
        due=datetime.date(w.programme_year.year, 7, 15),
        for_county=True,
        for_university=True,
        actor=w.province_staff,
    )
    calendar.unit_milestones_ensure(milestone=w.custom_milestone)
    w.unit_yx_custom = UnitMilestone.objects.get(milestone=w.custom_milestone, region=w.yuexiu)
    w.unit_zsu_custom = calendar.unit_milestone_complete(
        unit=UnitMilestone.objects.get(milestone=w.custom_milestone, university=w.zsu),
        note="中山大学已开展",
        document=ContentFile(b"%PDF-1.4\n%%EOF\n", name="中山大学行动日总结.pdf"),
        actor=w.uni_staff,
    )
    row = {
        "category": "needs",
        "title": "广州返家乡岗位开发",
        "content": "开发实践岗位",
        "progress": "已发布岗位",
        "youth_covered": 120,
        "deadline": "12月",
    }
    w.progress_gz = calendar.progress_report_save(
        programme_year=w.programme_year,
        quarter="q2",
        region=w.guangzhou,
        rows=[row],
        submit=True,
        actor=w.gz_staff,
    )
    w.progress_zsu = calendar.progress_report_save(
        programme_year=w.programme_year,
        quarter="q2",
        university=w.zsu,
        rows=[{**row, "title": "中山大学返家乡动员"}],
        actor=w.uni_staff,
    )


def _build_staff(w: SimpleNamespace) -> None:
    w.province_staff = staff(Role.PROVINCE, region=w.province, username="gd_province")
    w.gx_staff = staff(Role.PROVINCE, region=w.guangxi, username="gx_province")
    w.gz_staff = staff(Role.CITY, region=w.guangzhou, username="gz_city")
    w.mz_staff = staff(Role.CITY, region=w.meizhou, username="mz_city")
    w.yx_staff = staff(Role.COUNTY, region=w.yuexiu, username="yuexiu")
    w.th_staff = staff(Role.COUNTY, region=w.tianhe, username="tianhe")
    w.yx_host = staff(Role.HOST, host_unit=w.unit_yx, username="yuexiu_host")
    w.th_host = staff(Role.HOST, host_unit=w.unit_th, username="tianhe_host")
    w.yx_other_host = staff(Role.HOST, host_unit=w.unit_yx_other, username="wenhuaguan_host")
    w.uni_staff = staff(Role.UNIVERSITY, university=w.zsu, username="sysu")
    w.scut_staff = staff(Role.UNIVERSITY, university=w.scut, username="scut")
    # Other provinces (issue 15): Beijing's provincial staff; 北京大学, which has a student from
    # 越秀区; 武汉大学, which has no student here at all.
    w.beijing, w.hubei = region("110000"), region("420000")
    w.pku = UniversityFactory(name="北京大学", code="4111010001", province=w.beijing)
    w.whu = UniversityFactory(name="武汉大学", code="4142010486", province=w.hubei)
    w.bj_staff = staff(Role.PROVINCE, region=w.beijing, username="bj_province")
    w.pku_staff = staff(Role.UNIVERSITY, university=w.pku, username="pku")
    w.whu_staff = staff(Role.UNIVERSITY, university=w.whu, username="whu")
    # 三权分立 (issue 21): the three admin duties, walked like foreign roles (DUTIES below).
    w.sysadmin = UserFactory(role=Role.SYSTEM_ADMIN, is_staff=True, username="sysadmin")
    w.secadmin = UserFactory(role=Role.SECURITY_ADMIN, is_staff=True, username="secadmin")
    w.auditadmin = UserFactory(role=Role.AUDIT_ADMIN, is_staff=True, username="auditadmin")


def _student(w, name: str, phone: str, **fields):
    return StudentFactory(
        name=name, phone=phone, **{"hometown": w.yuexiu, "university": w.zsu} | fields
    )


def _build_students(w: SimpleNamespace) -> None:
    # 甲 has an open choice and an offer, 乙 a confirmed placement, 丙 a completed one.
    w.student_a = _student(w, "越秀甲生", "13711110001")
    w.student_b = _student(w, "越秀乙生", "13711110002")
    w.student_c = _student(w, "越秀丙生", "13711110003")
    # Same county and university as 甲, so only "does not own it" can refuse them.
    w.neighbour = _student(w, "越秀邻居", "13711110009")
    w.th_student = _student(w, "天河学生", "13722220001", hometown=w.tianhe, university=w.scut)
    Notice.objects.create(user=w.student_a.user, text="越秀甲生的专属通知")
    Notice.objects.create(user=w.th_student.user, text="天河学生的通知")


def _build_selection(w: SimpleNamespace) -> None:
    submit = services.application_submit
    w.app_yx = submit(
        student=w.student_a, post=w.post_yx, statement="越秀甲生的个人陈述", actor=None
    )
    w.app_offer = submit(student=w.student_a, post=w.post_yx2, actor=None)
    services.application_offer(actor=None, application=w.app_offer)
    app_b = submit(student=w.student_b, post=w.post_yx, actor=None)
    services.application_offer(actor=None, application=app_b)
    w.placement_b = services.offer_confirm(actor=None, application=app_b)
    w.log_b = PracticeLog.objects.create(
        placement=w.placement_b, day=w.post_yx.starts_on, hours=6, content="越秀乙生的实践日志"
    )
    app_c = submit(student=w.student_c, post=w.post_yx2, actor=None)
    services.application_offer(actor=None, application=app_c)
    w.placement_c = services.offer_confirm(actor=None, application=app_c)
    Placement.objects.filter(pk=w.placement_c.pk).update(
        status="completed",
        rating="good",
        hours=20,
        comment="越秀丙生表现良好",
        certificate_code="YXCERT000001",
        completed_at=timezone.now(),
    )
    w.app_th = submit(student=w.th_student, post=w.post_th, actor=None)
    w.round = rounds.round_run(county=w.yuexiu, season=w.season, actor=w.yx_staff)
    w.outcome = MatchingOutcome.objects.filter(round=w.round).first()
    SupplementaryRound.objects.create(county=w.yuexiu, season=w.season)
    audit_record(Action.ACCOUNT_CREATE, target=w.yx_host, region=w.yuexiu, actor=w.yx_staff)


def _build_away(w: SimpleNamespace) -> None:
    """越秀区's student at 北京大学, placed at 越秀's 文化馆 and evaluated: 北京大学 reads that
    placement and its credit, and nothing else of 越秀's."""
    w.pku_student = _student(w, "越秀北大生", "13711110021", university=w.pku)
    application = services.application_submit(
        student=w.pku_student, post=w.post_yx_other, actor=None
    )
    services.application_offer(actor=None, application=application)
    w.placement_pku = services.offer_confirm(actor=None, application=application)
    Placement.objects.filter(pk=w.placement_pku.pk).update(
        status="completed",
        rating="excellent",
        hours=32,
        certificate_code="PKCERT000001",
        completed_at=timezone.now(),
    )


@pytest.fixture(scope="module")
def matrix(django_db_setup, django_db_blocker) -> Iterator[SimpleNamespace]:
    name = str(connection.settings_dict["NAME"])
    assert "test" in name or "memory" in name, f"refusing to build the world in {name}"
    with django_db_blocker.unblock(), transaction.atomic():
        w = _build_world()
        # One signed-in session per role, made once: signing in costs more than most requests.
        # Each has passed both factors (password and authenticator), so the walkers hold with
        # STAFF_TWO_FACTOR on as off; test_half_signed_in_staff_reach_no_page signs in with the
        # password alone.
        w.sessions = {}
        for role in ALL_ROLES + DUTIES:
            if role != "anonymous":
                signed_in = Client()
                verified_login(signed_in, user_of(w, role))
                w.sessions[role] = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
        yield w
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def sessions_never_idle(settings):
    """The sessions above live as long as the module (half an hour and more on a busy machine),
    and what a request writes to them is rolled back with its test: the staff idle lock
    (accounts/twofactor.py, tests/accounts/test_idle_lock.py) would end them mid-walk."""
    settings.STAFF_IDLE_MINUTES = 0


# --- roles --------------------------------------------------------------------------------------

OWNERS = (
    "yx_staff",
    "yx_host",
    "gz_staff",
    "province_staff",
    "uni_staff",
    "student_a",
    "student_b",
    "student_c",
)
FOREIGN = (
    "th_staff",  # county staff of another county
    "th_host",  # host-unit staff of another unit
    "yx_other_host",  # host-unit staff of another unit in the same county
    "mz_staff",  # city staff of another city
    "gx_staff",  # provincial staff of another province
    "scut_staff",  # university staff of another university
    "bj_staff",  # provincial staff of another province (北京市)
    "pku_staff",  # a university of another province with a student from 越秀 (北京大学)
    "whu_staff",  # a university of another province with no students here (武汉大学)
    "th_student",  # a student of another county and university
    "neighbour",  # a student of the same county and university who does not own the object
    "anonymous",
)
ALL_ROLES = OWNERS + FOREIGN
# The admin duties (三权分立): each is walked as a foreign role over every route but its own
# (DUTY_ROUTES): none of them reaches 越秀's data, a student's page or the ledger.
DUTIES = ("sysadmin", "secadmin", "auditadmin")
DUTY_ROUTES: dict[str, set[str]] = {
    "sysadmin": set(),  # provincial accounts and /admin/: nothing of 越秀's
    "secadmin": {
        "accounts:security_accounts",
        "accounts:account_detail",
        "accounts:account_two_factor_reset",
    },
    "auditadmin": {"accounts:audit_log"},
}


def user_of(w: SimpleNamespace, role: str) -> User | None:
    if role == "anonymous":
        return None
    person = getattr(w, role)
    return person.user if hasattr(person, "user") else person


def login(client: Client, w: SimpleNamespace, role: str) -> User | None:
    client.cookies.pop(settings.SESSION_COOKIE_NAME, None)
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = w.sessions[role]
    return user_of(w, role)


# What each foreign role must never read: 越秀's students' personal data, and (for everyone but
# the neighbour, who legitimately sees the county's posts) the county's units, posts and staff.
PERSONAL_MARKERS = (
    "越秀甲生",
    "越秀乙生",
    "越秀丙生",
    "13711110001",
    "13711110002",
    "13711110003",
    "越秀甲生的专属通知",
    "越秀甲生的个人陈述",
    "越秀乙生的实践日志",
    "YXCERT000001",
    "越秀台账人员",  # the ledger's own entry (also in its contact log)
    "13733330001",
    "越秀导入人员",  # the row of the pending import
)
SCOPE_MARKERS = (
    "越秀区图书馆",
    "越秀图书馆阅读推广员",
    "越秀社区服务岗",
    "越秀草稿岗位",
    "yuexiu",  # the county officer's login, also in "yuexiu_host" and the audit log
    "中山大学",
    "越秀中学校友群",
    "越秀台账通知",
    "越秀集中交流活动",
    "广州返家乡岗位开发",  # 广州市's progress report
    "中山大学返家乡动员",  # 中山大学's draft progress report
    *summary_matrix.MARKERS,
    *outcomes_matrix.MARKERS,
    *safety_matrix.MARKERS,
    *universities_matrix.MARKERS,
)


def markers_for(role: str) -> tuple[str, ...]:
    return PERSONAL_MARKERS if role == "neighbour" else PERSONAL_MARKERS + SCOPE_MARKERS


# --- the tables ---------------------------------------------------------------------------------

Builder = Callable[[SimpleNamespace], dict]


def _none(w: SimpleNamespace) -> dict:
    return {}


@dataclass(frozen=True)
class Public:
    reason: str
    kwargs: Builder = _none
    actor: str = "anonymous"  # who posts in the CSRF walker


@dataclass(frozen=True)
class Protected:
    owner: str  # a role that may use the URL on 越秀's object (the control request)
    kwargs: Builder = _none
    data: Callable[[SimpleNamespace, str], dict] = lambda w, role: {}  # what a POST sends
    owner_data: Callable[[SimpleNamespace, str], dict] | None = None  # owner's POST, if different
    queries: tuple[dict, ...] = ({},)  # each GET is made with each of these query strings
    page: bool = False  # a page of the user's own scope: 200 is fine, 越秀's markers are not
    shows: tuple[str, ...] = ()  # what the owner sees there, so the markers above mean something
    owner_succeeds: bool = False  # the owner's POST of `data` succeeds: the payload is valid
    no_control: str = ""  # why no owner can reach the object (the control test is skipped)
    get_audited: bool = False  # a GET download writes its audit event (an INSERT, nothing else)


PUBLIC: dict[str, Public] = {
    "home": Public("the landing page; signed-in staff see only counts of their own scope"),
    "favicon": Public("a redirect to the portal's icon, a static file"),
    "accounts:login": Public("signing in"),
    "accounts:logout": Public("ends the caller's own session only", actor="yx_staff"),
    "accounts:password_reset": Public(
        "找回密码: the same answer for every name; a link goes only to the account's own address"
    ),
    "accounts:password_reset_done": Public("the same page after every request"),
    "accounts:password_reset_confirm": Public(
        "the e-mailed link: only its own one-time token opens the form (here a wrong one)",
        lambda w: {"uidb64": "MQ", "token": "set-password"},
    ),
    "accounts:password_reset_complete": Public("a page saying the password was set"),
    "students:register": Public("students register themselves"),
    "students:privacy": Public("the privacy notice students read before registering"),
    "positions:search": Public("the public search of published posts"),
    "positions:public_detail": Public(
        "a published post's public page (drafts are 404)", lambda w: {"pk": w.post_yx.pk}
    ),
    "positions:region_options": Public("the region lists of the public search"),
    "students:verify": Public("anyone checks a certificate by its code"),
    "helpcentre:index": Public("帮助中心: the guides hold the demo's screens, no one's data"),
    "helpcentre:guide": Public(
        "a role's guide, for anyone to learn from", lambda w: {"role": "county"}
    ),
    "helpcentre:manual": Public("the same guide as a printable manual", lambda w: {"role": "host"}),
    "students:university_search": Public(
        "the registration form's type-ahead over the national register (public reference data)"
    ),
    "ledger:notice_read": Public(
        "the recipient's own signed link (portal notice or e-mail); it shows only that notice",
        lambda w: {"token": delivery_token(w.delivery)},
    ),
    **api_matrix.public(Public),
}


def _pk(attr: str) -> Builder:
    return lambda w: {"pk": getattr(w, attr).pk}


def _post_pk(attr: str) -> Builder:
    return lambda w: {"post_pk": getattr(w, attr).pk}


def _post_form(w: SimpleNamespace, role: str = "") -> dict:
    """A complete post for 越秀's host unit: only the scope can refuse it."""
    starts = w.season.practice_starts
    return {
        "host_unit": w.unit_yx.pk,
        "season": w.season.pk,
        "title": "越界创建的岗位",
        "category": "rural",
        "headcount": "2",
        "description": "越界",
        "duties": "越界",
        "place": "越界",
        "starts_on": starts.isoformat(),
        "ends_on": (starts + datetime.timedelta(days=14)).isoformat(),
        "hours": "9:00-17:00",
        "contact_name": "越界",
        "contact_phone": "13800138000",
    }


def _host_unit_form(w: SimpleNamespace, role: str = "") -> dict:
    return {
        "kind": "government",
        "name": "越界改名的单位",
        "contact_name": "越界",
        "contact_phone": "13800138000",
        "is_active": "on",
        "county": w.tianhe.pk,  # not a form field: the county never comes from the request
    }


def _account_form(w: SimpleNamespace, role: str) -> dict:
    """An account for 越秀's scope, of the role the requester may open (host when none)."""
    user = user_of(w, role)
    child = CHILD_ROLES.get(getattr(user, "role", ""), (Role.HOST,))[0]
    return {
        "role": child,
        "name": "越界账号",
        "username": "intruder",
        "phone": "13800138000",
        "password": "Intruder-pass-2026",
        "host_unit": w.unit_yx.pk,
        "region": w.guangzhou.pk if child == Role.CITY else w.yuexiu.pk,
        "university": w.zsu.pk,
    }


def _season_gx(w: SimpleNamespace, role: str) -> dict:
    # The season is the only choice these forms offer; a county's own season is its own
    # business, so the foreign case is another province's season.
    return {"season": w.season_gx.pk}


def _season(w: SimpleNamespace, role: str) -> dict:
    return {"season": w.season.pk}


def _entry_form(w: SimpleNamespace, role: str = "") -> dict:
    return {
        "name": "越界改名的人员",
        "phone": "13800138000",
        "source": "alumni",
        "intention": "yes",
        "channels": [w.channel.pk],
    }


def _channel_form(w: SimpleNamespace, role: str = "") -> dict:
    return {"kind": "alumni", "name": "越界改名的渠道", "contact": "越界联络人"}


def _event_form(w: SimpleNamespace, role: str = "") -> dict:
    return {
        "season": w.season.pk,
        "title": "越界改名的活动",
        "date": w.season.practice_starts.isoformat(),
        "place": "越界地点",
    }


# Payloads hold no marker: a form shown again with its errors repeats what was posted.
# The create pages of the ledger take the county from the requester, so another county's valid
# payload would rightly fill its own ledger: these payloads lack a required field instead.
_INCOMPLETE_ENTRY = {"phone": "13800138000", "source": "other", "intention": "undecided"}


PROTECTED: dict[str, Protected] = {
    # accounts
    "accounts:password_change": Protected(
        "student_a",
        page=True,
        data=lambda w, r: {"old_password": "wrong", "new_password1": "x", "new_password2": "y"},
    ),
    "accounts:notice_list": Protected("student_a", page=True, shows=("越秀甲生的专属通知",)),
    # Marks the caller's own notices read; anyone's POST touches only their own rows.
    "accounts:notices_read": Protected("student_a", page=True),
    "accounts:audit_log": Protected(
        "province_staff",
        page=True,
        queries=({}, {"export": "csv"}),  # the export has its own exporter, scoped separately
        shows=("yuexiu",),
        get_audited=True,
    ),
    "accounts:mail_failures": Protected("province_staff", page=True, shows=("越秀台账通知",)),
    "accounts:account_list": Protected("yx_staff", page=True, shows=("yuexiu_host",)),
    "accounts:account_create": Protected(
        "yx_staff", page=True, data=_account_form, shows=("越秀区图书馆",), owner_succeeds=True
    ),
    "accounts:account_detail": Protected("yx_staff", _pk("yx_host")),
    "accounts:account_set_active": Protected(
        "yx_staff", _pk("yx_host"), data=lambda w, r: {"active": "0"}
    ),
    # A temporary password (shown once): the level above for staff, the hometown county for a
    # student; readers (the city and province above, the student's university) get 403.
    "accounts:account_password_reset": Protected("yx_staff", _pk("yx_host")),
    "students:student_password_reset": Protected("yx_staff", _pk("student_a")),
    # Two-factor sign-in (issue 21): each user's own pages; the reset is the level above's.
    "accounts:two_factor": Protected("yx_staff", page=True, shows=("已启用",)),
    "accounts:two_factor_verify": Protected("yx_staff", page=True),
    "accounts:two_factor_setup": Protected("student_a", page=True),
    # The payload is empty: a wrong code would count (and audit) a failure against the caller.
    "accounts:two_factor_disable": Protected("student_a", page=True),
    "accounts:two_factor_codes": Protected("yx_staff", page=True),
    "accounts:account_two_factor_reset": Protected("gz_staff", _pk("yx_staff")),
    "accounts:security_accounts": Protected("secadmin", page=True, shows=("yuexiu",)),
    # positions
    "positions:host_unit_list": Protected("yx_staff", page=True, shows=("越秀区图书馆",)),
    "positions:host_unit_create": Protected(
        # The county is the requester's own; the payload lacks "kind" so nothing is created
        # even for a legitimate county (the walker wants no change at all).
        "yx_staff",
        page=True,
        data=lambda w, r: {"name": "越界单位", "county": w.yuexiu.pk},
    ),
    "positions:host_unit_detail": Protected("yx_staff", _pk("unit_yx")),
    "positions:host_unit_edit": Protected(
        "yx_staff", _pk("unit_yx"), data=_host_unit_form, owner_succeeds=True
    ),
    "positions:post_list": Protected("yx_staff", page=True, shows=("越秀图书馆阅读推广员",)),
    "positions:post_create": Protected(
        "yx_staff", page=True, data=_post_form, shows=("越秀区图书馆",), owner_succeeds=True
    ),
    "positions:post_detail": Protected("yx_staff", _pk("draft_yx")),
    "positions:post_edit": Protected(
        "yx_staff", _pk("draft_yx"), data=_post_form, owner_succeeds=True
    ),
    "positions:post_publish": Protected("yx_staff", _pk("draft_yx")),
    "positions:post_close": Protected("yx_staff", _pk("post_yx")),
    "positions:post_cancel": Protected("yx_staff", _pk("post_yx")),
    # students: universities and the student's own pages
    "students:university_list": Protected(
        "province_staff", page=True, data=lambda w, r: {"name": "", "code": ""}, shows=("中山大学",)
    ),
    "students:university_rename": Protected(
        "province_staff",
        _pk("zsu"),
        data=lambda w, r: {"name": "越界改名的大学"},
        shows=("中山大学",),
        owner_succeeds=True,
    ),
    "students:me": Protected("student_a", page=True, shows=("越秀甲生", "越秀图书馆阅读推广员")),
    "students:profile": Protected("student_a", page=True, shows=("越秀甲生",)),
    "students:my_data": Protected(
        "student_a", page=True, shows=("越秀甲生", "越秀甲生的个人陈述"), get_audited=True
    ),
    "students:erase": Protected(
        "student_a", page=True, data=lambda w, r: {"password": "Wrong-password-2026"}
    ),
    "students:supplementary": Protected("student_a", page=True, shows=("越秀社区服务岗",)),
    "students:apply": Protected(
        "student_a",
        _post_pk("draft_yx"),
        data=lambda w, r: {"statement": "越界报名"},
        no_control="a draft takes no applications from anyone; it is 越秀 staff's alone",
    ),
    "students:withdraw": Protected("student_a", _pk("app_yx")),
    "students:move_up": Protected("student_a", _pk("app_yx")),
    "students:confirm": Protected("student_a", _pk("app_offer")),
    "students:decline": Protected("student_a", _pk("app_offer")),
    "students:checkin": Protected(
        "student_b", _pk("placement_b"), data=lambda w, r: {"code": w.placement_b.checkin_code}
    ),
    "students:log_add": Protected(
        "student_b",
        _pk("placement_b"),
        data=lambda w, r: {
            "day": (w.post_yx.starts_on + datetime.timedelta(days=1)).isoformat(),
            "hours": "5",
            "content": "越界日志",
        },
    ),
    "students:certificate": Protected("student_c", _pk("placement_c")),
    # students: the county's students and identity corrections (issue 15)
    "students:county_students": Protected(
        "yx_staff", page=True, queries=({}, {"q": "越秀"}), shows=("越秀甲生", "越秀北大生")
    ),
    "students:identity_correct": Protected(
        "yx_staff",
        _pk("student_a"),
        data=lambda w, r: {
            "name": "越界改名",
            "university": w.zsu.code,
            "student_number": w.student_a.student_number,
            "hometown_province": "440000",
            "hometown_city": "440100",
            "hometown": "440106",
            "reason": "越界更正",
        },
        shows=("越秀甲生",),
    ),
    # students: selection by the county and the host unit
    "students:post_applicants": Protected("yx_staff", _post_pk("post_yx"), shows=("越秀甲生",)),
    "students:post_applicants_export": Protected(
        "yx_staff",
        _post_pk("post_yx"),
        queries=({"format": "csv"}, {"format": "xlsx"}),  # content_of reads inside the XLSX
        shows=("越秀甲生",),
        get_audited=True,
    ),
    "students:host_rank": Protected("yx_host", _pk("app_yx"), data=lambda w, r: {"host_rank": "1"}),
    "students:shortlist": Protected("yx_staff", _pk("app_yx")),
    "students:reject": Protected("yx_staff", _pk("app_yx")),
    "students:offer": Protected("yx_staff", _pk("app_yx")),
    "students:reveal": Protected("yx_staff", _pk("app_yx")),
    "students:placement_list": Protected("yx_staff", page=True, shows=("越秀乙生", "越秀丙生")),
    "students:placement_report": Protected("yx_staff", _pk("placement_b")),
    "students:placement_train": Protected("yx_staff", _pk("placement_b")),
    "students:placement_evaluate": Protected(
        "yx_host", _pk("placement_b"), data=lambda w, r: {"rating": "excellent"}
    ),
    "students:placement_drop": Protected(
        "yx_staff", _pk("placement_b"), data=lambda w, r: {"reason": "越界终止"}
    ),
    "students:log_confirm": Protected("yx_host", _pk("log_b")),
    # students: matching rounds
    "students:matching": Protected("yx_staff", page=True, shows=("越秀甲生",)),
    "students:matching_run": Protected("yx_staff", page=True, data=_season_gx, owner_data=_season),
    "students:matching_publish": Protected("yx_staff", _pk("round")),
    "students:matching_toggle": Protected("yx_staff", _pk("outcome")),
    "students:supplementary_open": Protected(
        "yx_staff", page=True, data=_season_gx, owner_data=_season
    ),
    # students: universities
    "students:university_students": Protected("uni_staff", page=True, shows=("越秀乙生",)),
    "students:university_students_export": Protected(
        "uni_staff",
        page=True,
        queries=({"format": "csv"},),
        shows=("越秀乙生",),
        get_audited=True,
    ),
    "students:clearance": Protected(
        "uni_staff", lambda w: {"pk": w.app_yx.pk, "kind": "performance"}
    ),
    # schedule: the calendar, plans and onboarding
    "schedule:calendar": Protected("gz_staff", page=True, shows=("越秀区",)),
    "schedule:calendar_edit": Protected(
        "province_staff", _pk("programme_year"), data=lambda w, r: {"quota_per_county": ""}
    ),
    "schedule:programme_year_new": Protected(
        "province_staff", page=True, data=lambda w, r: {"year": ""}
    ),
    "schedule:summary_done": Protected("province_staff", _pk("programme_year")),
    # Runs the caller's own province's enforcement (after commit, so never in this test).
    "schedule:enforce_now": Protected("province_staff", page=True),
    "schedule:unit_extend": Protected(
        "province_staff", _pk("unit_yx_onboard"), data=lambda w, r: {"new_due": "", "reason": ""}
    ),
    "schedule:unit_excuse": Protected(
        "province_staff", _pk("unit_yx_onboard"), data=lambda w, r: {"reason": ""}
    ),
    "schedule:plan": Protected("yx_staff", page=True, shows=("越秀区实施方案.pdf",)),
    "schedule:plan_detail": Protected(
        "gz_staff",
        _pk("plan_yx"),
        data=lambda w, r: {"decision": ""},
        shows=("越秀区实施方案.pdf",),
    ),
    "schedule:plan_download": Protected("yx_staff", _pk("plan_yx")),
    "schedule:plan_version_download": Protected(
        "yx_staff", lambda w: {"pk": w.plan_yx.pk, "number": 1}
    ),
    "schedule:milestone_new": Protected(
        "province_staff", _pk("programme_year"), data=lambda w, r: {"title": ""}
    ),
    "schedule:milestone_edit": Protected(
        "province_staff", _pk("custom_milestone"), data=lambda w, r: {"title": ""}
    ),
    "schedule:milestone_delete": Protected("province_staff", _pk("custom_milestone")),
    "schedule:unit_done": Protected("yx_staff", _pk("unit_yx_custom"), shows=("全省统一行动日",)),
    "schedule:unit_done_download": Protected("uni_staff", _pk("unit_zsu_custom")),
    "schedule:university_calendar": Protected("uni_staff", page=True, shows=("全省统一行动日",)),
    "schedule:progress_list": Protected("gz_staff", page=True, shows=("第二季度推进情况",)),
    "schedule:progress_edit": Protected(
        "gz_staff",
        lambda w: {"pk": w.programme_year.pk, "quarter": "q3"},
        page=True,  # each city and university fills in its own: never 广州市's
    ),
    "schedule:progress_detail": Protected(
        "gz_staff", _pk("progress_gz"), shows=("广州返家乡岗位开发",)
    ),
    "schedule:progress_export": Protected(
        "gz_staff", _pk("progress_gz"), shows=("广州返家乡岗位开发",), get_audited=True
    ),
    "schedule:onboarding": Protected("yx_staff", page=True, data=lambda w, r: {"contact_name": ""}),
    # ledger: 越秀's contact ledger. The county writes; its city and province only read (403 on
    # any change); every other role gets 404. The `county` filter is tried as a way around scope.
    "ledger:entry_list": Protected(
        "gz_staff", page=True, queries=({}, {"county": "440104"}), shows=("越秀台账人员",)
    ),
    "ledger:entry_create": Protected(
        "yx_staff", page=True, data=lambda w, r: _INCOMPLETE_ENTRY, shows=("越秀中学校友群",)
    ),
    "ledger:entry_detail": Protected("gz_staff", _pk("entry"), shows=("越秀台账人员的联系记录",)),
    "ledger:entry_edit": Protected(
        "yx_staff", _pk("entry"), data=_entry_form, shows=("越秀台账人员",), owner_succeeds=True
    ),
    "ledger:entry_delete": Protected("yx_staff", _pk("entry_dup")),
    "ledger:entry_merge": Protected(
        "yx_staff", _pk("entry"), data=lambda w, r: {"other": w.entry_dup.pk}
    ),
    "ledger:contact_add": Protected(
        "yx_staff",
        _pk("entry"),
        data=lambda w, r: {"date": "2025-07-16", "method": "phone", "content": "越界联系"},
        owner_succeeds=True,
    ),
    "ledger:registration_add": Protected(
        "yx_staff",
        _pk("entry"),
        data=lambda w, r: {"kind": "startup", "year": "2025", "organisation": "越界项目"},
    ),
    "ledger:duplicates": Protected("yx_staff", page=True, shows=("越秀台账人员",)),
    "ledger:export": Protected(
        "yx_staff",
        page=True,
        queries=({}, {"county": "440104"}),
        shows=("越秀台账人员", "13733330001"),
        get_audited=True,
    ),
    "ledger:template": Protected("gz_staff", page=True),  # the empty template: no one's data
    "ledger:import_upload": Protected("yx_staff", page=True, shows=("越秀台账导入.xlsx",)),
    "ledger:import_job": Protected("yx_staff", _pk("import_job"), shows=("越秀导入人员",)),
    "ledger:import_confirm": Protected("yx_staff", _pk("import_job")),
    "ledger:channel_list": Protected("gz_staff", page=True, shows=("越秀中学校友群",)),
    "ledger:channel_create": Protected(
        "yx_staff", page=True, data=lambda w, r: {"name": "越界渠道"}
    ),
    "ledger:channel_detail": Protected(
        "gz_staff", _pk("channel"), shows=("越秀中学校友群", "越秀台账人员")
    ),
    "ledger:channel_edit": Protected(
        "yx_staff", _pk("channel"), data=_channel_form, owner_succeeds=True
    ),
    "ledger:notice_list": Protected("gz_staff", page=True, shows=("越秀台账通知",)),
    "ledger:notice_create": Protected(
        "yx_staff", page=True, data=lambda w, r: {"category": "activity", "body": "越界"}
    ),
    "ledger:notice_detail": Protected(
        "gz_staff", _pk("ledger_notice"), shows=("越秀台账通知", "越秀台账人员")
    ),
    "ledger:event_list": Protected("gz_staff", page=True, shows=("越秀集中交流活动",)),
    "ledger:event_create": Protected(
        "yx_staff",
        page=True,
        data=lambda w, r: _event_form(w) | _season_gx(w, r),
        owner_data=_event_form,
    ),
    "ledger:event_detail": Protected(
        "yx_staff",
        _pk("event"),
        data=lambda w, r: {"people": id_number_make(122)},  # attendance, by ID number
        shows=("越秀集中交流活动", "越秀台账人员"),
        owner_succeeds=True,
    ),
    "ledger:event_edit": Protected("yx_staff", _pk("event"), data=_event_form, owner_succeeds=True),
    "ledger:event_materials": Protected(
        "yx_staff",
        _pk("event"),
        data=lambda w, r: {"materials": ContentFile(png(), name="越界照片.png")},
        owner_succeeds=True,
    ),
    "ledger:event_material": Protected(
        "gz_staff", lambda w: {"pk": w.event.pk, "material_pk": w.material.pk}
    ),
    "ledger:event_material_delete": Protected(
        "yx_staff", lambda w: {"pk": w.event.pk, "material_pk": w.material.pk}
    ),
    "ledger:registration_list": Protected(
        "gz_staff", page=True, shows=("越秀台账人员", "越秀区某街道办")
    ),
    "ledger:registration_decide": Protected(
        "yx_staff", _pk("registration"), data=lambda w, r: {"decision": "verify"}
    ),
    # credits: 越秀's completed placements of 中山大学's students, for 中山大学 only.
    "students:credits": Protected(
        "uni_staff",
        page=True,
        queries=({}, {"season": "summer"}),
        data=lambda w, r: {"hours_per_credit": ""},
        shows=("越秀丙生", "YXCERT000001"),
    ),
    "students:credits_export": Protected(
        "uni_staff",
        page=True,
        queries=({}, {"format": "csv"}),
        shows=("越秀丙生", "YXCERT000001"),
        get_audited=True,
    ),
    # summary: 越秀's score, case and photo; 团省委's briefings (tests/summary/access_matrix.py).
    **summary_matrix.routes(Protected, _pk),
    **outcomes_matrix.routes(Protected, _pk),
    **safety_matrix.routes(Protected, _pk),  # tests/safety/access_matrix.py
    **universities_matrix.routes(Protected, _pk),
    **api_matrix.routes(Protected, _pk),  # the token page (tests/api/access_matrix.py)
    # dashboards: 越秀's figures, read by its county, city and province; nobody writes.
    "dashboards:home": Protected("gz_staff", page=True),  # a redirect to the user's own region
    "dashboards:region": Protected(
        "gz_staff", lambda w: {"code": w.yuexiu.code}, shows=("越秀区数据看板",)
    ),
    "dashboards:export": Protected(
        "province_staff",
        lambda w: {"code": w.yuexiu.code, "table": "units"},
        shows=("越秀区",),
        get_audited=True,
    ),
}

# Public GETs counted per client address (accounts/throttle.py): their one write is the counter.
THROTTLED_GETS = {"students:university_search", "students:verify", "api:certificate"}

# The token operations of /api/v1/: walked with tokens, not sessions (tests/api/access_matrix.py).
API_OPERATIONS = api_matrix.OPERATIONS

# Real findings, kept visible: (url name, role) → what happens. strict: a fix makes them fail.
KNOWN_LEAKS: dict[tuple[str, str], str] = {}
GET_WRITES: dict[str, str] = {}


# --- walking the resolver -----------------------------------------------------------------------


def walk(patterns=None, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    """(name, route) of every pattern, with namespaces, admin and static files left out."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = ":".join(n for n in (namespace, pattern.namespace) if n)
            if inner.split(":")[0] == "admin":
                continue  # Django's admin: see test_admin_refuses_everyone_but_superusers
            yield from walk(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.callback is serve:
                continue  # static and media files in DEBUG
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name or f"<unnamed {route}>", route


def _classified() -> list[str]:
    return sorted({name for name, _route in walk() if name in PUBLIC or name in PROTECTED})


CLASSIFIED = _classified()
WALKED_PROTECTED = [n for n in CLASSIFIED if n in PROTECTED]


def _url(w: SimpleNamespace, name: str) -> str:
    entry = PUBLIC.get(name) or PROTECTED[name]
    return reverse(name, kwargs=entry.kwargs(w))


def _queries(name: str) -> tuple[dict, ...]:
    return PROTECTED[name].queries if name in PROTECTED else ({},)


def test_every_url_pattern_is_classified():
    """A new view must be added to PUBLIC or PROTECTED before the walkers can check it."""
    found = dict(walk())
    unclassified = sorted(
        n for n in found if n not in PUBLIC and n not in PROTECTED and n not in API_OPERATIONS
    )
    both = sorted(set(PUBLIC) & set(PROTECTED))
    stale = sorted((set(PUBLIC) | set(PROTECTED) | set(API_OPERATIONS)) - set(found))
    assert not unclassified, (
        "URL patterns in neither PUBLIC nor PROTECTED of tests/security/test_access_matrix.py: "
        + ", ".join(f"{n} ({found[n]})" for n in unclassified)
    )
    assert not both, f"in both PUBLIC and PROTECTED: {both}"
    assert not stale, f"in the tables but no longer a URL pattern: {stale}"


# --- checks shared by the walkers ---------------------------------------------------------------

# The audit chains' heads move with every audit event, which the snapshot checks itself.
EXCLUDED_MODELS = {
    "sessions.session",
    "contenttypes.contenttype",
    "auth.permission",
    "accounts.auditchain",
}


def snapshot(requester: User | None) -> dict[str, list[dict]]:
    """Every row of every table that a request could change, minus what signing in and reading
    may touch: sessions, django-axes, last_login, the requester's own notices' read mark, the
    requester's own download (export) audit events, and the calendar check a province queues for
    itself."""
    state = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if label in EXCLUDED_MODELS or model._meta.app_label == "axes":
            continue
        rows = list(model._default_manager.order_by("pk").values())
        if model is User:
            rows = [{k: v for k, v in r.items() if k != "last_login"} for r in rows]
        elif model is Notice and requester is not None:
            rows = [r | {"read_at": None} if r["user_id"] == requester.pk else r for r in rows]
        elif model is AuditEvent and requester is not None:
            rows = [r for r in rows if not (r["actor_id"] == requester.pk and _is_read(r))]
        elif model is QueuedTask and requester is not None:
            # A province's 立即核对进度 queues the calendar check of its own province only.
            rows = [r for r in rows if r["args"][1:] != [requester.region_id]]
        state[label] = rows
    return state


def _is_read(event: dict) -> bool:
    return event["action"] in (Action.EXPORT, Action.DATA_DOWNLOAD)


def state_diff(before: dict, after: dict) -> list[str]:
    changed = []
    for label, rows in after.items():
        if rows != before[label]:
            old = {r.get("id"): r for r in before[label]}
            new = {r.get("id"): r for r in rows}
            added = [pk for pk in new if pk not in old]
            gone = [pk for pk in old if pk not in new]
            edited = [pk for pk in new if pk in old and new[pk] != old[pk]]
            changed.append(f"{label}: added {added} removed {gone} changed {edited}")
    return changed


def content_of(response) -> str:
    if getattr(response, "streaming", False):
        body = b"".join(response.streaming_content)
    else:
        body = response.content
    content_type = response.get("Content-Type", "")
    if content_type.startswith(XLSX_TYPE):
        return _xlsx_text(body)
    text = body.decode("utf-8", errors="replace")
    if content_type.startswith("application/json"):
        try:
            text = json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            pass
    return text


def _xlsx_text(body: bytes) -> str:
    """An XLSX is zipped XML (openpyxl writes Chinese as &#...; references): its text, read from
    inside, so markers can be looked for in downloads too."""
    if not zipfile.is_zipfile(io.BytesIO(body)):
        return body.decode("utf-8", errors="replace")
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        parts = [archive.read(n) for n in archive.namelist() if n.endswith(".xml")]
    return html.unescape(b"".join(parts).decode("utf-8", errors="replace"))


def is_login_redirect(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("accounts:login")
    )


def refusal_problem(route: Protected, role: str, method: str, response) -> str | None:
    """What is wrong with a foreign role's response, or None."""
    status = response.status_code
    if role == "anonymous":
        ok = is_login_redirect(response) or status in (403, 404, 405)
    elif is_login_redirect(response):
        return f"{method} sent {role} to the login page: their session is broken, not refused"
    elif route.page:
        ok = status in (200, 302, 403, 404, 405)
    else:
        ok = status in (403, 404, 405)
    if not ok:
        return f"{method} answered {status} {response.get('Location', '')}".strip()
    seen = [m for m in markers_for(role) if m in content_of(response)]
    if seen:
        return f"{method} showed {seen}"
    return None


def _cases(names: list[str], roles: tuple[str, ...], known: dict) -> list:
    return [
        pytest.param(
            name,
            role,
            id=f"{name}-{role}",
            marks=[pytest.mark.xfail(strict=True, reason=known[(name, role)])]
            if (name, role) in known
            else [],
        )
        for name in names
        for role in roles
    ]


# --- 1. foreign roles: refused, shown nothing, change nothing ----------------------------------


def _duty_cases() -> list:
    return [
        case
        for duty in DUTIES
        for case in _cases(
            [n for n in WALKED_PROTECTED if n not in DUTY_ROUTES[duty]], (duty,), KNOWN_LEAKS
        )
    ]


@pytest.mark.parametrize(
    ("name", "role"), _cases(WALKED_PROTECTED, FOREIGN, KNOWN_LEAKS) + _duty_cases()
)
def test_foreign_roles_neither_see_nor_change_yuexius_data(client, matrix, name, role):
    route = PROTECTED[name]
    url = _url(matrix, name)
    user = login(client, matrix, role)
    before = snapshot(user)
    answers = [(f"GET ?{q}" if q else "GET", client.get(url, q)) for q in route.queries]
    answers.append(("POST", client.post(url, route.data(matrix, role))))
    problems = [refusal_problem(route, role, method, answer) for method, answer in answers]
    problems = [p for p in problems if p]
    problems += [f"changed {d}" for d in state_diff(before, snapshot(user))]
    assert not problems, f"{name} as {role} ({url}): " + "; ".join(problems)


# --- 2. the owner reaches what the table points at ---------------------------------------------


@pytest.mark.parametrize("name", WALKED_PROTECTED)
def test_the_owner_reaches_what_the_table_points_at(client, matrix, name):
    route = PROTECTED[name]
    if route.no_control:
        pytest.skip(route.no_control)
    url = _url(matrix, name)
    login(client, matrix, route.owner)
    for query in route.queries:
        response = client.get(url, query)
        if response.status_code == 405:
            response = client.post(url, (route.owner_data or route.data)(matrix, route.owner))
        assert response.status_code not in (403, 404) and not is_login_redirect(response), (
            f"{name} refused its owner {route.owner}: {response.status_code}"
        )
        page = content_of(response)
        missing = [m for m in route.shows if m not in page]
        assert not missing, f"{name}?{query} as {route.owner} does not show {missing}"
    if route.owner_succeeds:
        response = client.post(url, route.data(matrix, route.owner))
        assert response.status_code == 302, f"{name}: the owner's POST of the payload failed"


# --- 3. CSRF: a POST without a token is refused, everywhere -------------------------------------

CSRF_REFUSED = "refused by CsrfViewMiddleware"


def csrf_refused(request, reason=""):
    """Installed as CSRF_FAILURE_VIEW so a CSRF 403 is told apart from a view's own 403."""
    return HttpResponseForbidden(CSRF_REFUSED)


@pytest.mark.parametrize("name", CLASSIFIED)
def test_a_post_without_a_csrf_token_is_refused(matrix, settings, name):
    settings.CSRF_FAILURE_VIEW = f"{__name__}.csrf_refused"
    # No exceptions: no view of the portal is csrf_exempt. The owner (or, for public pages, the
    # usual visitor) posts, so only the missing token can be the reason for a refusal.
    client = Client(enforce_csrf_checks=True)
    route = PROTECTED.get(name)
    role = route.owner if route else PUBLIC[name].actor
    user = login(client, matrix, role)
    data = (route.owner_data or route.data)(matrix, role) if route else {}
    before = snapshot(user)
    response = client.post(_url(matrix, name), data)
    refused = response.status_code == 403 and response.content.decode() == CSRF_REFUSED
    assert refused or response.status_code == 405, (
        f"{name} as {role} accepted a POST without a CSRF token: {response.status_code}"
    )
    assert not state_diff(before, snapshot(user))


# --- 4. a GET changes nothing, for anyone -------------------------------------------------------

WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
LAST_LOGIN = re.compile(
    r'^\s*UPDATE\s+"?accounts_user"?\s+SET\s+"?last_login"?\s*=\s*[^,]*\s+WHERE', re.IGNORECASE
)


def forbidden_write(sql: str, audited: bool, throttled: bool = False) -> bool:
    match = WRITE.match(sql)
    if not match:
        return False
    table = match.group(2).lower()
    if table == "django_session" or table.startswith("axes_") or LAST_LOGIN.match(sql):
        return False
    if throttled and table == "accounts_throttle":
        return False
    # A download records who took it (an audit INSERT, as the design asks): reading, logged.
    # The event goes onto its province's audit chain: the head's upsert and, on SQLite, its
    # update (PostgreSQL inserts and moves the head in one WITH statement).
    verb = match.group(1).upper()
    return not audited or not (
        (verb.startswith("INSERT") and table == "accounts_auditevent")
        or (verb.startswith(("INSERT", "UPDATE")) and table == "accounts_auditchain")
    )


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=GET_WRITES[n]))
        if n in GET_WRITES
        else n
        for n in CLASSIFIED
    ],
)
def test_a_get_changes_nothing(client, matrix, name):
    """Every role, owners and foreign ones, in one test per URL: a GET should leave nothing to
    roll back between them, and one test per pair would triple the module's running time."""
    url = _url(matrix, name)
    audited = name in PROTECTED and PROTECTED[name].get_audited
    failures = []
    for role in ALL_ROLES + DUTIES:
        login(client, matrix, role)
        for query in _queries(name):
            with CaptureQueriesContext(connection) as queries:
                content_of(client.get(url, query))  # a download runs its queries as it is read
            writes = [q["sql"] for q in queries.captured_queries]
            failures += [
                f"as {role}: {w}"
                for w in writes
                if forbidden_write(w, audited, throttled=name in THROTTLED_GETS)
            ]
    assert not failures, f"GET {url} wrote:\n" + "\n".join(failures)


# --- the public pages and the admin -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in CLASSIFIED if n in PUBLIC))
def test_public_pages_show_no_personal_data(client, matrix, name):
    page = content_of(client.get(_url(matrix, name)))
    assert not [m for m in PERSONAL_MARKERS if m in page]


def test_drafts_have_no_public_page(client, matrix):
    url = reverse("positions:public_detail", kwargs={"pk": matrix.draft_yx.pk})
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ALL_ROLES)
def test_admin_refuses_everyone_but_superusers(client, matrix, role):
    user = login(client, matrix, role)
    admin_login = reverse("admin:login")
    for url in (reverse("admin:index"), reverse("admin:accounts_user_changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(admin_login), url
    if user is not None:
        client.logout()
        client.post(admin_login, {"username": user.username, "password": PASSWORD})
        assert client.get(reverse("admin:index")).status_code == 302


# --- universities of other provinces (issue 15) ------------------------------------------------


def test_a_university_of_another_province_sees_its_student_from_yuexiu(client, matrix, tmp_path):
    """北京大学 reads its 越秀 student's placement, certificate and credit, and exports it."""
    login(client, matrix, "pku_staff")
    students = content_of(client.get(reverse("students:university_students")))
    assert "越秀北大生" in students and "越秀文化馆讲解员" in students
    certificate = reverse("students:certificate", kwargs={"pk": matrix.placement_pku.pk})
    assert "PKCERT000001" in content_of(client.get(certificate))
    credits = content_of(client.get(reverse("students:credits")))
    assert "越秀北大生" in credits and "PKCERT000001" in credits
    export = content_of(client.get(reverse("students:credits_export"), {"format": "csv"}))
    assert "越秀北大生" in export and "共青团广州市越秀区委员会" in export
    output = tmp_path / "pku.xlsx"
    call_command("export_credits", "--university", "4111010001", "--output", str(output))
    row = _xlsx_text(output.read_bytes())
    assert "越秀北大生" in row and "PKCERT000001" in row and "越秀丙生" not in row


def test_a_university_of_another_province_records_its_students_clearance(client, matrix):
    login(client, matrix, "pku_staff")
    application = matrix.placement_pku.application
    url = reverse("students:clearance", kwargs={"pk": application.pk, "kind": "safety"})
    assert client.post(url).status_code == 302
    event = AuditEvent.objects.get(action="clearance.record", actor=matrix.pku_staff)
    assert event.province == matrix.beijing  # Beijing's log: the university's own province


def test_a_university_with_no_students_here_sees_nothing_of_guangdong(client, matrix):
    login(client, matrix, "whu_staff")
    for name in ("students:university_students", "students:credits"):
        page = content_of(client.get(reverse(name)))
        assert "越秀北大生" not in page and "越秀丙生" not in page
    certificate = reverse("students:certificate", kwargs={"pk": matrix.placement_pku.pk})
    assert client.get(certificate).status_code == 404


@pytest.mark.parametrize("role", ["gz_staff", "province_staff", "uni_staff"])
def test_readers_of_a_student_may_not_correct_their_identity(client, matrix, role):
    login(client, matrix, role)
    url = reverse("students:identity_correct", kwargs={"pk": matrix.student_a.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"reason": "越界"}).status_code == 403


@pytest.mark.parametrize(
    ("role", "name", "target"),
    [
        ("gz_staff", "students:student_password_reset", "student_a"),
        ("province_staff", "students:student_password_reset", "student_a"),
        ("uni_staff", "students:student_password_reset", "student_a"),
        ("gz_staff", "accounts:account_password_reset", "yx_host"),
        ("province_staff", "accounts:account_password_reset", "yx_host"),
        ("secadmin", "accounts:account_password_reset", "yx_host"),
    ],
)
def test_readers_of_an_account_may_not_reset_its_password(client, matrix, role, name, target):
    user = login(client, matrix, role)
    before = snapshot(user)
    url = reverse(name, kwargs={"pk": getattr(matrix, target).pk})
    assert client.post(url).status_code == 403
    assert not state_diff(before, snapshot(user))


# --- the API's token operations: every operation × every token kind -----------------------------


def _api_call(w, name: str, token: str | None, session_role: str = ""):
    operation = API_OPERATIONS[name]
    client = Client()
    if session_role:
        login(client, w, session_role)
    url = reverse(name, kwargs=operation.kwargs(w) if operation.kwargs else {})
    headers = {"Authorization": f"Bearer {w.api[token]}"} if token else {}
    return getattr(client, operation.method)(url, headers=headers)


def _api_cases() -> list:
    return [
        pytest.param(name, token, id=f"{name}-{token}")
        for name, operation in sorted(API_OPERATIONS.items())
        for token in api_matrix.TOKEN_NAMES
        if token != operation.owner
        and not (operation.method == "get" and token in operation.readers)
    ]


def _events_unchanged(before: dict, after: dict) -> list[str]:
    # A call's own audit row (api.call / api.refused) is its one allowed write.
    ours = ("api.call", "api.refused")
    before = {
        **before,
        "accounts.auditevent": [
            e for e in before["accounts.auditevent"] if e["action"] not in ours
        ],
    }
    after = {
        **after,
        "accounts.auditevent": [e for e in after["accounts.auditevent"] if e["action"] not in ours],
    }
    return state_diff(before, after)


@pytest.mark.parametrize(("name", "token"), _api_cases())
def test_every_api_operation_refuses_other_tokens(matrix, name, token):
    """Other units' tokens read their own (nothing of 越秀's) or get 404; a read-only token's
    change is 403; a revoked or expired token is 401; nothing changes but the audit row."""
    before = snapshot(None)
    response = _api_call(matrix, name, token)
    allowed = {401} if token in ("revoked", "expired") else {200, 403, 404}
    if API_OPERATIONS[name].method == "post":
        allowed -= {200}
    assert response.status_code in allowed, f"{name} with {token}: {response.status_code}"
    assert response["Content-Type"] == "application/json"
    seen = [m for m in PERSONAL_MARKERS + SCOPE_MARKERS if m in content_of(response)]
    assert not seen, f"{name} with {token} showed {seen}"
    assert not _events_unchanged(before, snapshot(None))


@pytest.mark.parametrize("name", sorted(API_OPERATIONS))
def test_every_api_operation_serves_its_owner_token(matrix, name):
    operation = API_OPERATIONS[name]
    response = _api_call(matrix, name, operation.owner)
    assert response.status_code == 200, f"{name} refused {operation.owner}: {response.content!r}"
    missing = [m for m in operation.shows if m not in content_of(response)]
    assert not missing, f"{name} as {operation.owner} does not show {missing}"


@pytest.mark.parametrize("name", sorted(API_OPERATIONS))
@pytest.mark.parametrize("role", ["yx_staff", "uni_staff", "province_staff", "anonymous"])
def test_the_api_takes_no_session_so_needs_no_csrf(matrix, name, role):
    """A signed-in browser's cookie is not a token: 401 (so a forged cross-site POST carries
    no authority, and CSRF does not arise)."""
    before = snapshot(None)
    response = _api_call(matrix, name, None, session_role=role if role != "anonymous" else "")
    assert response.status_code == 401 and response.json()["detail"]
    assert not state_diff(before, snapshot(None))


# --- two-factor sign-in (issue 21): the password alone opens nothing -----------------------------

HALF_SIGNED_IN = ("yx_staff", "yx_host", "gz_staff", "province_staff", "uni_staff", *DUTIES)
ADMIN_PAGES = (
    "admin:index",
    "admin:accounts_user_changelist",
    "admin:accounts_auditevent_changelist",
)


@pytest.mark.parametrize("role", HALF_SIGNED_IN)
def test_half_signed_in_staff_reach_no_page(matrix, settings, role):
    """With STAFF_TWO_FACTOR on, a staff account that gave the right password but no valid code
    is sent to the code page from every URL of the tables and /admin/, on GET and on POST (with
    a valid CSRF token and the table's payload), and changes nothing. The API (/api/) takes no
    session: it answers as it answers anyone without a token."""
    settings.STAFF_TWO_FACTOR = True
    client = Client()
    user = user_of(matrix, role)
    signed_in = client.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert signed_in.status_code == 302, "the password was refused"
    code_pages = (reverse("accounts:two_factor_verify"), reverse("accounts:two_factor_setup"))
    before = snapshot(user)
    problems = []
    names = [n for n in CLASSIFIED if n not in twofactor.OPEN_WHILE_PENDING]
    for name in names:
        url = _url(matrix, name)
        route = PROTECTED.get(name)
        answers = [client.get(url, query) for query in _queries(name)]
        answers.append(client.post(url, route.data(matrix, role) if route else {}))
        if url.startswith("/api/"):  # takes no session: answers as to anyone without a token
            expected = [Client().get(url, query).status_code for query in _queries(name)]
            expected.append(
                Client().post(url, route.data(matrix, role) if route else {}).status_code
            )
            if [answer.status_code for answer in answers] != expected:
                problems.append(f"{name}: {[a.status_code for a in answers]} not {expected}")
            continue
        for answer in answers:
            location = answer.get("Location", "")
            if answer.status_code != 302 or not location.startswith(code_pages):
                problems.append(f"{name}: {answer.status_code} {location}")
    for name in ADMIN_PAGES:
        answer = client.get(reverse(name))
        if not answer.get("Location", "").startswith(code_pages):
            problems.append(f"{name}: {answer.status_code}")
    assert set(CLASSIFIED) - set(names) == twofactor.OPEN_WHILE_PENDING  # all the rest walked
    assert not problems, f"{role} without a code reached: " + "; ".join(problems)
    # The API's certificate check counts calls per address (THROTTLED_GETS), as for anyone.
    counted = "accounts.throttle: "
    assert not [d for d in state_diff(before, snapshot(user)) if not d.startswith(counted)]
