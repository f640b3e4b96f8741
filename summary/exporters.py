"""The score table as a spreadsheet: the same rows the page shows the user, in the same scope."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.exporters import ListExporter
from summary import five, scoring, selectors
from summary.models import Score


class ScoreExporter(ListExporter):
    """Filters: `year` (a programme year the user reads; the view resolved it) and `kind`."""

    kind = Score.Kind.COUNTY

    def __init__(self, user, *, programme_year, published: bool, **filters):
        super().__init__(user, year=programme_year.year, **filters)
        self.programme_year = programme_year
        self.published = published

    @property
    def parts(self) -> tuple[scoring.Part, ...]:
        return scoring.PARTS[self.kind]

    def unit_headers(self) -> list:
        return [_("县（市、区）"), _("所属地市")]

    def unit_cells(self, score: Score) -> list:
        return [score.region.name, score.region.parent.name]

    @property
    def headers(self):
        figures = [
            header
            for part in self.parts
            for header in (
                f"{part.label}（{part.weight}分）",
                _("%(part)s：依据") % {"part": part.label},
            )
        ]
        return [
            _("名次"),
            *self.unit_headers(),
            *figures,
            _("计算得分"),
            _("省级调整"),
            _("调整原因"),
            _("最终得分"),
            _("表扬"),
            _("计算时间"),
        ]

    def rows(self):
        scores = selectors.scores_for_user(
            self.user, self.programme_year, published=self.published
        ).filter(kind=self.kind)
        for rank, score in enumerate(scores.iterator(chunk_size=1000), start=1):
            figures = [
                cell
                for part in self.parts
                for cell in (score.parts.get(part.key, 0), part.shown(score.figures))
            ]
            yield [
                rank,
                *self.unit_cells(score),
                *figures,
                float(score.computed),
                float(score.adjustment),
                score.adjustment_reason,
                float(score.final_points),
                _("是") if score.commended else "",
                timezone.localtime(score.computed_at).strftime("%Y-%m-%d %H:%M"),
            ]


class CountyScoreExporter(ScoreExporter):
    name = _("县（市、区）年度评分")
    kind = Score.Kind.COUNTY


class UniversityScoreExporter(ScoreExporter):
    name = _("高校年度评分")
    kind = Score.Kind.UNIVERSITY

    def unit_headers(self) -> list:
        return [_("高校"), _("学校标识码")]

    def unit_cells(self, score: Score) -> list:
        return [score.university.name, score.university.code]


EXPORTERS = {"county": CountyScoreExporter, "university": UniversityScoreExporter}


class FiveTasksExporter(ListExporter):
    """The 五个一 matrix as a spreadsheet: the rows the page shows, with the same filters, and
    the figures behind each status (the same `county_figures` the page and the scores read)."""

    name = _("五个一进展")

    def __init__(self, user, *, programme_year, as_of, city=None, task="", status=""):
        super().__init__(
            user,
            year=programme_year.year,
            city=city.name if city else "",
            task=task,
            status=status,
        )
        self.programme_year, self.as_of, self.city = programme_year, as_of, city
        self.task, self.status = task, status

    @property
    def headers(self):
        statuses = [
            header
            for key in five.KEYS
            for header in (
                f"{five.KEYS.index(key) + 1}. {five.TITLES[key]}",
                _("%(task)s：数据") % {"task": five.SHORT[key]},
            )
        ]
        return [
            _("所属地市"),
            _("县（市、区）"),
            *statuses,
            *(label for _key, label in FIGURE_COLUMNS),
            _("统计日期"),
        ]

    def rows(self):
        for row in selectors.five_rows(
            self.user, self.programme_year, as_of=self.as_of, city=self.city
        ):
            if not five.matches(row.tasks, task=self.task, status=self.status):
                continue
            cells = [cell for t in row.tasks for cell in (t.status_label, t.figure)]
            yield [
                row.county.parent.name,
                row.county.name,
                *cells,
                *(row.figures[key] for key, _label in FIGURE_COLUMNS),
                self.as_of.isoformat(),
            ]


# The figures of county_figures each task reads, as the spreadsheet's columns.
FIGURE_COLUMNS = (
    ("quota", _("报到人数下限")),
    ("reported", _("已报到人数")),
    ("posts_published", _("已发布岗位数")),
    ("posts_headcount", _("岗位招募人数")),
    ("exchanges", _("集中交流次数")),
    ("exchange_attendance", _("集中交流出席人数")),
    ("exchange_last", _("最近一次集中交流")),
    ("channels", _("联系渠道数")),
    ("channel_members", _("渠道联系人数")),
    ("ledger_entries", _("台账人数")),
    ("ledger_beyond_participants", _("台账中非参与实践人数")),
    ("ledger_contacted", _("本年度联系人数")),
    ("returns_verified", _("返乡就业创业（已核实）")),
    ("returns_pending", _("返乡就业创业（待核实）")),
)
