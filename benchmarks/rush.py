"""The application rush (issue 19): N students sign in through the real login page and apply
through the real post pages (CSRF tokens, forms) to up to three posts each, many of them the same
three popular posts, all at once; then the database is checked: no application lost or
duplicated, nobody past the ranked-choice limit, no post past its headcount.

Standalone, it starts its own gunicorn on 127.0.0.1 in production settings (DEBUG off, behind
what nginx would add: X-Forwarded-Proto https) on PostgreSQL and Redis:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang REDIS_URL=redis://127.0.0.1:6379/8 \\
        .venv/bin/python benchmarks/rush.py --students 2000 --seconds 60

Another benchmark that started a server calls `run(base_url, students=..., seconds=...,
database_url=...)` and gets the figures and checks as a dict. Each run adds its own students
(`rush_<n>`), host unit and posts (in 越秀区, next year's summer season) to the database, so the
checks look only at this run's rows.

Every student signs in (2 requests), then for each choice opens the post's page and applies
(2 requests). Every tenth also tries a fourth post (the limit must refuse it); every tenth
(another) double-clicks the apply button of its first choice (two POSTs at once: one must be
taken, the other refused). No request leaves 127.0.0.1; a student is started only before the
time bound and each request times out, so a run is bounded in requests and in time.

`--hash-iterations N` (standalone only) runs the server with PBKDF2 at N iterations instead of
Django's 1,000,000: a sign-in then costs milliseconds rather than most of a second of CPU, so the
rest of the rush can be measured on a small machine. The figures say which was used.
"""

import argparse
import datetime
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import requests

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "Rush-2026-pass"  # noqa: S105  (benchmark accounts, made and used here only)
COUNTY, PROVINCE = "440104", "440000"  # 越秀区, 广东省
POPULAR = 3  # posts most students want
OTHERS = 27
HOT = 2  # posts of 3 places with an offer out to every tenth student: confirmed all at once
FIRST_NUMBER = 3_500_000  # rush students' ID numbers are numbered past the scale students'
STATEMENT = "希望回家乡锻炼自己，服务家乡。"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
LIMIT_REFUSAL = "最多填报"
DUPLICATE_REFUSAL = "已经报名过这个岗位"
CONFIRMED_REFUSAL = "已确认岗位"


# The frame: posts and students, written straight to the database --------------------------------


@dataclass
class Frame:
    posts: list[int]
    popular: list[int]
    usernames: list[str]
    max_preferences: int
    headcounts: dict[int, int]
    offers: dict[str, int]  # username → their offer (an application id) on a hot post


def _django(database_url: str) -> None:
    """Set Django up on `database_url` unless the caller already did (then it is theirs)."""
    from django.conf import settings

    if settings.configured:
        return
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fanjiaxiang.settings")
    import django

    django.setup()


def prepare(students: int) -> Frame:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.utils import timezone

    from accounts.models import Role, User
    from positions.models import HostUnit, Post, Region
    from positions.regions import regions_load
    from schedule.services import programme_year_create

    if not Region.objects.filter(code=COUNTY).exists():
        regions_load()
    province, county = Region.objects.get(code=PROVINCE), Region.objects.get(code=COUNTY)
    year = timezone.localdate().year + 1
    programme_year = programme_year_create(province=province, year=year)
    season = programme_year.seasons.get(kind="summer")
    first = FIRST_NUMBER + User.objects.filter(username__startswith="rush_").count()
    with transaction.atomic():
        unit = HostUnit.objects.create(
            county=county,
            kind=HostUnit.Kind.GOVERNMENT,
            name=f"抢报压测单位{first}",
            contact_name="陈老师",
            contact_phone="13800138000",
        )
        posts = Post.objects.bulk_create(
            [_post(unit, season, n, popular=n < POPULAR) for n in range(POPULAR + OTHERS + HOT)]
        )
        hashed = make_password(PASSWORD)  # one hash for all: each takes most of a second
        users = User.objects.bulk_create(
            [
                User(username=f"rush_{n}", name=f"抢报学生{n}", role=Role.STUDENT, password=hashed)
                for n in range(first, first + students)
            ]
        )
        students_made = _students(users, first, county)
        offers = _offers(students_made[3::10], posts[-HOT:], season)
    return Frame(
        posts=[p.pk for p in posts[: POPULAR + OTHERS]],
        popular=[p.pk for p in posts[:POPULAR]],
        usernames=[u.username for u in users],
        max_preferences=programme_year.max_preferences,
        headcounts={p.pk: p.headcount for p in posts},
        offers=offers,
    )


