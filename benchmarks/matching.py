"""Time `stable_match` on random instances: N students with five choices each; with
DATABASE_URL pointing at PostgreSQL, then a county's DB-backed round of 5,000 applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang .venv/bin/python benchmarks/matching.py

Posts number N/10 (about 50 applicants each) with 1–5 seats; each post ranks exactly its
applicants in a random order, as a host unit would; the picky shape (`--shapes picky`) has a
fifth of the posts rank only half of theirs. Prints the time of the matching alone (wall clock
and the process's CPU time, which is what to compare on a shared machine) and the peak memory
of the process; `--reference` also runs the implementation before issue 19 and compares. (The DB-backed round arrives with the matching-round pages.)
"""

import argparse
import os
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from students.matching import stable_match  # noqa: E402


def instance(n_students: int, choices: int, seed: int, *, picky: bool = False):
    """With `picky`, a fifth of the posts rank only a random half of their applicants: the
    other half are unacceptable to them (the shape that was slowest, issue 19)."""
    rng = random.Random(seed)
    n_posts = max(choices, n_students // 10)
    posts = range(n_posts)
    student_prefs = {s: rng.sample(posts, choices) for s in range(n_students)}
    applicants: dict[int, list[int]] = {p: [] for p in posts}
    for s, prefs in student_prefs.items():
        for p in prefs:
            applicants[p].append(s)
    for p, ranked in applicants.items():
        rng.shuffle(ranked)
        if picky and p % 5 == 0:
            del ranked[len(ranked) // 2 :]
    capacities = {p: rng.randint(1, 5) for p in posts}
    return student_prefs, applicants, capacities


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 100_000, 1_000_000])
    parser.add_argument("--choices", type=int, default=5)
    parser.add_argument(
        "--shapes", nargs="+", choices=["random", "picky"], default=["random", "picky"]
    )
    parser.add_argument(
        "--reference",
        action="store_true",
        help="also time the previous implementation (tests/students/matching_reference.py) "
        "and check that both give the same result",
    )
    args = parser.parse_args()
    header = f"{'shape':>7}{'students':>10}{'posts':>9}{'seats':>9}{'placed':>9}{'match s':>9}"
    print(header + " cpu s  +MB" + ("  reference s  cpu s  same" if args.reference else ""))
    for shape in args.shapes:
        for n in args.sizes:
            _row(shape, n, args.choices, args.reference)
    print(f"peak memory of the process: {_peak_mb():,.0f} MB")
    print("(+MB: how far the matching raised the peak above the instance's own memory)")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("\nDB-backed round on PostgreSQL (benchmarks/matching_round.py):")
        import matching_round

        return matching_round.main([])
    print("(set DATABASE_URL to a PostgreSQL server to time the DB-backed round as well)")
    return 0


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _row(shape: str, n: int, choices: int, reference: bool) -> None:
    student_prefs, post_prefs, capacities = instance(n, choices, seed=n, picky=shape == "picky")
    start, cpu, peak = time.perf_counter(), time.process_time(), _peak_mb()
    result = stable_match(student_prefs, post_prefs, capacities)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    placed = sum(len(v) for v in result.values())
    line = f"{shape:>7}{n:>10,}{len(post_prefs):>9,}{sum(capacities.values()):>9,}{placed:>9,}"
    line += f"{elapsed:>9.2f}{cpu:>7.2f}{_peak_mb() - peak:>+8,.0f}"
    if reference:
        from tests.students.matching_reference import stable_match as reference_match

        start, cpu = time.perf_counter(), time.process_time()
        expected = reference_match(student_prefs, post_prefs, capacities)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        line += f"{elapsed:>13.2f}{cpu:>7.2f}  {'yes' if expected == result else 'NO'}"
    print(line, flush=True)


if __name__ == "__main__":
    sys.exit(main())
