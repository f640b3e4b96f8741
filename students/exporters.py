"""Spreadsheets of students, always built from the scoped selectors and always masked."""

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.validators import mask_phone
from fanjiaxiang.exporters import ListExporter
from students import credits, fit, selectors
from students.committees import committee_formal_name
from students.models import Application, Placement


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


class UniversityPlacementsExporter(ListExporter):
    """A university's students' placements (its 第二课堂 office works from this)."""

    name = _("本校学生实践安排")
    headers = (
        _("学号"),
        _("姓名"),
        _("身份证号"),
        _("学院"),
        _("专业"),
        _("实践季"),
        _("岗位"),
        _("实践单位"),
        _("县（市、区）"),
        _("状态"),
        _("报到时间"),
        _("鉴定等次"),
        _("时长（小时）"),
        _("证书编号"),
    )

    def rows(self):
        placements = (
            selectors.placements_for_user(self.user)
            .select_related("post__host_unit")
            .order_by("student__student_number", "pk")
        )
        for p in placements.iterator(chunk_size=2000):
            county = p.post.host_unit.county
            yield [
                p.student.student_number,
                p.student.name,
                p.student.id_number_masked,
                p.student.college,
                p.student.major,
                str(p.season),
                p.post.title,
                p.post.host_unit.name,
                f"{county.parent.name}{county.name}",
                str(p.get_status_display()),
                _local(p.reported_at),
                str(p.get_rating_display()) if p.rating else "",
                p.hours if p.hours is not None else "",
                p.certificate_code or "",
            ]


class ApplicantsExporter(ListExporter):
    """One post's applicants, for the county's and host unit's selection meeting."""

    name = _("岗位报名名单")
    headers = (
        _("姓名"),
        _("高校"),
        _("专业"),
        _("年级"),
        _("手机"),
        _("意向"),
        _("状态"),
        _("用人单位排序"),
        _("报名说明"),
        _("报名时间"),
        _("特长/技能"),
        _("专业对口"),
        _("对口说明"),
    )

    def rows(self):
        applications = (
            selectors.applications_for_user(self.user)
            .filter(post=self.filters["post"])
            .exclude(status=Application.Status.WITHDRAWN)  # as on the page
            .order_by("host_unsuitable", "host_rank", "created_at")
        )
        for a in applications.iterator(chunk_size=2000):
            match = fit.post_fit(a.post, a.student)  # 专业对口, as on the page
            yield [
                a.student.name,
                a.student.university.name,
                a.student.major,
                a.student.grade,
                mask_phone(a.student.phone),
                a.rank,
                str(a.get_status_display()),
                gettext("不合适") if a.host_unsuitable else (a.host_rank or ""),
                a.statement,
                _local(a.created_at),
                a.student.skills,
                match.score,
                "；".join(match.reasons),
            ]


class CreditsExporter(ListExporter):
    """第二课堂学分: a university's completed placements in the columns its 第二课堂成绩单 system
    imports, with the credits its rule gives. No ID numbers or phones. Reads tuples in chunks
    and is streamed, so 100,000 rows take seconds and memory stays flat; every university's rule
    is read in one query."""

    name = _("第二课堂学分")
    headers = (
        _("学号"),
        _("姓名"),
        _("学院"),
        _("专业"),
        _("项目"),
        _("岗位"),
        _("实践单位"),
        _("县（市、区）"),
        _("时长（小时）"),
        _("鉴定等次"),
        _("认证单位"),
        _("证书编号"),
        _("学分"),
        _("高校"),
        _("鉴定方式"),  # 用人单位, or the county jointly / on its behalf (联合用人单位)
    )
    widths = (14, 10, 16, 18, 30, 24, 24, 16, 10, 10, 18, 16, 8, 18, 20)
    streaming_xlsx = True
    # What one row reads from the database, in this order (see `rows`).
    values = (
        "student__student_number",
        "student__name",
        "student__college",
        "student__major",
        "season__programme_year__year",
        "season__kind",
        "season__practice_starts",
        "season__practice_ends",
        "post__title",
        "post__host_unit__name",
        "post__host_unit__county__parent__name",
        "post__host_unit__county__name",
        "hours",
        "rating",
        "certificate_code",
        "student__university_id",
        "student__university__name",
        "evaluated_by",
    )
    limit: int | None = None  # the first rows only (benchmarks)

    def __init__(self, user, **filters):
        # Filters left empty are not filters (nor noise in the audit log).
        super().__init__(user, **{k: v for k, v in filters.items() if v not in (None, "")})
        self.everyone = False

    @classmethod
    def unscoped(cls, **filters) -> "CreditsExporter":
        """For the command line, run by the operator: every university, or `university=`."""
        exporter = cls(None, **filters)
        exporter.everyone = True
        return exporter

    def placements(self):
        year, season = self.filters.get("year"), self.filters.get("season")
        if self.everyone:
            found = credits.credit_placements(
                university=self.filters.get("university"), year=year, season=season
            )
        else:
            found = credits.credit_placements_for_user(self.user, year=year, season=season)
        return found[: self.limit] if self.limit else found

    def rows(self):
        """Cells are str, int or float. Names and credits repeat across rows, so each is worked
        out once."""
        rules = credits.Rules()
        ratings = {value: str(label) for value, label in Placement.Rating.choices}
        evaluators = {value: str(label) for value, label in Placement.Evaluator.choices}
        projects: dict[tuple, str] = {}
        committees: dict[tuple, str] = {}
        earned_by: dict[tuple, int | float] = {}
        for row in self.placements().values_list(*self.values).iterator(chunk_size=2000):
            (number, name, college, major, year, kind, starts, ends, title, unit, city, county,
             hours, rating, code, university_id, university, evaluated_by) = row  # fmt: skip
            project = projects.get((year, kind, starts, ends))
            if project is None:
                project = projects[year, kind, starts, ends] = credits.project_name(
                    year, kind, starts, ends
                )
            place = (city, county)
            committee = committees.get(place)
            if committee is None:
                committee = committees[place] = committee_formal_name(city, county)
            key = (university_id, hours, rating)
            earned = earned_by.get(key)
            if earned is None:
                earned = earned_by[key] = credits.credits_number(
                    rules[university_id].credits_for(hours=hours, rating=rating)
                )
            yield [
                number,
                name,
                college,
                major,
                project,
                title,
                unit,
                f"{city}{county}",
                hours,
                ratings.get(rating, ""),
                committee,
                code or "",
                earned,
                university,
                evaluators.get(evaluated_by, ""),
            ]
