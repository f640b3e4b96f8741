"""The university's dashboard as a spreadsheet: one row per hometown county, with its province
and city, the same figures and scope as the page."""

from django.utils.translation import gettext_lazy as _

from fanjiaxiang.exporters import ListExporter
from universities import selectors


class DashboardExporter(ListExporter):
    name = _("本校学生参与统计")
    headers = (
        _("生源省份"),
        _("生源城市"),
        _("生源县（市、区）"),
        _("注册"),
        _("报名"),
        _("录用"),
        _("完成"),
        _("学分认定"),
    )

    def rows(self):
        counts = selectors.dashboard_counts(
            self.user, year=self.filters.get("year"), season=self.filters.get("season")
        )
        for row in selectors.dashboard_counties(counts, self.filters.get("province") or ""):
            county = row.region
            yield [county.parent.parent.name, county.parent.name, county.name, *row.figures()]
