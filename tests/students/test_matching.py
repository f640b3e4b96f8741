"""The matching core against its definition: stable, within capacities and acceptability, and
the best stable outcome for every student (checked by enumeration on small instances)."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from students.matching import stable_match


@st.composite
def instances(draw, max_students=7, max_posts=4):
    students = list(range(draw(st.integers(0, max_students))))
    posts = [f"p{i}" for i in range(draw(st.integers(0, max_posts)))]
    student_prefs = {
        s: draw(st.permutations(posts).map(lambda p: p[: draw(st.integers(0, len(posts)))]))
        for s in students
    }
    post_prefs = {
        p: draw(st.permutations(students).map(lambda s: s[: draw(st.integers(0, len(students)))]))
        for p in posts
    }
    capacities = {p: draw(st.integers(0, 3)) for p in posts}
    return student_prefs, post_prefs, capacities


def _assignment(result):
    return {s: post for post, students in result.items() for s in students}


def _prefers(prefs, a, b):
    """Does a list of preferences rank a above b? Being unassigned (None) is last."""
    if a is None:
        return False
    if b is None:
        return True
    return prefs.index(a) < prefs.index(b)


def _acceptable(student_prefs, post_prefs, s, p):
    return p in student_prefs.get(s, []) and s in post_prefs.get(p, [])


def _blocking_pairs(student_prefs, post_prefs, capacities, assignment):
    held = {}
    for s, p in assignment.items():
        held.setdefault(p, []).append(s)
    for s, prefs in student_prefs.items():
        for p in prefs:
            if not _acceptable(student_prefs, post_prefs, s, p) or capacities.get(p, 0) <= 0:
                continue
            if not _prefers(prefs, p, assignment.get(s)):
                continue
            holders = held.get(p, [])
            if len(holders) < capacities[p]:
                yield s, p
            elif any(post_prefs[p].index(s) < post_prefs[p].index(h) for h in holders):
                yield s, p


def _all_stable(student_prefs, post_prefs, capacities):
    students = list(student_prefs)
    options = [
        [None] + [p for p in student_prefs[s] if _acceptable(student_prefs, post_prefs, s, p)]
        for s in students
    ]
    for choice in itertools.product(*options):
        assignment = {s: p for s, p in zip(students, choice, strict=True) if p is not None}
        counts = {}
        for p in assignment.values():
            counts[p] = counts.get(p, 0) + 1
        if any(n > capacities.get(p, 0) for p, n in counts.items()):
            continue
        if not any(_blocking_pairs(student_prefs, post_prefs, capacities, assignment)):
            yield assignment


@settings(max_examples=300, deadline=None)
@given(instances(max_students=12, max_posts=6))
def test_the_result_is_stable_within_capacities_and_acceptable(instance):
    student_prefs, post_prefs, capacities = instance
    result = stable_match(student_prefs, post_prefs, capacities)
    assignment = _assignment(result)
    assert sum(len(v) for v in result.values()) == len(assignment)  # nobody placed twice
    for post, students in result.items():
        assert len(students) <= capacities.get(post, 0)
        assert students == [s for s in post_prefs.get(post, []) if s in students]  # post's order
        assert all(_acceptable(student_prefs, post_prefs, s, post) for s in students)
    assert not list(_blocking_pairs(student_prefs, post_prefs, capacities, assignment))


@settings(max_examples=200, deadline=None)
@given(instances(max_students=5, max_posts=3))
def test_every_student_does_at_least_as_well_as_in_any_stable_matching(instance):
    student_prefs, post_prefs, capacities = instance
    assignment = _assignment(stable_match(student_prefs, post_prefs, capacities))
    for other in _all_stable(student_prefs, post_prefs, capacities):
        for s, prefs in student_prefs.items():
            assert not _prefers(prefs, other.get(s), assignment.get(s))


def test_a_textbook_case():
    students = {"a": ["x", "y"], "b": ["x", "y"], "c": ["x"]}
    posts = {"x": ["c", "b", "a"], "y": ["a", "b"]}
    assert stable_match(students, posts, {"x": 1, "y": 1}) == {"x": ["c"], "y": ["a"]}


def test_only_mutually_listed_pairs_and_zero_capacity_take_no_one():
    students = {1: ["x", "z"], 2: ["x"]}
    posts = {"x": [2], "z": [1]}
    assert stable_match(students, posts, {"x": 5, "z": 0}) == {"x": [2], "z": []}
    assert stable_match(students, posts, {"x": 5}) == {"x": [2], "z": []}  # z has no capacity
