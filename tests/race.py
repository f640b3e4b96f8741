"""Real concurrent transactions for the PostgreSQL tests: one helper, so every race is run alike.

Each action runs in its own thread, on its own database connection, and all are released at
once by a barrier, so their transactions overlap as two clicks or two workers would.
"""

import threading
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection

OK = "ok"


def race(actions: Sequence[Callable[[], Any]], *, returns: bool = False) -> list[Any]:
    """What each action came to, in the actions' order: "ok" (or, with `returns`, what it
    returned) or, when it refused, its ValidationError's messages joined. Any other exception
    (a deadlock, an IntegrityError) is raised here once every thread has ended: a race that
    crashes fails the test instead of dying quietly in its thread."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[Any] = [None] * len(actions)
    crashes: list[BaseException] = []

    def run(index: int, action: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=60)
            result = action()
            outcomes[index] = result if returns else OK
        except ValidationError as error:
            outcomes[index] = " ".join(error.messages)
        except BaseException as error:  # re-raised below, in the test's own thread
            crashes.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if crashes:
        raise crashes[0]
    return outcomes
