"""The public pages under load, in production settings, beside /verify/ (issue 19).

    .venv/bin/python benchmarks/load.py --posts 100000

Starts the production stack on loopback: a PostgreSQL database of its own (`fjx_load`, created
here and dropped at the end unless --keep), migrated and loaded with the regions, the
universities, the demo and `seed_demo --posts N [--scale S]`; gunicorn (4 sync workers, DEBUG
off, Redis db 12 as cache and broker) on a free port of 127.0.0.1. Then each public page takes
`--connections` concurrent clients for `--seconds` (every request bounded by a 5 s time-out,
as a browser would give up), after one warm-up request, and the table gives req/s, p50, p99,
errors and time-outs and the ratio to /verify/, the simplest page of the same layout, measured
in the same run. "keyword, each request another" asks a word and county no one asked before
(the cache cannot help: what a miss costs).

No tool here is needed beyond Python: this machine has neither wrk nor oha, so the clients are
asyncio connections (one request each, `Connection: close`, as gunicorn's sync workers close
them anyway) in this process. Requests go to 127.0.0.1 only.

If `benchmarks/rush.py` has `run(base_url, *, students, seconds, database_url) -> dict` (the
application rush), it runs last against the same server and its figures are printed.
"""

import argparse
import asyncio
import importlib.util
import os
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
HOST = "127.0.0.1"
DATABASE = "fjx_load"
SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/12"
TIMEOUT = 5.0
WORDS = ["档案", "直播", "调研", "简报", "短视频", "志愿", "窗口", "数据", "走访", "宣传"]


def _run(*command: str, **options) -> subprocess.CompletedProcess:
    """A fixed command line of ours (no visitor's input), its program found on PATH."""
    program = shutil.which(command[0]) or command[0]
    return subprocess.run([program, *command[1:]], **options)  # noqa: S603  # nosec B603


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--posts", type=int, default=100_000, help="published posts (default 100,000)"
    )
    parser.add_argument("--scale", type=int, default=0, help="seed_demo --scale N students too")
    parser.add_argument("--seconds", type=float, default=10.0, help="per page (default 10)")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--keep", action="store_true", help="keep fjx_load for the next run")
    parser.add_argument("--reuse", action="store_true", help="use fjx_load as it is, no seeding")
    parser.add_argument("--rush-students", type=int, default=2000)
    parser.add_argument("--rush-seconds", type=float, default=20.0)
    args = parser.parse_args()

    database_url = f"{SERVER}/{DATABASE}"
    with tempfile.TemporaryDirectory(prefix="fjx-load-") as var:
        env = _environment(database_url, var)
        if not args.reuse:
            _psql(f"DROP DATABASE IF EXISTS {DATABASE}")
            _psql(f"CREATE DATABASE {DATABASE}")
        try:
            if not args.reuse:
                _prepare(env, args)
            _manage(env, "collectstatic", "--noinput", "-v0")
            _run("redis-cli", "-n", "12", "FLUSHDB", check=False, capture_output=True)
            port = _free_port()
            server = _gunicorn(env, port, args.workers, var)
            try:
                base = f"http://{HOST}:{port}"
                _wait_ready(port)
                _report(_measure(env, port, args), args)
                _rush(base, args, env)
            finally:
                server.terminate()
                server.wait(timeout=30)
        finally:
            _run("redis-cli", "-n", "12", "FLUSHDB", check=False, capture_output=True)
            if not args.keep:
                _psql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")


# The stack ----------------------------------------------------------------------------------


