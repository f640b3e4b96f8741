"""The score table as a spreadsheet: the same rows the page shows the user, in the same scope."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.exporters import ListExporter
from summary import scoring, selectors
from summary.models import Score


class ScoreExporter(ListExporter):
    """Filters: `year` (a programme year the user reads; the view resolved it) and `kind`."""

    kind = Score.Kind.COUNTY

    def __init__(self, user, *, programme_year, published: bool, **filters):
        super().__init__(user, year=programme_year.year, **filters)
        self.programme_year = programme_year
        self.published = published

    @property
    def parts(self) -> tuple[scoring.Ruled, ...]:
        """The year's rule: the headers name its weights (each row's figures are its own)."""
        return selectors.year_rules(self.programme_year)[self.kind]

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
            computed_by = {
                part.key: part for part in scoring.ruled(self.kind, score.figures.get("rule"))
            }
            figures = [
                cell
                for part in self.parts
                for cell in (
                    score.parts.get(part.key, 0),
                    computed_by[part.key].shown(score.figures),
                )
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


class CityScoreExporter(ScoreExporter):
    name = _("地市年度评分")
    kind = Score.Kind.CITY

    def unit_headers(self) -> list:
        return [_("地市"), _("行政区划代码")]

    def unit_cells(self, score: Score) -> list:
        return [score.region.name, score.region.code]


class UniversityScoreExporter(ScoreExporter):
    name = _("高校年度评分")
    kind = Score.Kind.UNIVERSITY

    def unit_headers(self) -> list:
        return [_("高校"), _("学校标识码")]

    def unit_cells(self, score: Score) -> list:
        return [score.university.name, score.university.code]


EXPORTERS = {
    "county": CountyScoreExporter,
    "city": CityScoreExporter,
    "university": UniversityScoreExporter,
}