def _post(unit, season, n: int, *, popular: bool):
    from django.utils import timezone

    from positions.models import Post

    return Post(
        host_unit=unit,
        season=season,
        title=f"{'热门' if popular else ''}岗位{n}",
        category=Post.Category.GOVERNMENT,
        description="岗位简介",
        duties="工作职责",
        headcount=2 if popular else 5 if n < POPULAR + OTHERS else 3,
        place="越秀区政务服务中心",
        starts_on=season.practice_starts,
        ends_on=season.practice_starts + datetime.timedelta(days=20),
        hours="9:00-17:00",
        contact_name="陈老师",
        contact_phone="13800138000",
        status=Post.Status.PUBLISHED,
        published_at=timezone.now(),
    )


def _students(users, first: int, county) -> list:
    """Profiles complete enough to apply (学院, 学历层次, 政治面貌) and the privacy notice agreed."""
    from django.utils import timezone

    from accounts.validators import id_number_digest, id_number_mask
    from demo.students import id_number_for
    from students.models import Student, University
    from students.services import PRIVACY_NOTICE_VERSION

    university = University.objects.filter(province__code=PROVINCE).order_by("pk").first()
    if university is None:
        university = University.objects.create(
            name="中山大学", code="4144010558", province_id=county.parent.parent_id
        )
    now = timezone.now()
    rows = []
    for n, user in enumerate(users, start=first):
        number = id_number_for(COUNTY, n)
        rows.append(
            Student(
                user=user,
                name=user.name,
                id_number=number,
                id_number_digest=id_number_digest(number),
                id_number_masked=id_number_mask(number),
                phone=f"139{n % 100_000_000:08d}",
                university=university,
                student_number=f"R{n:09d}",
                college="文学院",
                major="汉语言文学",
                degree=Student.Degree.BACHELOR,
                grade=2024,
                graduation_year=2028,
                politics=Student.Politics.LEAGUE_MEMBER,
                hometown=county,
                consent_version=PRIVACY_NOTICE_VERSION,
                consented_at=now,
            )
        )
    return Student.objects.bulk_create(rows, batch_size=1000)


def _offers(students, hot_posts, season) -> dict[str, int]:
    """An offer (their first choice) on a hot post for each of `students`, who have an
    emergency contact, as a confirmation needs."""
    from django.utils import timezone

    from safety.models import EmergencyContact
    from students.models import Application

    EmergencyContact.objects.bulk_create(
        [
            EmergencyContact(student=s, name="陈父", relation="parent", phone="13700000000")
            for s in students
        ]
    )
    expires = timezone.now() + datetime.timedelta(days=3)
    offers = Application.objects.bulk_create(
        [
            Application(
                student=s,
                post=hot_posts[n % len(hot_posts)],
                season=season,
                rank=1,
                status=Application.Status.OFFERED,
                offer_expires_at=expires,
            )
            for n, s in enumerate(students)
        ]
    )
    return {s.user.username: offer.pk for s, offer in zip(students, offers, strict=True)}


# The rush: a browser per student, over plain HTTP to 127.0.0.1 ---------------------------------


