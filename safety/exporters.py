"""参保情况 as a spreadsheet: the scoped list of placements with their insurance."""

from django.utils.translation import gettext_lazy as _

from fanjiaxiang.exporters import ListExporter
from safety import selectors


def _date(day) -> str:
    return f"{day:%Y-%m-%d}" if day else ""


class InsuranceExporter(ListExporter):
    """The county's (or university's) placements and whether each is insured, filtered as the
    list page is (season, insured)."""

    name = _("意外伤害保险参保情况")
    headers = (
        _("姓名"),
        _("就读高校"),
        _("实践季"),
        _("县（市、区）"),
        _("实践单位"),
        _("岗位"),
        _("实践开始"),
        _("实践结束"),
        _("是否参保"),
        _("保险公司"),
        _("保单号"),
        _("保险起期"),
        _("保险止期"),
    )

    def rows(self):
        placements = selectors.insurance_list(
            self.user,
            season=str(self.filters.get("season", "")),
            insured=str(self.filters.get("insured", "")),
        )
        for p in placements.iterator(chunk_size=2000):
            insurance = p.insurance if p.insured else None
            yield [
                p.student.name,
                p.student.university.name,
                str(p.season),
                p.post.host_unit.county.name,
                p.post.host_unit.name,
                p.post.title,
                _date(p.post.starts_on),
                _date(p.post.ends_on),
                _("已参保") if insurance else _("未参保"),
                insurance.insurer if insurance else "",
                insurance.policy_number if insurance else "",
                _date(insurance.starts_on) if insurance else "",
                _date(insurance.ends_on) if insurance else "",
            ]
