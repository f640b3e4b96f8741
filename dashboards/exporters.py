"""Every dashboard table as a spreadsheet: the same figures the page shows, the same scope."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dashboards.models import FUNNEL, CountySeasonStats
from dashboards.selectors import Dashboard
from fanjiaxiang.exporters import ListExporter

STATE_LABELS = {
    "met": _("已达标"),
    "on_track": _("正常推进"),
    "at_risk": _("未达标风险"),
    "short": _("未达标"),
    "": _("无指标"),
}
STATUS_LABELS = {
    "done": _("已完成"),
    "done_late": _("逾期完成"),
    "overdue": _("已逾期"),
    "pending": _("未完成"),
    "excused": _("已豁免"),
}


def funnel_headers() -> list:
    return [CountySeasonStats._meta.get_field(key).verbose_name for key in FUNNEL]


class _BoardExporter(ListExporter):
    def __init__(self, user, *, board: Dashboard, **filters):
        super().__init__(user, **filters)
        self.board = board

    @property
    def title(self) -> str:
        place = self.board.region.name if self.board.region else gettext("全国")
        return f"{place}{self.board.year or ''}{self.name}"

    def filename(self, extension: str) -> str:
        return f"{self.title}.{extension}"


class UnitsExporter(_BoardExporter):
    """The funnel, quota and ledger figures of each unit one level down, and the total."""

    name = _("分地区情况")

    @property
    def headers(self):
        return (
            _("单位"),
            *funnel_headers(),
            _("报到人数下限"),
            _("已报到（指标）"),
            _("指标完成率"),
            _("台账人数"),
            _("本季联系次数"),
            _("返乡就业创业（已核实）"),
        )

    def rows(self):
        for row in [*self.board.rows, self.board.total]:
            name = row.region.name if row.region else gettext("全国")
            if row is self.board.total:
                name = gettext("合计")
            yield [
                name,
                *[row.funnel[key] for key in FUNNEL],
                row.quota,
                row.quota_reported,
                f"{row.attainment}%" if row.attainment is not None else "",
                row.ledger_size,
                row.contacts,
                row.returns,
            ]


class QuotasExporter(_BoardExporter):
    """Each county's quota attainment."""

    name = _("县（市、区）报到指标")
    headers = (
        _("市"),
        _("县（市、区）"),
        _("行政区划代码"),
        _("已报到"),
        _("报到人数下限"),
        _("完成率"),
        _("状态"),
    )

    def rows(self):
        for county in self.board.counties:
            quota = county["quota"]
            yield [
                county["city"],
                county["name"],
                county["code"],
                county["quota_reported"],
                quota,
                f"{round(100 * county['quota_reported'] / quota)}%" if quota else "",
                STATE_LABELS[county["quota_state"]],
            ]


class MilestonesExporter(_BoardExporter):
    """The compliance matrix: one line per unit, one column per milestone."""

    name = _("节点完成情况")

    @property
    def headers(self):
        return (_("单位"), *[label for _code, label in self.board.milestones])

    def rows(self):
        for _unit, label, cells in self.board.matrix:
            yield [label, *[describe(cell) for cell in cells]]


def describe(cell: dict | None) -> str:
    """ "已完成 3 · 已逾期 1" — what a cell of the matrix says."""
    if not cell:
        return "—"
    return " · ".join(f"{STATUS_LABELS[key]} {n}" for key, n in cell.items() if n)


EXPORTERS = {"units": UnitsExporter, "quotas": QuotasExporter, "milestones": MilestonesExporter}