@dataclass
class Plan:
    username: str
    choices: list[int]
    fourth: int | None = None  # a choice past the limit, to be refused
    double_click: bool = False
    offer: int | None = None  # confirmed first, on the student's page


def plans(frame: Frame, seed: int) -> list[Plan]:
    """Half of all picks go to the three popular posts; 1–3 choices each."""
    result = []
    others = [p for p in frame.posts if p not in frame.popular]
    for i, username in enumerate(frame.usernames):
        rng = random.Random(seed * 1_000_003 + i)  # noqa: S311  (load, not secrets)
        wanted = min(rng.choice([1, 2, 3, 3]), frame.max_preferences - (username in frame.offers))
        choices: list[int] = []
        while len(choices) < wanted:
            post = rng.choice(frame.popular if rng.random() < 0.5 else others)
            if post not in choices:
                choices.append(post)
        fourth = None
        if i % 10 == 0 and len(choices) == frame.max_preferences:
            fourth = next(p for p in others if p not in choices)
        result.append(
            Plan(
                username,
                choices,
                fourth,
                double_click=i % 10 == 5,
                offer=frame.offers.get(username),
            )
        )
    return result


@dataclass
class Tally:
    """What the server answered, gathered from every thread (list.append is atomic)."""

    requests: list[tuple[str, int, float]] = field(default_factory=list)  # kind, status, s
    errors: list[str] = field(default_factory=list)  # no answer at all (timeout, refused)
    taken: list[tuple[str, int]] = field(default_factory=list)  # (username, post) answered 302
    refused: list[tuple[str, int, str]] = field(default_factory=list)  # ... and the reason
    unknown: list[tuple[str, int]] = field(default_factory=list)  # no answer or a 5xx
    signed_in: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


class Browser:
    """One student's browser: its own cookies, sent by hand because the portal's are Secure (the
    server sits behind nginx's TLS, which the X-Forwarded-Proto header stands for)."""

    def __init__(self, base_url: str, tally: Tally, timeout: float, *, behind_tls: bool = True):
        self.base_url, self.tally, self.timeout = base_url.rstrip("/"), tally, timeout
        self.behind_tls = behind_tls
        host = urlsplit(self.base_url).netloc
        self.origin = f"{'https' if behind_tls else 'http'}://{host}"
        self.cookies: dict[str, str] = {}

    def request(self, kind: str, method: str, path: str, data=None, referer=None):
        headers = {"User-Agent": "rush"}
        if self.behind_tls:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
        start = time.perf_counter()
        try:
            response = requests.request(
                method,
                self.base_url + path,
                data=data,
                headers=headers,
                allow_redirects=False,
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            self.tally.errors.append(f"{kind}: {type(error).__name__}")
            return None
        self.tally.requests.append((kind, response.status_code, time.perf_counter() - start))
        self.cookies.update(response.cookies.get_dict())
        return response

    def form_token(self, kind: str, path: str) -> str | None:
        page = self.request(kind, "GET", path)
        if page is None or page.status_code != 200:
            return None
        found = TOKEN.search(page.text)
        return found.group(1) if found else None


def _sign_in(browser: Browser, username: str) -> bool:
    token = browser.form_token("登录页", "/accounts/login/")
    if token is None:
        return False
    form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
    answer = browser.request("登录", "POST", "/accounts/login/", form)
    return answer is not None and answer.status_code == 302


def _apply(browser: Browser, plan: Plan, post: int, token: str) -> None:
    form = {"statement": STATEMENT, "csrfmiddlewaretoken": token}
    path = f"/posts/{post}/"
    answer = browser.request("报名", "POST", f"{path}apply/", form, referer=path)
    tally = browser.tally
    if answer is None or answer.status_code >= 500:
        tally.unknown.append((plan.username, post))  # it may or may not have been taken
        return
    if answer.status_code == 302:
        tally.taken.append((plan.username, post))
    elif LIMIT_REFUSAL in answer.text:
        tally.refused.append((plan.username, post, "limit"))
    elif DUPLICATE_REFUSAL in answer.text:
        tally.refused.append((plan.username, post, "duplicate"))
    elif CONFIRMED_REFUSAL in answer.text:
        tally.refused.append((plan.username, post, "confirmed"))
    else:
        tally.refused.append((plan.username, post, f"other {answer.status_code}"))


def _student(base_url: str, plan: Plan, tally: Tally, timeout: float, behind_tls: bool) -> None:
    browser = Browser(base_url, tally, timeout, behind_tls=behind_tls)
    if not _sign_in(browser, plan.username):
        return
    tally.signed_in.append(plan.username)
    if plan.offer:
        token = browser.form_token("我的报名", "/me/")
        if token is None:
            return
        form = {"csrfmiddlewaretoken": token}
        path = f"/me/applications/{plan.offer}/confirm/"
        if browser.request("确认录用", "POST", path, form, referer="/me/") is None:
            return
    for n, post in enumerate(plan.choices + ([plan.fourth] if plan.fourth else [])):
        token = browser.form_token("岗位页", f"/posts/{post}/")
        if token is None:
            return
        if n == 0 and plan.double_click:
            second = threading.Thread(target=_apply, args=(browser, plan, post, token))
            second.start()
            _apply(browser, plan, post, token)
            second.join()
        else:
            _apply(browser, plan, post, token)
    tally.done.append(plan.username)


def rush(
    base_url: str, all_plans: list[Plan], *, seconds: float, threads: int, behind_tls: bool
) -> dict:
    tally = Tally()
    started = time.perf_counter()
    deadline = started + seconds

    def one(plan: Plan) -> None:
        if time.perf_counter() < deadline:  # past the bound, the rest are not started
            _student(base_url, plan, tally, max(5.0, min(30.0, seconds)), behind_tls)

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, all_plans))
    return {"tally": tally, "elapsed": time.perf_counter() - started}