def _environment(database_url: str, var: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_SETTINGS_MODULE")}
    env.update(
        DEBUG="0",
        # Throw-away keys for a throw-away database on loopback.
        SECRET_KEY=secrets.token_urlsafe(50),
        FIELD_ENCRYPTION_SALTS=secrets.token_urlsafe(16),
        ALLOWED_HOSTS=HOST,
        DATABASE_URL=database_url,
        REDIS_URL=REDIS,
        CACHE_URL=REDIS,
        VAR_DIR=var,
        LOG_LEVEL="WARNING",
    )
    return env


def _psql(sql: str) -> None:
    _run(
        "psql",
        "-h",
        HOST,
        "-U",
        "postgres",
        "-d",
        "postgres",
        "-qAtc",
        sql,
        check=True,
        capture_output=True,
    )


def _manage(env: dict, *command: str) -> None:
    started = time.perf_counter()
    _run(PYTHON, "manage.py", *command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"  manage.py {' '.join(command)}: {time.perf_counter() - started:.0f} s", flush=True)


def _prepare(env: dict, args) -> None:
    print(f"Loading {DATABASE} (demo, {args.posts:,} published posts, {args.scale:,} students)")
    _manage(env, "migrate", "--noinput", "-v0")
    _manage(env, "load_regions")
    _manage(env, "load_universities")
    seed = ["seed_demo", "--posts", str(args.posts)]
    if args.scale:
        seed += ["--scale", str(args.scale)]
    _manage(env, *seed)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _gunicorn(env: dict, port: int, workers: int, var: str) -> subprocess.Popen:
    log = Path(var) / "gunicorn.log"
    return subprocess.Popen(  # noqa: S603  # nosec B603 - our own interpreter, fixed arguments
        [
            PYTHON,
            "-m",
            "gunicorn",
            "fanjiaxiang.wsgi",
            "-w",
            str(workers),
            "-b",
            f"{HOST}:{port}",
            "--error-logfile",
            str(log),
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
    )


def _wait_ready(port: int) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status, _ = asyncio.run(_get(port, "/healthz"))
        if status == 200:
            return
        time.sleep(0.5)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


# The load -----------------------------------------------------------------------------------


async def _get(port: int, path: str) -> tuple[int, float]:
    """One request; (status, seconds). Status 0: no answer within TIMEOUT or a broken one."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TIMEOUT):
            reader, writer = await asyncio.open_connection(HOST, port)
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n"
                # As the reverse proxy in front of gunicorn says: the visitor came over HTTPS.
                "X-Forwarded-Proto: https\r\nUser-Agent: fjx-load\r\n\r\n"
            )
            writer.write(request.encode())
            await writer.drain()
            data = await reader.read()
            writer.close()
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.") else -1
    except TimeoutError:
        status = 0
    except (OSError, ValueError, IndexError):
        status = -1
    return status, time.perf_counter() - started


async def _load(port: int, paths, seconds: float, connections: int) -> dict:
    """`connections` clients asking in a loop for `seconds`; `paths` is one path or a callable
    giving each request its own."""
    latencies: list[float] = []
    errors = timeouts = 0
    end = time.perf_counter() + seconds
    count = 0

    async def client() -> None:
        nonlocal errors, timeouts, count
        while time.perf_counter() < end:
            count += 1
            path = paths(count) if callable(paths) else paths
            status, elapsed = await _get(port, path)
            if status == 200:
                latencies.append(elapsed)
            elif status == 0:
                timeouts += 1
            else:
                errors += 1

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(connections)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000 if latencies else float("nan"),
        "errors": errors,
        "timeouts": timeouts,
    }


def _post_id(env: dict) -> int:
    sql = "SELECT id FROM positions_post WHERE status = 'published' ORDER BY id DESC LIMIT 1"
    out = _run(
        "psql", env["DATABASE_URL"], "-qAtc", sql, check=True, capture_output=True, text=True
    )
    return int(out.stdout.strip())


def _pages(env: dict) -> list[tuple[str, object]]:
    post = _post_id(env)
    counties = ["440104", "440106", "440303", "440604", "441302", "445102", "440507", "441881"]

    def varied(n: int) -> str:
        word = WORDS[n % len(WORDS)] + str(n)[-1]
        return f"/posts/?q={quote(word)}&county={counties[n % len(counties)]}&page={n % 3 + 1}"

    return [
        ("/verify/", "/verify/"),
        ("/ (home)", "/"),
        ("/posts/", "/posts/"),
        ("/posts/?province=440000", "/posts/?province=440000"),
        (
            "/posts/?province=…&city=…&county=440104",
            "/posts/?province=440000&city=440100&county=440104",
        ),
        ("/posts/?q=服务", f"/posts/?q={quote('服务')}"),
        ("/posts/?q=乡村振兴调研", f"/posts/?q={quote('乡村振兴调研')}"),
        ("/posts/?page=50&category=rural", "/posts/?page=50&category=rural"),
        (f"/posts/{post}/", f"/posts/{post}/"),
        ("keyword, each request another", varied),
    ]


def _measure(env: dict, port: int, args) -> list[tuple[str, dict]]:
    pages = _pages(env)
    # Every worker warm (its connections, its templates) and every page once in the cache
    # before anything is timed; /verify/ again at the end shows how steady the machine was.
    for _label, path in pages:
        asyncio.run(_load(port, path, 1.0, args.connections))
    rows = []
    for label, path in [*pages, ("/verify/ (again, last)", "/verify/")]:
        result = asyncio.run(_load(port, path, args.seconds, args.connections))
        print(f"  {label}: {result['rps']:.0f} req/s", flush=True)
        rows.append((label, result))
    return rows


def _report(rows, args) -> None:
    verify = rows[0][1]["rps"] or 1.0
    print(
        f"\n{args.connections} connections, {args.seconds:.0f} s a page, gunicorn -w {args.workers}, "
        f"{args.posts:,} published posts, {os.cpu_count()} cores\n"
    )
    print("| page | req/s | p50 ms | p99 ms | errors | time-outs | of /verify/ |")
    print("|---|---|---|---|---|---|---|")
    for label, r in rows:
        print(
            f"| {label} | {r['rps']:.0f} | {r['p50']:.0f} | {r['p99']:.0f} | {r['errors']} "
            f"| {r['timeouts']} | {r['rps'] / verify:.0%} |"
        )


def _rush(base: str, args, env: dict[str, str]) -> None:
    # The rush writes its students in this process: with the server's keys, so the server can
    # read the ID numbers it encrypted (another key would hand gunicorn undecryptable text).
    for key in ("SECRET_KEY", "FIELD_ENCRYPTION_SALTS", "DATABASE_URL", "REDIS_URL", "CACHE_URL"):
        os.environ[key] = env[key]
    database_url = env["DATABASE_URL"]
    path = ROOT / "benchmarks" / "rush.py"
    if not path.exists():
        print("\nbenchmarks/rush.py is not here: the application rush is skipped.")
        return
    spec = importlib.util.spec_from_file_location("rush", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    try:
        spec.loader.exec_module(module)  # type: ignore[union-attr]
    except Exception as error:  # noqa: BLE001 - another branch's script: say why, go on
        print(f"\nbenchmarks/rush.py could not be loaded ({error!r}): the rush is skipped.")
        return
    run = getattr(module, "run", None)
    if run is None:
        print(
            "\nbenchmarks/rush.py has no run(base_url, *, students, seconds, database_url): skipped."
        )
        return
    print(f"\nApplication rush ({args.rush_students:,} students, {args.rush_seconds:.0f} s):")
    figures = run(
        base, students=args.rush_students, seconds=args.rush_seconds, database_url=database_url
    )
    report = getattr(module, "report", None)
    if report is not None:
        print(report(figures))
        return
    for key, value in figures.items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
