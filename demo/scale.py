"""`seed_demo --scale N`: a national-size data set for the benchmarks.

Every province gets the demo year's programme year (seasons and milestones from the schedule
service), every county one host unit with three posts a season, and ~60 universities are added
across the provinces. Then N students, spread round-robin over all 3,056 counties, each with
1–3 choices in the past summer season and, for a quarter of them, 1–2 in the winter season now
open, with the statuses a real season leaves behind (see `_summer` and `_winter`). Last, the
calendar is enforced once for the day, as the daily beat would: unit milestones, the lapsed
selection windows and each county's quota figures (`CountyQuota.reported`) come from the
schedule app's own code, and each scale post's headcount is raised to the places it holds.

What a student gets depends on their number alone (`random.Random(n)`), so a run is
deterministic and a second `--scale N` adds students N.. 2N-1 without clashing. Rows are
written in batches of `batch` students, one transaction each: PostgreSQL COPY on PostgreSQL,
executemany elsewhere (SQLite in the tests). Not made for scale students: practice logs,
clearances and ledger entries.
"""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from accounts.models import Role, User
from accounts.validators import id_number_digest, id_number_mask
from demo.schedule import demo_year
from demo.students import id_number_for
from fanjiaxiang.bulk import bulk_insert
from positions.models import HostUnit, Post, Region
from schedule.enforcement import enforce_calendar
from schedule.models import Season
from schedule.services import programme_year_create
from students import services
from students.models import Application, Placement, Student, University, pinyin_initials

# Scale students' ID numbers are numbered past every demo student's, so none can clash.
SCALE_OFFSET = 2_000_000
# Scale universities' codes start with 49; the MoE codes of the demo's universities with 41.
UNIVERSITY_PREFIX = "49"
UNIVERSITY_COUNT = 60
UNIT_NAME = "{county}返家乡实践服务中心"
POSTS = [  # (category, title): three a season in every county
    (Post.Category.GOVERNMENT, "政务服务助理"),
    (Post.Category.RURAL, "乡村振兴调研员"),
    (Post.Category.COMMUNITY, "社区服务志愿者"),
]
LATE_COUNTY = "441900121"  # the demo's 虎门镇 has not published its winter posts
MAJORS = [("文学院", "汉语言文学"), ("管理学院", "公共管理"), ("计算机学院", "软件工程")]
RATINGS = (["excellent"] * 30) + (["good"] * 40) + (["pass"] * 25) + (["fail"] * 5)
S = Application.Status


def seed_scale(
    *, count: int, password: str, batch: int = 10_000, students_only: bool = False, log=None
) -> int:
    """`count` more students with their applications and placements; returns how many.
    `students_only`: the students alone, at the universities there are (benchmarks that make
    their own posts and applications)."""
    today = timezone.localdate()
    if students_only:
        posts = {}
        universities = list(University.objects.order_by("code").values_list("pk", flat=True))
    else:
        posts = _posts(_programme_years(today), today)
        universities = _universities()
    counties = list(
        Region.objects.filter(level="county").order_by("code").values_list("pk", "code")
    )
    start = User.objects.filter(username__startswith="scale_").count()
    ids = _Ids()
    hashed = make_password(password)  # one hash for all: hashing a million times takes days
    made = 0
    for first in range(start, start + count, batch):
        numbers = range(first, min(first + batch, start + count))
        with transaction.atomic():
            _batch(ids, numbers, counties, universities, posts, hashed)
        made += len(numbers)
        if log:
            log(f"scale: {made}/{count} students")
    if not students_only:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the queries that follow
                cursor.execute(
                    "ANALYZE accounts_user, students_student, students_application, "
                    "students_placement, positions_post"
                )
        _headcounts()

        if log:
            log("scale: enforcing the calendar (unit milestones, selection closed, quotas)")
        enforce_calendar(day=today)
    return made


# The frame: programme years, universities, host units and posts -------------------------------


def _programme_years(today: datetime.date) -> dict[int, dict[str, Season]]:
    """Province id → {kind: season} for the demo year, made by the schedule service if new."""
    year = demo_year(today)
    seasons: dict[int, dict[str, Season]] = {}
    for province in Region.objects.filter(level="province").order_by("code"):
        programme_year = programme_year_create(province=province, year=year)
        seasons[province.pk] = {s.kind: s for s in programme_year.seasons.all()}
    return seasons


