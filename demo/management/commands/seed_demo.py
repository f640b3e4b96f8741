"""A believable Guangdong demo: staff of every role, host units, posts in every category.

Idempotent: running it again finds what it made before and adds nothing twice.
"""

import datetime
import time

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.functional import cached_property
from stdnum.cn import uscc

from accounts.models import Role, User
from dashboards.services import stats_refresh_all
from demo.fit import seed_fit
from demo.ledger import seed_county_ledger
from demo.outcomes import seed_outcomes
from demo.posts import seed_posts
from demo.reports import seed_reports
from demo.safety import seed_safety
from demo.scale import seed_scale
from demo.schedule import demo_year, seed_calendar
from demo.students import (
    away_universities,
    seed_away_students,
    seed_county_students,
    seed_matching_preview,
    seed_open_post,
)
from demo.summary import seed_summary
from demo.universities import seed_universities
from positions import services
from positions.models import HostUnit, Post, Region
from schedule.models import Season
from schedule.services import programme_year_create
from students.models import CreditRule, University

DUTIES = (
    ("sysadmin", Role.SYSTEM_ADMIN),
    ("secadmin", Role.SECURITY_ADMIN),
    ("auditadmin", Role.AUDIT_ADMIN),
)
DEMO_PASSWORD = "Demo@2026fjx"  # noqa: S105  (demo accounts on a developer's machine only)

CITIES = {"440100": "gz_city", "441900": "dg_city", "441400": "mz_city"}
# 虎门镇 has its winter posts still in draft three days before the deadline (see seed_calendar).
LATE_COUNTY = "441900121"
# 越秀区 is the calendar's on-time story: every placement of its past season evaluated.
ON_TIME_COUNTY = "440104"
COUNTIES = {
    "440104": "yuexiu",  # 广州市越秀区
    "440106": "tianhe",  # 广州市天河区
    "441403": "meixian",  # 梅州市梅县区
    "441900121": "humen",  # 东莞市虎门镇
}
UNIVERSITIES = [
    ("4144010558", "中山大学", "sysu_uni"),
    ("4144010561", "华南理工大学", "scut_uni"),
    ("4144010574", "华南师范大学", None),
    ("4144010582", "嘉应学院", None),
]
UNIT_TEMPLATES = [
    (HostUnit.Kind.GOVERNMENT, "{county}人民政府办公室", "政务服务中心"),
    (HostUnit.Kind.INSTITUTION, "{county}图书馆", "文化路"),
    (HostUnit.Kind.GRASSROOTS, "{county}团委青年之家", "青年路"),
    (HostUnit.Kind.ENTERPRISE, "{county}乡村振兴发展有限公司", "产业园"),
    (HostUnit.Kind.SOCIAL, "{county}青年志愿者协会", "志愿服务站"),
]
POST_TEMPLATES = [
    (Post.Category.GOVERNMENT, 0, "政务服务窗口助理", "协助窗口人员引导群众办事，整理办件资料。"),
    (
        Post.Category.RURAL,
        3,
        "乡村振兴项目调研员",
        "走访“百千万工程”重点村，整理产业发展资料，撰写调研报告。",
    ),
    (Post.Category.ENTERPRISE, 3, "企业运营实习生", "参与企业日常运营、数据整理和新媒体运营。"),
    (Post.Category.WELFARE, 4, "关爱儿童课业辅导志愿者", "为留守儿童提供课业辅导和安全教育。"),
    (Post.Category.COMMUNITY, 2, "社区治理助理", "协助社区开展基层治理、政策宣传和居民服务。"),
    (Post.Category.PART_TIME, 2, "镇街团委兼职副书记", "参与团组织日常工作，组织青年活动。"),
    (
        Post.Category.CULTURE,
        1,
        "家乡文化宣传员",
        "挖掘家乡特色文化，制作短视频和推文，讲好家乡故事。",
    ),
]


def _credit_code(county_code: str, n: int) -> str:
    body = f"91{county_code[:6]}MA{n:07d}"[:17]
    return body + uscc.calc_check_digit(body)


