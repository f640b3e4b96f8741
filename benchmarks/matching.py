"""Time `stable_match` on random instances: N students with five choices each; with
DATABASE_URL pointing at PostgreSQL, then a county's DB-backed round of 5,000 applications.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/fanjiaxiang .venv/bin/python benchmarks/matching.py

Posts number N/10 (about 50 applicants each) with 1–5 seats; each post ranks exactly its
applicants in a random order, as a host unit would. Prints the time of the matching alone and
the peak memory of the process. (The DB-backed round arrives with the matching-round pages.)
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


def instance(n_students: int, choices: int, seed: int):
    rng = random.Random(seed)
    n_posts = max(choices, n_students // 10)
    posts = range(n_posts)
    student_prefs = {s: rng.sample(posts, choices) for s in range(n_students)}
    applicants: dict[int, list[int]] = {p: [] for p in posts}
    for s, prefs in student_prefs.items():
        for p in prefs:
            applicants[p].append(s)
    for ranked in applicants.values():
        rng.shuffle(ranked)
    capacities = {p: rng.randint(1, 5) for p in posts}
    return student_prefs, applicants, capacities


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2_000, 100_000, 1_000_000])
    parser.add_argument("--choices", type=int, default=5)
    args = parser.parse_args()
    print(f"{'students':>10}{'posts':>9}{'seats':>9}{'placed':>9}{'match s':>9}")
    for n in args.sizes:
        student_prefs, post_prefs, capacities = instance(n, args.choices, seed=n)
        start = time.perf_counter()
        result = stable_match(student_prefs, post_prefs, capacities)
        elapsed = time.perf_counter() - start
        placed = sum(len(v) for v in result.values())
        print(
            f"{n:>10,}{len(post_prefs):>9,}{sum(capacities.values()):>9,}{placed:>9,}{elapsed:>9.2f}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory of the process: {peak:,.0f} MB")
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("\nDB-backed round on PostgreSQL (benchmarks/matching_round.py):")
        import matching_round

        return matching_round.main([])
    print("(set DATABASE_URL to a PostgreSQL server to time the DB-backed round as well)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