def _universities() -> list[int]:
    provinces = list(Region.objects.filter(level="province").order_by("code"))
    University.objects.bulk_create(
        [
            University(
                code=f"{UNIVERSITY_PREFIX}{province.code[:2]}{n:06d}",
                name=f"{province.name}规模演示大学{n // len(provinces) + 1}",
                province=province,
                initials=pinyin_initials(f"{province.name}规模演示大学{n // len(provinces) + 1}"),
            )
            for n, province in ((n, provinces[n % len(provinces)]) for n in range(UNIVERSITY_COUNT))
        ],
        ignore_conflicts=True,
    )
    return list(University.objects.order_by("code").values_list("pk", flat=True))


def _posts(
    seasons: dict, today: datetime.date
) -> dict[tuple[int, str], list[tuple[int, int, datetime.date, datetime.date]]]:
    """(county id, season kind) → published or closed scale posts, made where missing."""
    counties = list(Region.objects.filter(level="county").select_related("parent"))
    have = set(
        HostUnit.objects.filter(name__endswith="返家乡实践服务中心").values_list(
            "county_id", flat=True
        )
    )
    kinds = list(HostUnit.Kind.values)
    HostUnit.objects.bulk_create(
        [
            HostUnit(
                county=county,
                kind=kinds[county.pk % len(kinds)],
                name=UNIT_NAME.format(county=county.name),
                address=f"{county.parent.name}{county.name}青年路1号",
                contact_name="陈老师",
                contact_phone="13800002222",
                description="返家乡社会实践基地。",
            )
            for county in counties
            if county.pk not in have
        ],
        batch_size=1000,
    )
    units = {
        u.county_id: u
        for u in HostUnit.objects.filter(name__endswith="返家乡实践服务中心").select_related(
            "county__parent"
        )
    }
    made = set(
        Post.objects.filter(host_unit__in=units.values()).values_list("host_unit_id", "season_id")
    )
    now = timezone.now()
    new = []
    for unit in units.values():
        for season in seasons[unit.county.parent.parent_id].values():
            if (unit.pk, season.pk) in made:
                continue
            for n, (category, title) in enumerate(POSTS):
                starts = season.practice_starts + datetime.timedelta(days=7 * n)
                ends = min(starts + datetime.timedelta(days=27), season.practice_ends)
                draft = season.kind == Season.Kind.WINTER and unit.county.code == LATE_COUNTY
                status = Post.Status.DRAFT if draft else Post.Status.PUBLISHED
                if ends < today and not draft:
                    status = Post.Status.CLOSED  # a past post is recorded as it ran
                new.append(
                    Post(
                        host_unit=unit,
                        season=season,
                        title=f"{unit.county.name}{title}",
                        category=category,
                        description=f"{unit.county.name}{title}，面向本地籍在外大学生。",
                        duties="协助开展日常工作，整理资料。",
                        headcount=10,
                        place=unit.address,
                        starts_on=starts,
                        ends_on=ends,
                        hours="周一至周五 9:00-17:30",
                        contact_name="陈老师",
                        contact_phone="13800002222",
                        status=status,
                        published_at=None if draft else now - datetime.timedelta(minutes=n),
                        closed_at=now if status == Post.Status.CLOSED else None,
                    )
                )
    Post.objects.bulk_create(new, batch_size=1000)
    posts: dict[tuple[int, str], list[tuple[int, int, datetime.date, datetime.date]]] = {}
    rows = (
        Post.objects.filter(host_unit__in=units.values())
        .exclude(status__in=(Post.Status.DRAFT, Post.Status.CANCELLED))
        .order_by("id")
        .values_list(
            "pk", "host_unit__county_id", "season__kind", "season_id", "starts_on", "ends_on"
        )
    )
    for pk, county_id, kind, season_id, starts, ends in rows:
        posts.setdefault((county_id, kind), []).append((pk, season_id, starts, ends))
    return posts


def _headcounts() -> None:
    """A scale post's headcount covers the places it holds (and a few free ones)."""
    held = (
        Placement.objects.filter(post__host_unit__name__endswith="返家乡实践服务中心")
        .exclude(status=Placement.Status.DROPPED)
        .values_list("post_id")
        .annotate(n=Count("id"))
    )
    posts = []
    for post_id, n in held:
        posts.append(Post(pk=post_id, headcount=min(999, n + 1 + post_id % 5)))
    Post.objects.bulk_update(posts, ["headcount"], batch_size=2000)


# One batch of students ---------------------------------------------------------------------------