class Command(BaseCommand):
    help = "Create demo accounts, host units, posts and students for Guangdong (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=0,
            metavar="N",
            help="also bulk-insert N more students nationwide, with applications and placements "
            "(for benchmarks)",
        )
        parser.add_argument(
            "--posts",
            type=int,
            default=0,
            metavar="N",
            help="add published posts nationwide until N are published (for the load benchmark)",
        )

    def handle(self, *args, **options):
        province = Region.objects.filter(code="440000").first()
        if province is None:
            raise CommandError("Regions are missing: run `manage.py load_regions` first.")
        # Demo notices stay in the portal: no e-mail to the made-up addresses (console noise).
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            with transaction.atomic():
                logins = self._seed(province)
        if options["scale"]:
            started = time.perf_counter()
            made = seed_scale(
                count=options["scale"],
                password=DEMO_PASSWORD,
                log=lambda line: self.stdout.write(
                    f"{line} ({time.perf_counter() - started:.0f} s)"
                ),
            )
            self.stdout.write(f"scale: {made} students in {time.perf_counter() - started:.1f} s")
        if options["posts"]:
            started = time.perf_counter()
            made = seed_posts(count=options["posts"], log=self.stdout.write)
            self.stdout.write(f"posts: {made} posts in {time.perf_counter() - started:.1f} s")
        # The dashboards read recounted figures; count them now rather than at the next beat.
        started = time.perf_counter()
        rows = stats_refresh_all()
        self.stdout.write(f"数据看板：{rows} 条县区统计（{time.perf_counter() - started:.1f} s）")
        self.stdout.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        for username, label in logins:
            self.stdout.write(f"  {username:<14} {label}")

    def _seed(self, province: Region) -> list[tuple[str, str]]:
        today = timezone.localdate()
        year = demo_year(today)
        programme_year = programme_year_create(province=province, year=year)
        seasons = {s.kind: s for s in programme_year.seasons.all()}
        posts_due = {
            m.season_id: m.due for m in programme_year.milestones.filter(code__endswith="_posts")
        }
        logins = [("admin", "超级用户（/admin/，应急使用）")]
        self._user("admin", "超级用户", superuser=True)
        # 三权分立 (issue 21): the superuser's daily work in three hands.
        for username, role in DUTIES:
            self._user(username, str(role.label), role=role)
            User.objects.filter(username=username).update(is_staff=True)
            logins.append((username, f"{role.label}（三权分立）"))
        logins.append(("gd_province", "团省委 · 广东省"))
        self._user("gd_province", "省级管理员", role=Role.PROVINCE, region=province)
        for code, username in CITIES.items():
            city = Region.objects.get(code=code)
            self._user(username, f"{city.name}团委", role=Role.CITY, region=city)
            logins.append((username, f"市团委 · {city.name}"))
        home_universities = []
        for code, name, account in UNIVERSITIES:
            university, _ = University.objects.get_or_create(
                code=code, defaults={"name": name, "province": province}
            )
            home_universities.append(university)
            if code == "4144010558":
                # 中山大学 credits 20 hours a credit, 优秀 only; the others keep the defaults.
                CreditRule.objects.get_or_create(
                    university=university,
                    defaults={"hours_per_credit": 20, "max_credits": 2, "min_rating": "excellent"},
                )
            if account:
                self._user(account, f"{name}团委", role=Role.UNIVERSITY, university=university)
                logins.append((account, f"高校团委 · {name}"))
        # A university of another province sees its students from Guangdong (issue 15).
        pku = away_universities()["4111010001"]
        self._user("pku", f"{pku.name}团委", role=Role.UNIVERSITY, university=pku)
        logins.append(("pku", f"高校团委 · {pku.name}（{pku.province.name}）"))
        for code, username in COUNTIES.items():
            county = Region.objects.select_related("parent").get(code=code)
            staff = self._user(username, f"{county.name}团委", role=Role.COUNTY, region=county)
            logins.append((username, f"县级团委 · {county.parent.name}{county.name}"))
            units = self._host_units(county)
            self._user(f"{username}_host", f"{units[3].name}", role=Role.HOST, host_unit=units[3])
            logins.append((f"{username}_host", f"用人单位 · {units[3].name}"))
            self._posts(county, units, seasons, today, posts_due)
            seed_county_students(
                county=county,
                prefix=username,
                seasons=seasons,
                password=self._password,
                universities=home_universities,
                settled=code == ON_TIME_COUNTY,
            )
            logins.append((f"{username}_s1", f"学生 · {county.name}籍（已完成暑假实践）"))
            seed_county_ledger(county=county, staff=staff, season=seasons["summer"])
        logins += seed_away_students(seasons=seasons, password=self._password)
        seed_matching_preview(county=Region.objects.get(code="440106"), season=seasons["winter"])
        # 越秀 opens a post to everyone; a 天河 student (family in 越秀) chooses it.
        seed_open_post(
            county=Region.objects.get(code="440104"),
            season=seasons["winter"],
            applicant="tianhe_s5",
        )
        seed_calendar(programme_year=programme_year, today=today)
        seed_summary()
        seed_reports()
        seed_outcomes(list(COUNTIES.values()))
        seed_fit()
        seed_safety()
        seed_universities()
        return logins

    @cached_property
    def _password(self) -> str:
        return make_password(DEMO_PASSWORD)

    def _user(self, username: str, name: str, superuser: bool = False, **scope) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username, name=name, is_superuser=superuser, is_staff=superuser, **scope
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _host_units(self, county: Region) -> list[HostUnit]:
        units = []
        for n, (kind, name, street) in enumerate(UNIT_TEMPLATES, start=1):
            name = name.format(county=county.name)
            unit = HostUnit.objects.filter(
                county=county, name=name
            ).first() or services.host_unit_create(
                county=county,
                actor=None,
                kind=kind,
                name=name,
                credit_code=_credit_code(county.code, n)
                if kind == HostUnit.Kind.ENTERPRISE
                else "",
                address=f"{county.parent.name}{county.name}{street}{n}号",
                contact_name="陈老师",
                contact_phone=f"1380000{n:04d}",
                description=f"{name}长期支持大学生返乡实践。",
            )
            units.append(unit)
        return units

    def _posts(
        self,
        county: Region,
        units: list[HostUnit],
        seasons: dict,
        today: datetime.date,
        posts_due: dict,
    ) -> None:
        for season in seasons.values():
            for n, (category, unit_index, title, duties) in enumerate(POST_TEMPLATES):
                unit = units[unit_index]
                if Post.objects.filter(host_unit=unit, season=season, title=title).exists():
                    continue
                starts = season.practice_starts + datetime.timedelta(days=7 * (n % 3))
                post = services.post_create(
                    host_unit=unit,
                    season=season,
                    actor=None,
                    # A past season's posts are recorded as made before its posts deadline.
                    today=min(today, posts_due[season.pk]),
                    title=title,
                    category=category,
                    description=f"{county.name}{title}，面向{county.name}籍在外大学生。",
                    duties=duties,
                    majors="不限" if n % 2 else "中文、新闻、公共管理等相关专业",
                    skills="沟通表达、办公软件",
                    grade="大一至研究生",
                    headcount=2 + n % 4,
                    place=unit.address,
                    remote_allowed=category == Post.Category.CULTURE,
                    starts_on=starts,
                    ends_on=min(starts + datetime.timedelta(days=27), season.practice_ends),
                    hours="周一至周五 9:00-12:00，14:30-17:30",
                    training="报到当天进行岗前培训和安全教育。",
                    safety_notes="注意交通和防暑安全，外出须结伴并报告带教老师。",
                    contact_name="陈老师",
                    contact_phone="13800001111",
                )
                self._advance(post, season, n, today)

    def _advance(self, post: Post, season: Season, n: int, today: datetime.date) -> None:
        """Spread the posts over every state a county sees in a year."""
        if n == len(POST_TEMPLATES) - 1 and season.kind == Season.Kind.WINTER:
            return  # one draft per county, waiting to be published
        if post.host_unit.county.code == LATE_COUNTY and season.kind == Season.Kind.WINTER:
            return  # this county has not published its winter posts: it is being reminded
        if post.ends_on < today:  # a past post: record it as it would have run
            Post.objects.filter(pk=post.pk).update(
                status=Post.Status.CLOSED, published_at=timezone.now(), closed_at=timezone.now()
            )
        elif n == 5 and season.kind == Season.Kind.WINTER:
            services.post_cancel(post=post, actor=None)
        else:
            services.post_publish(post=post, today=today, actor=None)
