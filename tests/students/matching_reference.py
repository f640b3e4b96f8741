"""The implementation of `stable_match` before issue 19 made it faster, kept unchanged as the
reference the fast one must agree with (tests/students/test_matching_reference.py) and that
`benchmarks/matching.py --reference` times. Do not optimise this copy."""

from collections.abc import Hashable, Mapping, Sequence
from heapq import heappush, heapreplace


def stable_match(
    student_prefs: Mapping[Hashable, Sequence[Hashable]],
    post_prefs: Mapping[Hashable, Sequence[Hashable]],
    capacities: Mapping[Hashable, int],
) -> dict[Hashable, list[Hashable]]:
    """Students propose in their order; each post holds the best applicants it has seen so far
    up to its capacity. The result is stable and the best stable outcome for every student.

    - `student_prefs`: student → posts, best first.
    - `post_prefs`: post → students, best first.
    - `capacities`: post → seats; a missing post or a capacity of 0 takes no one.
    A pair is acceptable only when each lists the other. Returns post → its students, in the
    post's order of preference, for every post named in `post_prefs` or `capacities`.
    """
    # Only posts with seats can hold anyone; rank[post][student] is the post's order.
    rank = {
        post: {s: i for i, s in enumerate(ranked)}
        for post, ranked in post_prefs.items()
        if capacities.get(post, 0) > 0
    }
    held: dict[Hashable, list[tuple[int, Hashable]]] = {}  # post → heap of (-rank, student)
    next_choice = dict.fromkeys(student_prefs, 0)
    free = list(student_prefs)
    while free:
        student = free.pop()
        choices, i = student_prefs[student], next_choice[student]
        while i < len(choices):
            post = choices[i]
            i += 1
            r = rank.get(post, _NOBODY).get(student)
            if r is None:
                continue  # the post does not list this student (or has no seats)
            heap = held.get(post)
            if heap is None:
                heap = held[post] = []
            if len(heap) < capacities[post]:
                heappush(heap, (-r, student))
                break
            if r < -heap[0][0]:  # better than the worst held: that one is free again
                free.append(heapreplace(heap, (-r, student))[1])
                break
        next_choice[student] = i
    posts = set(post_prefs) | set(capacities)
    return {post: [s for _, s in sorted(held.get(post, []), reverse=True)] for post in posts}


_NOBODY: dict = {}