def _batch(ids, numbers, counties, universities, posts, hashed) -> None:
    now = timezone.now()
    user_ids = ids.take(User, len(numbers))
    student_ids = ids.take(Student, len(numbers))
    users: list[tuple] = []
    students: list[tuple] = []
    applications: list = []
    placements: list = []
    id_field = Student._meta.get_field("id_number")
    for n, user_id, student_id in zip(numbers, user_ids, student_ids, strict=True):
        rng = random.Random(n)  # noqa: S311  (demo data, not secrets)
        county_id, code = counties[n % len(counties)]
        username = f"scale_{n}"
        users.append(
            (user_id, username, f"学生{n}", Role.STUDENT, hashed, f"{username}@example.edu.cn")
        )
        number = id_number_for(code, SCALE_OFFSET + n)
        college, major = MAJORS[n % len(MAJORS)]
        students.append(
            (
                student_id,
                user_id,
                f"学生{n}",
                id_field.get_db_prep_save(number, connection),
                id_number_digest(number),
                id_number_mask(number),
                f"139{n % 100_000_000:08d}",
                f"{username}@example.edu.cn",
                universities[rng.randrange(len(universities))],
                f"S{n:09d}",
                college,
                major,
                rng.random() < 0.2,
                county_id,
            )
        )
        for kind, choose in (("summer", _summer), ("winter", _winter)):
            choices = posts.get((county_id, kind), [])
            if choices:
                choose(rng, n, student_id, choices, now, applications, placements)
    app_ids = ids.take(Application, len(applications))
    for row, pk in zip(applications, app_ids, strict=True):
        row[0] = pk
    bulk_insert(User, ["id", "username", "name", "role", "password", "email"], users)
    bulk_insert(
        Student,
        [
            "id",
            "user_id",
            "name",
            "id_number",
            "id_number_digest",
            "id_number_masked",
            "phone",
            "email",
            "university_id",
            "student_number",
            "college",
            "major",
            "is_cadre",
            "hometown_id",
        ],
        students,
        constant={
            "degree": "bachelor",
            "grade": 2023,
            "graduation_year": 2027,
            "politics": "league_member",
            "consent_version": services.PRIVACY_NOTICE_VERSION,
            "consented_at": now,
        },
    )
    bulk_insert(
        Application,
        [
            "id",
            "student_id",
            "post_id",
            "season_id",
            "rank",
            "status",
            "host_rank",
            "offer_expires_at",
        ],
        [tuple(row) for row in applications],
        constant={"statement": "希望回家乡锻炼自己，服务家乡。"},
    )
    bulk_insert(
        Placement,
        [
            "application_id",
            "student_id",
            "post_id",
            "season_id",
            "status",
            "checkin_code",
            "reported_at",
            "trained_at",
            "completed_at",
            "rating",
            "hours",
            "comment",
            "drop_reason",
            "certificate_code",
        ],
        [_placement(item) for item in placements],
    )


def _summer(rng, n, student_id, posts, now, applications, placements) -> None:
    """The past season: 60% were placed (confirmed 20%, reported 30%, completed 45%, dropped 5%);
    the others were rejected, declined, let an offer lapse or withdrew. Nothing is left open:
    the selection deadline closed it."""
    k = rng.choices((1, 2, 3), weights=(30, 40, 30))[0]
    k = min(k, len(posts))
    chosen = rng.sample(posts, k)
    placed = None
    if rng.random() < 0.6:  # most are placed at their first choice
        placed = 0 if rng.random() < 0.7 else rng.randrange(k)
    for rank, (post_id, season_id, starts, ends) in enumerate(chosen, start=1):
        index = rank - 1
        if placed is None:
            status = rng.choices(
                (S.REJECTED, S.DECLINED, S.EXPIRED, S.WITHDRAWN), (50, 20, 15, 15)
            )[0]
        elif index < placed:
            status = rng.choice((S.REJECTED, S.REJECTED, S.EXPIRED))  # a better choice that failed
        elif index > placed:
            status = rng.choice((S.WITHDRAWN, S.WITHDRAWN, S.DECLINED))  # closed on confirming
        else:
            status = S.CONFIRMED
        row = [None, student_id, post_id, season_id, rank, status, _host_rank(status, rank), None]
        applications.append(row)
        if status == S.CONFIRMED:
            placement = _summer_placement(rng, n, post_id, season_id, starts, ends)
            if placement["status"] == Placement.Status.DROPPED:
                row[5] = S.WITHDRAWN  # as placement_drop leaves it: the choice is over too
            placements.append((row, student_id, placement))


