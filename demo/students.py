"""Demo students for seed_demo: every state of a season, and the ID numbers the scale data uses."""

import datetime
import functools
import re

from django.utils import timezone
from stdnum import numdb

from accounts.models import Role, User
from accounts.validators import id_number_make, id_number_set
from demo.safety import ensure_contact
from positions.models import Post, Region
from students import selectors, services
from students.models import (
    Application,
    Clearance,
    MatchingRound,
    Placement,
    PracticeLog,
    Student,
    University,
)
from students.rounds import round_run

SURNAMES = "陈李黄张梁刘林何罗郑谢杨吴叶钟"
GIVEN = [
    "晓明",
    "嘉怡",
    "子豪",
    "思琪",
    "俊杰",
    "雨桐",
    "浩然",
    "诗婷",
    "志强",
    "欣妍",
    "家豪",
    "梓涵",
]
MAJORS = [
    ("文学院", "汉语言文学"),
    ("管理学院", "公共管理"),
    ("计算机学院", "软件工程"),
    ("经济学院", "经济学"),
    ("农学院", "农学"),
    ("新闻学院", "新闻学"),
]
# What each demo student of a county has been through, in a season that has passed and in the
# one now open: together they cover every state a county and a host unit see.
PAST = ["completed", "completed", "reported", "dropped"]
CURRENT = ["applied", "shortlisted", "rejected", "offered", "confirmed", "declined", "expired"]