# The checks, in the database ---------------------------------------------------------------------


def verify(frame: Frame, all_plans: list[Plan], tally: Tally) -> dict[str, bool]:
    from students.models import ACTIVE_APPLICATION, Application, Placement

    rows = list(
        Application.objects.filter(post_id__in=frame.headcounts).values_list(
            "student__user__username", "post_id", "rank", "status"
        )
    )
    in_db = Counter((u, post) for u, post, _, _ in rows if post in frame.posts)
    taken = Counter(tally.taken)
    unknown = set(tally.unknown)
    ranks: dict[str, list[int]] = {}
    for username, _, rank, status in rows:
        if status in ACTIVE_APPLICATION:
            ranks.setdefault(username, []).append(rank)
    placed = list(
        Placement.objects.filter(post_id__in=frame.headcounts).values_list(
            "post_id", "student__user__username"
        )
    )
    placements = Counter(post for post, _ in placed)
    offered = Counter(
        Application.objects.filter(pk__in=frame.offers.values()).values_list("post_id", flat=True)
    )
    done = set(tally.done)
    doubled = {
        (p.username, p.choices[0]) for p in all_plans if p.double_click and p.username in done
    }
    fourths = {(p.username, p.fourth) for p in all_plans if p.fourth and p.username in done}
    limit_refused = {(u, post) for u, post, why in tally.refused if why == "limit"}
    return {
        "every 302 has its application (none lost)": all(in_db[k] >= 1 for k in taken),
        "no application without a 302 (none made up)": set(in_db) <= set(taken) | set(unknown),
        "no application twice (none duplicated)": max(in_db.values(), default=1) == 1
        and max(taken.values(), default=1) == 1,
        "ranks 1..k, k within the limit": all(
            sorted(r) == list(range(1, len(r) + 1)) and len(r) <= frame.max_preferences
            for r in ranks.values()
        ),
        "every choice past the limit refused": fourths <= limit_refused,
        "double clicks: one taken, the other refused": all(
            taken[(name, first)] == 1 and (name, first, "duplicate") in tally.refused
            for name, first in doubled
        ),
        "no post past its headcount": all(
            placements[post] <= frame.headcounts[post] for post in frame.headcounts
        ),
        "hot posts filled by the confirmations": all(
            placements[post] == min(frame.headcounts[post], n) for post, n in offered.items()
        )
        or len(tally.done) < len(all_plans),
        "nobody placed twice": len({u for _, u in placed}) == len(placed),
        "no 5xx": not any(status >= 500 for _, status, _ in tally.requests),
    }