def _summer_placement(rng, n, post_id, season_id, starts, ends) -> dict:
    status = rng.choices(("confirmed", "reported", "completed", "dropped"), (20, 30, 45, 5))[0]
    placement = {"status": status, "checkin_code": _code(n, 6)}
    reported = rng.random() < 0.5 if status == "dropped" else status in ("reported", "completed")
    if reported:
        day = starts + datetime.timedelta(days=rng.randrange(3))
        placement["reported_at"] = _at(day, 9, rng.randrange(60))
        placement["trained_at"] = _at(day, 11, 0)
    if status == "completed":
        placement.update(
            completed_at=_at(ends, 16, rng.randrange(60)),
            rating=rng.choice(RATINGS),
            hours=rng.randint(8, 200),
            comment="工作认真，表现良好。",
            certificate_code=f"SC{_code(n, 10)}",  # 12 characters, unique to the student
        )
    if status == "dropped":
        placement["drop_reason"] = "家中有事，提前返校"
    return placement


def _winter(rng, n, student_id, posts, now, applications, placements) -> None:
    """The season now open, for a quarter of the students: every state of a live selection."""
    if rng.random() >= 0.25:
        return
    k = min(rng.choice((1, 1, 2)), len(posts))
    confirmed = False
    for rank, (post_id, season_id, _starts, _ends) in enumerate(rng.sample(posts, k), start=1):
        status = rng.choices(
            (
                S.APPLIED,
                S.SHORTLISTED,
                S.OFFERED,
                S.CONFIRMED,
                S.REJECTED,
                S.DECLINED,
                S.EXPIRED,
                S.WITHDRAWN,
            ),
            (30, 20, 10, 15, 10, 5, 5, 5),
        )[0]
        if status in (S.CONFIRMED, S.OFFERED) and confirmed:
            status = S.DECLINED if status == S.OFFERED else S.WITHDRAWN
        expires = None
        if status == S.OFFERED:
            expires = now + datetime.timedelta(days=3)
        elif status == S.EXPIRED:
            expires = now - datetime.timedelta(days=2)
        row = [
            None,
            student_id,
            post_id,
            season_id,
            rank,
            status,
            _host_rank(status, rank),
            expires,
        ]
        applications.append(row)
        if status == S.CONFIRMED:
            confirmed = True
            placements.append(
                (row, student_id, {"status": "confirmed", "checkin_code": _code(n, 6)})
            )


def _host_rank(status: str, rank: int) -> int | None:
    return (
        rank if status in (S.SHORTLISTED, S.OFFERED, S.CONFIRMED, S.DECLINED, S.EXPIRED) else None
    )


def _placement(item) -> tuple:
    row, student_id, p = item
    return (
        row[0],
        student_id,
        row[2],
        row[3],
        p["status"],
        p["checkin_code"],
        p.get("reported_at"),
        p.get("trained_at"),
        p.get("completed_at"),
        p.get("rating", ""),
        p.get("hours"),
        p.get("comment", ""),
        p.get("drop_reason", ""),
        p.get("certificate_code"),
    )


def _code(n: int, length: int) -> str:
    """n written in the check-in code alphabet, `length` characters (unique for n < 32**length)."""
    alphabet = services.CODE_ALPHABET
    out = []
    for _ in range(length):
        n, digit = divmod(n, len(alphabet))
        out.append(alphabet[digit])
    return "".join(reversed(out))


def _at(day: datetime.date, hour: int, minute: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


# Writing rows ---------------------------------------------------------------------------------


class _Ids:
    """Primary keys for rows inserted without the ORM: the sequence's next values on
    PostgreSQL, past the table's largest id elsewhere."""

    def __init__(self):
        self.postgres = connection.vendor == "postgresql"
        self.next_id: dict[str, int] = {}

    def take(self, model, n: int) -> list[int]:
        table = model._meta.db_table
        if n == 0:
            return []
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, n],
                )
                return [row[0] for row in cursor.fetchall()]
            if table not in self.next_id:
                quoted = connection.ops.quote_name(table)
                sql = f"SELECT COALESCE(MAX(id), 0) + 1 FROM {quoted}"  # noqa: S608  # nosec B608 - a model's table
                cursor.execute(sql)
                self.next_id[table] = cursor.fetchone()[0]
        first = self.next_id[table]
        self.next_id[table] = first + n
        return list(range(first, first + n))
