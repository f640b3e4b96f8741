"""One item of a home page's to-do list (工作台), the shape every app's selectors hand back.

Each says what to do, how many, the nearest date and where it is done; the home view only
gathers the items of the user's role and the template shows them in one way.
"""

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Todo:
    key: str  # a stable name: tests and the page's anchors use it
    title: str  # what to do, as the user reads it
    count: int
    url: str  # the page where it is done, with its filter
    action: str  # the link's words
    due: datetime.date | datetime.datetime | None = None
    due_label: str = ""  # what the date is: 截止, 最早, 期满 …
    urgent: bool = False  # late or due today: shown in red
    rows: list = field(default_factory=list)  # a few records shown right there (check-in codes)

    @property
    def due_has_time(self) -> bool:
        """An offer lapses at an hour, a milestone on a day."""
        return isinstance(self.due, datetime.datetime)


def nearest(*days):
    """The earliest of the dates given, ignoring the missing ones."""
    found = [day for day in days if day is not None]
    return min(found) if found else None
