"""The county's five tasks (五个一, seed 000 §四(二)) read from its year's figures.

`tasks(figures, dates, as_of=…)` is pure: it turns one county's figures (the dict
`summary.figures.county_figures` returns, the same one the scores store) and the year's dates into
the five tasks, each with its status, target, key figure and due date. Every page that shows the
five tasks (the county's page, the matrix and its Excel, the dashboards, the to-do list) goes
through `year_tasks`, so they all show the same numbers.

The notice dates only the posts and the practice; the other tasks' due dates are taken from the
year's milestones (docs/features.md "五个一"):

1. 开发一批实践岗位: reported students ≥ the quota, by the end of the year's last practice season;
2. 开展一次集中交流: one exchange held, by the end of the last practice season;
3. 建立一套联系机制: one channel that reaches someone, by the summer posts date (the channels
   carry the call for applicants);
4. 建立一本联系台账: people beyond the participants in the ledger and people contacted in the
   year, by the end of the summer practice;
5. 落实一批返乡就业: one verified 返乡就业创业 registration of the year, by the summary date.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from schedule.models import Milestone, ProgrammeYear
from summary.figures import county_figures

DONE = "done"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"
OVERDUE = "overdue"
STATUSES = {
    OVERDUE: _("已逾期"),
    NOT_STARTED: _("未开始"),
    IN_PROGRESS: _("进行中"),
    DONE: _("已完成"),
}

POSTS, EXCHANGE, CHANNELS, LEDGER, RETURNS = "posts", "exchange", "channels", "ledger", "returns"
TITLES = {
    POSTS: _("开发一批实践岗位"),
    EXCHANGE: _("开展一次集中交流"),
    CHANNELS: _("建立一套联系机制"),
    LEDGER: _("建立一本联系台账"),
    RETURNS: _("落实一批返乡就业"),
}
KEYS = tuple(TITLES)  # in the notice's order: task 1 is KEYS[0]
SHORT = {
    POSTS: _("岗位"),
    EXCHANGE: _("集中交流"),
    CHANNELS: _("联系机制"),
    LEDGER: _("联系台账"),
    RETURNS: _("返乡就业"),
}
DUE_RULES = {
    POSTS: _("最后一个实践季结束"),
    EXCHANGE: _("最后一个实践季结束"),
    CHANNELS: _("暑假岗位发布截止"),
    LEDGER: _("暑假实践结束"),
    RETURNS: _("年度总结表扬"),
}


@dataclass(frozen=True)
class Dates:
    """The year's dates the five tasks are due by (None: the year has no such date)."""

    last_practice: datetime.date | None = None
    summer_posts: datetime.date | None = None
    summer_practice: datetime.date | None = None
    summary: datetime.date | None = None

    def due(self, key: str) -> datetime.date | None:
        return {
            POSTS: self.last_practice,
            EXCHANGE: self.last_practice,
            CHANNELS: self.summer_posts,
            LEDGER: self.summer_practice,
            RETURNS: self.summary,
        }[key]


@dataclass(frozen=True)
class Task:
    number: int  # 1–5, the notice's numbering
    key: str
    status: str
    target: str  # what done means, in words
    figure: str  # the key figure a matrix cell shows ("38/50")
    due: datetime.date | None
    evidence: dict = field(default_factory=dict)  # the figures behind it

    @property
    def title(self) -> str:
        return str(TITLES[self.key])

    @property
    def short(self) -> str:
        return str(SHORT[self.key])

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def due_rule(self) -> str:
        return str(DUE_RULES[self.key])


def _status(done: bool, started: bool, due: datetime.date | None, as_of: datetime.date) -> str:
    if done:
        return DONE
    if due is not None and as_of > due:
        return OVERDUE
    return IN_PROGRESS if started else NOT_STARTED


def _posts(f: dict) -> tuple[bool, bool, str, str]:
    done = f["quota"] > 0 and f["reported"] >= f["quota"]
    started = f["posts_published"] > 0 or f["reported"] > 0
    target = _("报到学生不少于 %(n)s 人") % {"n": f["quota"]}
    return done, started, str(target), f"{f['reported']}/{f['quota']}"


def _exchange(f: dict) -> tuple[bool, bool, str, str]:
    figure = _("%(n)s 次 · %(people)s 人") % {
        "n": f["exchanges"],
        "people": f["exchange_attendance"],
    }
    return f["exchanges"] > 0, f["exchanges_planned"] > 0, str(_("集中交流 1 次")), str(figure)