# The figures ---------------------------------------------------------------------------------


def figures(tally: Tally, elapsed: float) -> dict:
    times = [t for _, _, t in tally.requests]
    statuses = Counter(status for _, status, _ in tally.requests)
    per_kind = {}
    for kind in dict.fromkeys(k for k, _, _ in tally.requests):
        kind_times = [t for k, _, t in tally.requests if k == kind]
        per_kind[kind] = {
            "requests": len(kind_times),
            "p50_ms": _percentile(kind_times, 50),
            "p99_ms": _percentile(kind_times, 99),
        }
    return {
        "requests": len(times),
        "seconds": round(elapsed, 1),
        "requests_per_s": round(len(times) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": _percentile(times, 50),
        "p99_ms": _percentile(times, 99),
        "status": dict(sorted(statuses.items())),
        "5xx": sum(n for status, n in statuses.items() if status >= 500),
        "no_answer": len(tally.errors),
        "signed_in": len(tally.signed_in),
        "students_done": len(tally.done),
        "applications_taken": len(tally.taken),
        "refused": dict(Counter(why for _, _, why in tally.refused)),
        "per_kind": per_kind,
    }


def _percentile(times: list[float], q: int) -> float:
    if not times:
        return 0.0
    if len(times) == 1:
        return round(times[0] * 1000, 1)
    return round(statistics.quantiles(times, n=100, method="inclusive")[q - 1] * 1000, 1)


def run(
    base_url: str,
    *,
    students: int,
    seconds: float,
    database_url: str,
    threads: int = 32,
    seed: int = 19,
    behind_tls: bool = True,
) -> dict:
    """The whole rush against a running server that uses `database_url`; returns the figures
    (`requests_per_s`, `p50_ms`, `p99_ms`, `5xx`, ...) and `checks` (name → passed).
    `behind_tls`: the server runs in production settings and is told, as by nginx, that the
    browser came over HTTPS; off for a development server (DEBUG on)."""
    if urlsplit(base_url).hostname not in ("127.0.0.1", "localhost"):
        raise ValueError("The rush only sends requests to 127.0.0.1.")
    _django(database_url)
    made = time.perf_counter()
    frame = prepare(students)
    setup_seconds = time.perf_counter() - made
    all_plans = plans(frame, seed)
    outcome = rush(base_url, all_plans, seconds=seconds, threads=threads, behind_tls=behind_tls)
    result = figures(outcome["tally"], outcome["elapsed"])
    result.update(
        students=students,
        setup_seconds=round(setup_seconds, 1),
        bound_seconds=seconds,
        checks=verify(frame, all_plans, outcome["tally"]),
    )
    return result


def report(result: dict) -> str:
    lines = [
        f"students {result['students']:,} (accounts made in {result['setup_seconds']} s); "
        f"signed in {result['signed_in']:,}, all choices made {result['students_done']:,} "
        f"within the {result['bound_seconds']} s bound",
        f"{result['requests']:,} requests in {result['seconds']} s: "
        f"{result['requests_per_s']} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
        f"5xx {result['5xx']}, no answer {result['no_answer']}, status {result['status']}",
        f"applications taken {result['applications_taken']:,}, refused {result['refused']}",
    ]
    for kind, row in result["per_kind"].items():
        lines.append(
            f"  {kind}: {row['requests']:,} requests, p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms"
        )
    for name, passed in result["checks"].items():
        lines.append(f"  [{'ok' if passed else 'FAILED'}] {name}")
    return "\n".join(lines)


# Standalone: our own gunicorn -------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(database_url: str, hash_iterations: int | None) -> dict[str, str]:
    env = dict(os.environ, DEBUG="0", DATABASE_URL=database_url, ALLOWED_HOSTS="127.0.0.1")
    env.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    if hash_iterations:
        env["DJANGO_SETTINGS_MODULE"] = "benchmarks.rush_settings"
        env["RUSH_HASH_ITERATIONS"] = str(hash_iterations)
    return env


def serve(database_url: str, *, workers: int, hash_iterations: int | None):
    """Migrate, collect the static files (the manifest the templates need with DEBUG off) and
    start gunicorn on a free loopback port; returns (process, base URL)."""
    env = _server_env(database_url, hash_iterations)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--verbosity", "0"], env=env, cwd=ROOT, check=True)  # noqa: S603
    subprocess.run(  # noqa: S603
        [*manage, "collectstatic", "--noinput", "--verbosity", "0"], env=env, cwd=ROOT, check=True
    )
    port = _free_port()
    gunicorn = str(Path(sys.executable).with_name("gunicorn"))
    command = [gunicorn, "fanjiaxiang.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"]
    process = subprocess.Popen([*command, "--timeout", "60"], env=env, cwd=ROOT)  # noqa: S603
    base_url = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            requests.get(
                f"{base_url}/accounts/login/",
                headers={"X-Forwarded-Proto": "https"},  # else: redirected to https
                allow_redirects=False,
                timeout=2,
            )
            return process, base_url
        except requests.RequestException:
            time.sleep(0.5)
    process.terminate()
    raise RuntimeError("gunicorn did not answer within a minute")


def _requests_for_all(result: dict) -> float:
    """How many requests all the students would have made, at the rate of those who did."""
    done = max(1, result["signed_in"])
    return result["requests"] / done * result["students"]


def _cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and its children still running (gunicorn's
    workers), from /proc: what the server spent, whatever else shares the machine."""
    proc = Path("/proc") / str(pid)
    try:
        fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        children = (proc / "task" / str(pid) / "children").read_text().split()
    except OSError:
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return own + sum(_cpu_seconds(int(child)) for child in children)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--threads", type=int, default=32, help="concurrent browsers")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--hash-iterations", type=int, default=None)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        parser.error("set DATABASE_URL to a PostgreSQL database (it is migrated, then added to)")
    sys.path.insert(0, str(ROOT))
    os.environ.update(_server_env(database_url, args.hash_iterations))
    process, base_url = serve(
        database_url, workers=args.workers, hash_iterations=args.hash_iterations
    )
    cpu = _cpu_seconds(process.pid)
    try:
        result = run(
            base_url,
            students=args.students,
            seconds=args.seconds,
            database_url=database_url,
            threads=args.threads,
        )
        cpu = _cpu_seconds(process.pid) - cpu
    finally:
        process.terminate()
        process.wait(timeout=30)
    hashing = f"PBKDF2 {args.hash_iterations:,} iterations" if args.hash_iterations else "Django's"
    print(f"gunicorn -w {args.workers}, {args.threads} browsers, password hashing: {hashing}")
    print(report(result))
    per_request = cpu / max(1, result["requests"])
    need = per_request * _requests_for_all(result)
    print(
        f"gunicorn CPU {cpu:.1f} s for {result['requests']:,} requests: "
        f"{per_request * 1000:.0f} ms each; all {args.students:,} students in "
        f"{args.seconds:.0f} s would need about {need / args.seconds:.1f} cores for gunicorn "
        f"(PostgreSQL's own CPU not counted)"
    )
    return 0 if all(result["checks"].values()) else 1


if __name__ == "__main__":
    sys.exit(main())
