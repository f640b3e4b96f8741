"""`seed_demo --posts N`: published posts up to N, for the public pages' load benchmark.

The posts go to the demo year's season still to come (its practice not yet over) of every
province, spread round-robin over all 3,056 county-level units, each county with a handful of
host units of the usual kinds. Titles, descriptions and places are drawn from word lists, so a
keyword matches some posts and not others (服务 about a fifth of them, as a real year's). What a
post gets depends on its number alone (`random.Random(n)`): a run is deterministic, and a second
run with a larger N adds only the posts missing. Rows are written by `fanjiaxiang.bulk` (COPY
on PostgreSQL) in batches of 10,000, one transaction each.
"""

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

from demo.scale import _programme_years
from fanjiaxiang.bulk import bulk_insert
from positions.models import HostUnit, Post, Region
from schedule.models import Season

UNIT_MARK = "（岗位演示）"
UNITS = [  # (kind, name after the county's)
    (HostUnit.Kind.GOVERNMENT, "人民政府办公室"),
    (HostUnit.Kind.INSTITUTION, "文化馆"),
    (HostUnit.Kind.GRASSROOTS, "城关社区居民委员会"),
    (HostUnit.Kind.ENTERPRISE, "农业科技有限公司"),
    (HostUnit.Kind.SOCIAL, "青年志愿者协会"),
]
TITLES = [
    (Post.Category.GOVERNMENT, "政务窗口助理"),
    (Post.Category.GOVERNMENT, "档案整理员"),
    (Post.Category.RURAL, "乡村振兴调研员"),
    (Post.Category.RURAL, "农产品直播助理"),
    (Post.Category.ENTERPRISE, "企业行政助理"),
    (Post.Category.ENTERPRISE, "数据分析实习生"),
    (Post.Category.WELFARE, "公益服务志愿者"),
    (Post.Category.COMMUNITY, "社区服务专员"),
    (Post.Category.PART_TIME, "团委兼职干事"),
    (Post.Category.CULTURE, "文化宣传员"),
]
TASKS = ["整理资料", "走访群众", "撰写简报", "拍摄短视频", "组织活动", "录入数据", "接待来访"]
PLACES = ["城区", "开发区", "镇政府", "村委会", "文化广场", "青年之家"]
BATCH = 10_000


def seed_posts(*, count: int, log=None) -> int:
    """Published posts up to `count` in all; returns how many were added."""
    today = timezone.localdate()
    seasons = _coming_seasons(today)
    have = Post.objects.filter(status=Post.Status.PUBLISHED).count()
    missing = max(0, count - have)
    if not missing:
        return 0
    units = _units()
    first = Post.objects.filter(host_unit__name__endswith=UNIT_MARK).count()
    made = 0
    for start in range(first, first + missing, BATCH):
        numbers = range(start, min(start + BATCH, first + missing))
        with transaction.atomic():
            bulk_insert(Post, COLUMNS, (_row(n, units, seasons) for n in numbers))
        made += len(numbers)
        if log:
            log(f"posts: {made}/{missing}")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE positions_post, positions_hostunit")
    return made


def _coming_seasons(today: datetime.date) -> dict[int, Season]:
    """Province id → the demo year's season whose practice is still to come (or under way)."""
    coming = {}
    for province_id, kinds in _programme_years(today).items():
        open_ = [s for s in kinds.values() if s.practice_ends >= today]
        if open_:
            coming[province_id] = min(open_, key=lambda s: s.practice_starts)
    return coming


def _units() -> list[tuple[int, int | None, str, str]]:
    """(unit id, province id, county name, unit name) for every county's demo units."""
    counties = list(Region.objects.filter(level="county").select_related("parent"))
    HostUnit.objects.bulk_create(
        [
            HostUnit(
                county=county,
                kind=kind,
                name=f"{county.name}{name}{UNIT_MARK}",
                address=f"{county.parent.name}{county.name}",
                contact_name="林老师",
                contact_phone="13800003333",
            )
            for county in counties
            for kind, name in UNITS
        ],
        batch_size=2000,
        ignore_conflicts=True,  # a second run: the county's units are there
    )
    return list(
        HostUnit.objects.filter(name__endswith=UNIT_MARK)
        .order_by("county__code", "id")
        .values_list("pk", "county__parent__parent_id", "county__name", "address")
    )


COLUMNS = [
    "host_unit_id",
    "season_id",
    "title",
    "category",
    "description",
    "duties",
    "headcount",
    "place",
    "remote_allowed",
    "starts_on",
    "ends_on",
    "hours",
    "contact_name",
    "contact_phone",
    "status",
    "published_at",
]


def _row(n: int, units, seasons) -> tuple:
    rng = random.Random(n)  # noqa: S311  # nosec B311 - demo data, not a secret
    unit_id, province_id, county, address = units[n % len(units)]
    season = seasons[province_id]
    category, title = TITLES[rng.randrange(len(TITLES))]
    tasks = "、".join(rng.sample(TASKS, 2))
    place = f"{address}{rng.choice(PLACES)}"
    length = (season.practice_ends - season.practice_starts).days
    starts = season.practice_starts + datetime.timedelta(days=rng.randrange(max(1, length - 20)))
    ends = min(starts + datetime.timedelta(days=rng.choice([14, 21, 28])), season.practice_ends)
    published = timezone.now() - datetime.timedelta(minutes=n % 50_000)
    return (
        unit_id,
        season.pk,
        f"{county}{title}",
        category,
        f"在{county}参与{title.removesuffix('员')}工作，{tasks}，了解家乡发展。",
        f"协助{tasks}；按时提交实践日志。",
        rng.randint(1, 10),
        place,
        rng.random() < 0.2,
        starts,
        ends,
        "周一至周五 9:00-17:30",
        "林老师",
        "13800003333",
        Post.Status.PUBLISHED,
        published,
    )