def _channels(f: dict) -> tuple[bool, bool, str, str]:
    figure = _("%(n)s 个 · %(people)s 人") % {"n": f["channels"], "people": f["channel_members"]}
    return f["channels"] > 0, False, str(_("至少 1 个有成员的联系渠道")), str(figure)


def _ledger(f: dict) -> tuple[bool, bool, str, str]:
    done = f["ledger_beyond_participants"] > 0 and f["ledger_contacted"] > 0
    figure = _("%(n)s 人 · 联系 %(contacted)s") % {
        "n": f["ledger_entries"],
        "contacted": f["ledger_contacted"],
    }
    target = _("台账不只有参与实践的学生，且本年度有联系记录")
    return done, f["ledger_entries"] > 0, str(target), str(figure)


def _returns(f: dict) -> tuple[bool, bool, str, str]:
    figure = _("%(n)s 人") % {"n": f["returns_verified"]}
    target = _("至少 1 人经团组织对接返乡就业创业（已核实）")
    return f["returns_verified"] > 0, f["returns_pending"] > 0, str(target), str(figure)


RULES = {
    POSTS: (_posts, ("quota", "reported", "posts_published", "posts_headcount")),
    EXCHANGE: (
        _exchange,
        ("exchanges", "exchange_attendance", "exchange_last", "exchanges_planned"),
    ),
    CHANNELS: (_channels, ("channels", "channel_members")),
    LEDGER: (_ledger, ("ledger_entries", "ledger_beyond_participants", "ledger_contacted")),
    RETURNS: (_returns, ("returns_verified", "returns_pending")),
}


def tasks(figures: dict, dates: Dates, *, as_of: datetime.date) -> list[Task]:
    """A county's five tasks, in the notice's order."""
    found = []
    for number, key in enumerate(KEYS, start=1):
        rule, shown = RULES[key]
        done, started, target, figure = rule(figures)
        due = dates.due(key)
        found.append(
            Task(
                number=number,
                key=key,
                status=_status(done, started, due, as_of),
                target=target,
                figure=figure,
                due=due,
                evidence={name: figures[name] for name in shown},
            )
        )
    return found


def matches(county_tasks: list[Task], *, task: str = "", status: str = "") -> bool:
    """The matrix's filters: a status for one task, or for any task when no task is given."""
    if not status:
        return True
    chosen = [t for t in county_tasks if t.key == task] if task else county_tasks
    return any(t.status == status for t in chosen)


def counts(rows: Iterable[list[Task]]) -> dict[str, dict[str, int]]:
    """{task key: {status: counties}} over the counties' tasks (the dashboards' panel)."""
    found = {key: dict.fromkeys(STATUSES, 0) for key in KEYS}
    for county_tasks in rows:
        for task in county_tasks:
            found[task.key][task.status] += 1
    return found


# Reading the year (a constant number of queries whatever the number of counties) -------------


def year_dates(programme_year: ProgrammeYear) -> Dates:
    """The year's dates from its milestones that apply (one query), the seasons' ends (one
    more) when the year runs no practice milestone."""
    code = Milestone.Code
    dues = dict(
        programme_year.milestones.filter(applies=True).values_list("code", "due").order_by()
    )
    practices = [dues[c] for c in (code.SUMMER_PRACTICE, code.WINTER_PRACTICE) if c in dues]
    if not practices:
        practices = list(programme_year.seasons.values_list("practice_ends", flat=True))
    return Dates(
        last_practice=max(practices, default=None),
        summer_posts=dues.get(code.SUMMER_POSTS) or dues.get(code.WINTER_POSTS),
        summer_practice=dues.get(code.SUMMER_PRACTICE) or dues.get(code.WINTER_PRACTICE),
        summary=dues.get(code.SUMMARY),
    )


def year_tasks(
    programme_year: ProgrammeYear,
    *,
    as_of: datetime.date,
    counties: Iterable[int] | QuerySet | None = None,
) -> dict[int, tuple[dict, list[Task]]]:
    """{county id: (figures, tasks)} for the year's counties (or those of `counties`)."""
    dates = year_dates(programme_year)
    figures = county_figures(programme_year, as_of=as_of, counties=counties)
    return {county: (found, tasks(found, dates, as_of=as_of)) for county, found in figures.items()}
