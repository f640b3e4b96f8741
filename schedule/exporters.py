"""The quarterly progress report (项目推进表) as a spreadsheet, in seed 002's columns."""

from django.utils.translation import gettext_lazy as _

from fanjiaxiang.exporters import ListExporter


class ProgressReportExporter(ListExporter):
    """One report's lines; the report is the one the user's access helper returned."""

    headers = (
        _("序号"),
        _("类别"),
        _("项目名称"),
        _("主要内容"),
        _("推进情况"),
        _("覆盖青少年数"),
        _("完成时限"),
    )

    def __init__(self, user, *, report):
        super().__init__(user, report=report.pk)
        self.report = report
        self.name = (
            f"{report.unit_name}{report.programme_year}{report.get_quarter_display()}项目推进表"
        )

    def rows(self):
        for row in self.report.rows.all():
            yield [
                row.number,
                row.get_category_display(),
                row.title,
                row.content,
                row.progress,
                row.youth_covered,
                row.deadline,
            ]