def id_number_for(county: str, n: int) -> str:
    """A valid ID number for someone from `county` (a code: a 镇街's nine digits start with its
    city's six), unique for each n: birthday and sequence number come from n alone."""
    birthday = datetime.date(2003, 1, 1) + datetime.timedelta(days=n // 900)
    place = birthplace_code(county[:6], birthday.year)
    return id_number_make(n % 900 + 100, place=place, born=f"{birthday:%Y%m%d}")


@functools.cache
def birthplace_code(county: str, year: int) -> str:
    """The birthplace code on the ID number of someone from `county` born in `year`.

    The number keeps the code in use at birth, and the portal's check (python-stdnum) refuses
    a code that did not exist then: 梅县区 441403 exists from 2013, before that it was 梅县
    441421; 儋州市 460400 from 2015, before that 469003. So: the county's own code if in use
    then, else the code of the same name (less 区/县/市) in use then, nearest first, else its
    city's or province's code (development zones stdnum does not know at all).
    """
    places = _birthplaces()
    if _in_use(places.get(county, ()), year):
        return county
    names = {stem for _, _, name in places.get(county, ()) for stem in (name, name[:-1])}
    earlier = [
        code
        for code, spans in places.items()
        if code[:2] == county[:2]
        and any(start <= year <= end and {name, name[:-1]} & names for start, end, name in spans)
    ]
    earlier.sort(key=lambda code: (code[:4] != county[:4], code))
    for code in [*earlier, county[:4] + "00", county[:2] + "0000"]:
        if _in_use(places.get(code, ()), year):
            return code
    raise ValueError(f"no birthplace code for {county} in {year}")


def _in_use(spans, year: int) -> bool:
    return any(start <= year <= end for start, end, _ in spans)


@functools.cache
def _birthplaces() -> dict[str, list[tuple[int, int, str]]]:
    """stdnum's table of birthplace codes (the one `ric.is_valid` reads): code → the years
    each of its names was in use, as in "[1988-2013]梅县"."""
    places = {}
    for _, province, _, _, counties in numdb.get("cn/loc").prefixes:
        for _, county, _, props, _ in counties:
            places[province + county] = [
                (int(start or 0), int(end or 9999), name)
                for start, end, name in re.findall(r"(?:\[(\d*)-(\d*)\])?([^,]+)", props["county"])
            ]
    return places


def _student(
    county: Region, university: University, n: int, username: str, password: str
) -> Student:
    found = Student.objects.filter(user__username=username).first()
    if found:
        return found
    number = id_number_for(county.code, n)
    name = SURNAMES[n % len(SURNAMES)] + GIVEN[n % len(GIVEN)]
    college, major = MAJORS[n % len(MAJORS)]
    user = User.objects.create(
        username=username,
        name=name,
        role=Role.STUDENT,
        password=password,
        email=f"{username}@example.edu.cn",
    )
    student = Student(
        user=user,
        name=name,
        phone=f"139{n:08d}"[:11],
        email=user.email,
        university=university,
        student_number=f"2023{n:06d}",
        college=college,
        major=major,
        degree="bachelor",
        grade=2023,
        graduation_year=2027,
        politics="league_member",
        is_cadre=n % 3 == 0,
        hometown=county,
        consent_version=services.PRIVACY_NOTICE_VERSION,
        consented_at=timezone.now(),
    )
    id_number_set(student, number)
    student.save(force_insert=True)
    return student


def seed_county_students(
    *,
    county: Region,
    prefix: str,
    seasons: dict,
    password: str,
    universities: list[University],
    settled: bool = False,
) -> None:
    """The county's eleven students, at the demo's Guangdong universities (not whatever the
    national register lists first). A `settled` county (the calendar's on-time story) evaluated
    every placement of the past season; the others leave one reported and waiting."""
    base = int(county.code[-4:]) * 100
    summer, winter = seasons["summer"], seasons["winter"]
    past = [("completed" if settled and s == "reported" else s) for s in PAST]
    for n, state in enumerate(past):
        student = _student(
            county, universities[n % len(universities)], base + n, f"{prefix}_s{n + 1}", password
        )
        _history(student, summer, state, n)
    for n, state in enumerate(CURRENT, start=len(PAST)):
        student = _student(
            county, universities[n % len(universities)], base + n, f"{prefix}_s{n + 1}", password
        )
        _pipeline(student, winter, state)


def seed_matching_preview(*, county: Region, season) -> None:
    """A matching round waiting in preview, so the county's matching page has something to show."""
    if not MatchingRound.objects.filter(county=county, season=season).exists():
        round_run(county=county, season=season, actor=None)


def _history(student: Student, season, state: str, n: int) -> None:
    """A placement of a season already run, recorded as it happened: one student a post, so
    no post holds more than its headcount."""
    if Placement.objects.filter(student=student, season=season).exists():
        return
    posts = list(
        Post.objects.filter(season=season, host_unit__county=student.hometown).order_by("id")
    )
    post = posts[n % len(posts)]
    application = Application.objects.create(
        student=student, post=post, season=season, rank=1, status=Application.Status.CONFIRMED
    )
    placement = Placement.objects.create(
        application=application,
        student=student,
        post=post,
        season=season,
        checkin_code=services._code(6),
    )
    Clearance.objects.get_or_create(
        student=student,
        season=season,
        defaults={"performance_certified_at": timezone.now(), "safety_trained_at": timezone.now()},
    )
    if state == "dropped":
        Placement.objects.filter(pk=placement.pk).update(
            status="dropped", drop_reason="家中有事，提前返校"
        )
        return
    Placement.objects.filter(pk=placement.pk).update(
        status="reported", reported_at=timezone.now(), trained_at=timezone.now()
    )
    for day in range(5):
        PracticeLog.objects.create(
            placement=placement,
            day=post.starts_on + datetime.timedelta(days=day),
            hours=7,
            content="协助岗位日常工作",
            confirmed_at=timezone.now(),
        )
    if state == "completed":
        # Units without an account of their own (all but the county's enterprise) were
        # evaluated by the county on their behalf (联合用人单位).
        has_account = selectors.host_unit_has_account(post.host_unit_id)
        Placement.objects.filter(pk=placement.pk).update(
            evaluated_by=Placement.Evaluator.HOST if has_account else Placement.Evaluator.ON_BEHALF,
            status="completed",
            rating="excellent" if student.pk % 2 else "good",
            hours=35,
            comment="工作认真，表现突出。",
            completed_at=timezone.now(),
            certificate_code=services._code(12),
        )


def _pipeline(student: Student, season, state: str) -> None:
    """The season now open, moved through the real services."""
    if Application.objects.filter(student=student, season=season).exists():
        return
    posts = list(
        Post.objects.filter(
            season=season, host_unit__county=student.hometown, status=Post.Status.PUBLISHED
        ).order_by("id")
    )
    if len(posts) < 2:
        return
    first = services.application_submit(
        student=student,
        post=posts[student.pk % len(posts)],
        statement="希望回家乡锻炼自己，服务家乡。",
        actor=None,
    )
    services.application_submit(
        student=student, post=posts[(student.pk + 1) % len(posts)], actor=None
    )
    if state in ("shortlisted", "offered", "confirmed", "declined"):
        services.application_host_rank(application=first, rank=1, unsuitable=False, actor=None)
        services.application_shortlist(application=first, actor=None)
    if state == "rejected":
        services.application_reject(application=first, actor=None)
    if state in ("offered", "confirmed", "declined"):
        services.application_offer(application=first, actor=None)
    if state == "expired":
        lapsed = timezone.now() - datetime.timedelta(days=services.offer_reply_days(first.post) + 1)
        services.application_offer(application=first, now=lapsed, actor=None)
        services.offers_expire(now=timezone.now(), actor=None)
    if state == "confirmed":
        ensure_contact(student)  # confirming needs one (issue 18)
        services.offer_confirm(application=first, actor=None)
    if state == "declined":
        services.offer_decline(application=first, actor=None)


# Students of the demo counties at universities in other provinces (issue 15), whose universities
# see them wherever they come from. Universities by 学校标识码: the register's name and province,
# and the short name in the students' logins. 越秀's 北京大学 student completed the past season
# (a certificate and a credit for `pku`); the others have a choice open in the current one.
AWAY_UNIVERSITIES = {
    "4111010001": ("北京大学", "110000", "pku"),
    "4142010486": ("武汉大学", "420000", "whu"),
    "4131010246": ("复旦大学", "310000", "fudan"),
}
AWAY_STUDENTS = [  # (county, university, state)
    ("440104", "4111010001", "completed"),
    ("440106", "4142010486", "applied"),
    ("441403", "4131010246", "shortlisted"),
]


def away_universities() -> dict[str, University]:
    """The three by their 学校标识码, with the register's name and province: found if the
    national register is loaded (its row is kept as it is), created if not."""
    found = {}
    for code, (name, province, _short) in AWAY_UNIVERSITIES.items():
        found[code], _ = University.objects.get_or_create(
            code=code, defaults={"name": name, "province": Region.objects.get(code=province)}
        )
    return found


def seed_away_students(*, seasons: dict, password: str) -> list[tuple[str, str]]:
    """One student of each away university from a demo county; the logins to print."""
    universities = away_universities()
    logins = []
    for county_code, code, state in AWAY_STUDENTS:
        county = Region.objects.get(code=county_code)
        short = AWAY_UNIVERSITIES[code][2]
        username = f"{COUNTY_PREFIXES[county_code]}_{short}"
        n = int(county.code[-4:]) * 100 + 50  # beside the county's own demo students' numbers
        student = _student(county, universities[code], n, username, password)
        if state == "completed":
            _history(student, seasons["summer"], state, len(PAST))  # a post of its own
        else:
            _pipeline(student, seasons["winter"], state)
        logins.append((username, f"学生 · {county.name}籍，{universities[code].name}"))
    return logins


COUNTY_PREFIXES = {"440104": "yuexiu", "440106": "tianhe", "441403": "meixian"}


def seed_open_post(*, county: Region, season, applicant: str) -> None:
    """A post of `county` opened to every student (面向所有在外高校学子), and a student of another
    county (`applicant`, whose family now lives in `county`: 常住地) choosing it third."""
    post = (
        Post.objects.filter(host_unit__county=county, season=season, category=Post.Category.RURAL)
        .order_by("id")
        .first()
    )
    student = Student.objects.filter(user__username=applicant).first()
    if post is None or student is None:
        return
    Post.objects.filter(pk=post.pk).update(audience=Post.Audience.ANYONE)
    post.audience = Post.Audience.ANYONE
    services.student_residence_set(student=student, residence=county, actor=None)
    if post.status != Post.Status.PUBLISHED or post.applications.filter(student=student).exists():
        return
    services.application_submit(
        student=student, post=post, statement="家住越秀，想在家门口参加实践。", actor=None
    )
