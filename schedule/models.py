import datetime

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.models import Reviewed

# The stages whose milestone a province may lock at its date (Milestone.hard_lock).
LOCKABLE_STAGES = ("posts", "match")


def year_in_force(day: datetime.date) -> int:
    """The programme year in force on `day`, the one answer every page, task and the demo use.

    A year runs from April, when the previous year's summary (3/31) is due, to the next March
    (its winter practice and its own summary): on 2027-01-15 the 2026 year is in force, on
    2027-04-10 the 2027 year. Its plans (3/31) are prepared in the March before, while the
    previous year is still in force; the calendar run looks after both (years_enforced)."""
    return day.year if day >= datetime.date(day.year, 4, 1) else day.year - 1


def years_enforced(day: datetime.date) -> tuple[int, int]:
    """The programme years whose calendar the daily run enforces on `day`: the year in force
    and, from January, the next one (its plans are due 3/31, reminders from 3/24), or, from
    April, the previous one (flagged the day after its summary; its late units may finish)."""
    year = year_in_force(day)
    return (year, year + 1) if day.month < 4 else (year - 1, year)


def season_label(*, year: int, kind: str, starts: datetime.date, ends: datetime.date) -> str:
    """How a season is written everywhere: 2026年度暑假（2026年7—8月）, 2026年度寒假（2027年
    1—2月）. The months are the season's own practice window, so a province that moves its
    dates sees its own months, and a winter season shows the calendar year it falls in."""
    if (starts.year, starts.month) == (ends.year, ends.month):
        months = _("%(year)s年%(month)s月") % {"year": starts.year, "month": starts.month}
    elif starts.year == ends.year:
        months = _("%(year)s年%(first)s—%(last)s月") % {
            "year": starts.year,
            "first": starts.month,
            "last": ends.month,
        }
    else:
        months = _("%(year)s年%(first)s月—%(end_year)s年%(last)s月") % {
            "year": starts.year,
            "first": starts.month,
            "end_year": ends.year,
            "last": ends.month,
        }
    return _("%(year)s年度%(kind)s（%(months)s）") % {
        "year": year,
        "kind": Season.Kind(kind).label,
        "months": months,
    }


class ProgrammeYear(models.Model):
    """A province's programme year: its settings, seasons and calendar of milestones."""

    province = models.ForeignKey(
        "positions.Region",
        verbose_name=_("省份"),
        on_delete=models.PROTECT,
        related_name="programme_years",
        limit_choices_to={"level": "province"},
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quota_per_county = models.PositiveIntegerField(_("每个县（市、区）报到人数下限"), default=50)
    max_preferences = models.PositiveSmallIntegerField(_("每人可填意向数"), default=3)
    offer_reply_days = models.PositiveSmallIntegerField(_("录用确认期限（天）"), default=3)

    class Meta:
        verbose_name = _("活动年度")
        verbose_name_plural = _("活动年度")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="programme_year_unique"),
            models.CheckConstraint(
                condition=Q(max_preferences__gt=0), name="programme_year_prefs_positive"
            ),
            models.CheckConstraint(
                condition=Q(offer_reply_days__gt=0), name="programme_year_reply_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s年度") % {"year": self.year}


class Season(models.Model):
    """暑假 or 寒假 of a programme year, with the window in which students practise."""

    class Kind(models.TextChoices):
        SUMMER = "summer", _("暑假")
        WINTER = "winter", _("寒假")

    programme_year = models.ForeignKey(
        ProgrammeYear, verbose_name=_("活动年度"), on_delete=models.CASCADE, related_name="seasons"
    )
    kind = models.CharField(_("实践季"), max_length=8, choices=Kind.choices)
    practice_starts = models.DateField(_("实践开始日期"))
    practice_ends = models.DateField(_("实践结束日期"))

    class Meta:
        verbose_name = _("实践季")
        verbose_name_plural = _("实践季")
        ordering = ["practice_starts"]
        constraints = [
            models.UniqueConstraint(fields=["programme_year", "kind"], name="season_unique_kind"),
            models.CheckConstraint(
                condition=Q(practice_starts__lt=F("practice_ends")),
                name="season_starts_before_it_ends",
            ),
        ]

    def __str__(self) -> str:
        return season_label(
            year=self.programme_year.year,
            kind=self.kind,
            starts=self.practice_starts,
            ends=self.practice_ends,
        )

    def contains(self, day: datetime.date) -> bool:
        return self.practice_starts <= day <= self.practice_ends


class Milestone(models.Model):
    """A date in a programme year's calendar (DESIGN.md's table). Every unit it applies to gets
    a UnitMilestone that says whether that unit is done."""

    class Code(models.TextChoices):
        PLAN = "plan", _("制定实施方案")
        ONBOARD = "onboard", _("入驻平台")
        SUMMER_POSTS = "summer_posts", _("发布暑假岗位")
        SUMMER_MATCH = "summer_match", _("暑假选拔录用")
        SUMMER_PRACTICE = "summer_practice", _("暑假实践")
        WINTER_POSTS = "winter_posts", _("发布寒假岗位")
        WINTER_MATCH = "winter_match", _("寒假选拔录用")
        WINTER_PRACTICE = "winter_practice", _("寒假实践")
        SUMMARY = "summary", _("总结表扬")
        # Seed 002: cities and universities report how their work goes at the end of June,
        # September and December (项目推进表).
        PROGRESS_Q2 = "progress_q2", _("第二季度推进情况")
        PROGRESS_Q3 = "progress_q3", _("第三季度推进情况")
        PROGRESS_Q4 = "progress_q4", _("第四季度推进情况")
        # A date the province adds of its own (统一行动日, 结对 …): titled, for the levels it
        # chooses, done when the unit marks it done.
        CUSTOM = "custom", _("省级自定节点")

    programme_year = models.ForeignKey(
        ProgrammeYear,
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    code = models.CharField(_("节点"), max_length=16, choices=Code.choices)
    title = models.CharField(_("节点名称"), max_length=60, blank=True)
    description = models.TextField(_("说明"), max_length=1000, blank=True)
    # The levels a province's own milestone applies to; the template's codes fix their own.
    for_city = models.BooleanField(_("市级团委"), default=False)
    for_county = models.BooleanField(_("县级团委"), default=False)
    for_university = models.BooleanField(_("高校团委"), default=False)
    season = models.ForeignKey(
        Season,
        verbose_name=_("实践季"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="milestones",
    )
    due = models.DateField(_("截止日期"))
    applies = models.BooleanField(
        _("本年度开展"),
        default=True,
        help_text=_("例如只开展寒假（春节）实践的省份，可把暑假节点设为不开展。"),
    )
    # Seed 000's dates say by when work is to be done (…前完成): late work is flagged, not
    # refused. A province may still lock a posts or selection milestone at its date.
    hard_lock = models.BooleanField(
        _("截止后锁定"),
        default=False,
        help_text=_(
            "勾选后，截止日期（或单位的延期日期）过后不能再发布该季岗位，或不能再报名、录用、"
            "确认，未决的意向和录用在截止次日关闭。不勾选时逾期仍可办理，只标记逾期。"
        ),
    )

    class Meta:
        verbose_name = _("工作节点")
        verbose_name_plural = _("工作节点")
        ordering = ["due", "id"]
        constraints = [
            # One per template code and year; a province adds as many of its own as it likes.
            models.UniqueConstraint(
                fields=["programme_year", "code"],
                condition=~Q(code="custom"),
                name="milestone_unique",
            ),
            models.CheckConstraint(
                condition=~Q(code="custom")
                | (~Q(title="") & (Q(for_city=True) | Q(for_county=True) | Q(for_university=True))),
                name="milestone_custom_has_title_and_level",
            ),
            # Only posts and selection have work a date can lock.
            models.CheckConstraint(
                condition=Q(hard_lock=False)
                | Q(code__in=["summer_posts", "summer_match", "winter_posts", "winter_match"]),
                name="milestone_hard_lock_only_posts_or_selection",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}（{self.due:%m月%d日}）"

    def get_code_display(self) -> str:  # type: ignore[no-redef]
        """The milestone's name wherever it is shown: a province's own milestone by its title.
        (Defined here, Django keeps it instead of generating the choices' label.)"""
        if self.code == self.Code.CUSTOM:
            return self.title
        return str(self.Code(self.code).label) if self.code in self.Code.values else self.code

    @property
    def is_custom(self) -> bool:
        return self.code == self.Code.CUSTOM

    @property
    def is_progress(self) -> bool:
        return self.code.startswith("progress_")

    @property
    def short_name(self) -> str:
        """For narrow table headers: 二季度 rather than 第二季度推进情况."""
        if self.is_progress:
            return str(ProgressReport.Quarter(self.quarter).label).split("（")[0]
        return self.get_code_display()

    @property
    def quarter(self) -> str:
        """q2, q3 or q4 for a quarterly report's milestone, else ""."""
        return self.code.removeprefix("progress_") if self.is_progress else ""

    @property
    def lockable(self) -> bool:
        return self.stage in LOCKABLE_STAGES

    @property
    def levels(self) -> tuple[str, ...]:
        """The levels whose units must meet this milestone: region levels and "university"."""
        if self.code == self.Code.CUSTOM:
            chosen = (
                ("city", self.for_city),
                ("county", self.for_county),
                ("university", self.for_university),
            )
            return tuple(level for level, on in chosen if on)
        if self.is_progress:
            return ("city", "university")
        if self.code == self.Code.PLAN:
            return ("city", "county")
        if self.code == self.Code.SUMMARY:
            return ("province",)
        return ("county",)

    @property
    def levels_display(self) -> str:
        names = {"province": _("团省委"), "city": _("市级团委"), "county": _("县级团委")}
        names["university"] = _("高校团委")
        return "、".join(str(names[level]) for level in self.levels)

    @property
    def stage(self) -> str:
        """posts, match, practice, or the code itself for year-wide milestones."""
        if self.is_progress:
            return "progress"
        return self.code.split("_", 1)[1] if "_" in self.code else self.code


def unit_done_upload_to(unit: "UnitMilestone", filename: str) -> str:
    from fanjiaxiang.uploads import safe_upload_name

    return f"milestones/{unit.milestone_id}/{unit.pk}/{safe_upload_name(filename)}"


class UnitMilestone(models.Model):
    """One unit's standing on one milestone: what dashboards read and enforcement writes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("未完成")
        DONE = "done", _("已完成")
        OVERDUE = "overdue", _("已逾期")
        EXCUSED = "excused", _("已豁免")

    milestone = models.ForeignKey(
        Milestone, verbose_name=_("工作节点"), on_delete=models.CASCADE, related_name="units"
    )
    # A unit is a committee of a region or, for the quarterly reports and the province's own
    # milestones, a university's committee: exactly one of the two.
    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    university = models.ForeignKey(
        "students.University",
        verbose_name=_("高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=8, choices=Status.choices, default=Status.PENDING
    )
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # What a unit says when it marks a province's own milestone done.
    done_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("标记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    done_note = models.CharField(_("完成说明"), max_length=300, blank=True)
    done_file = models.FileField(
        _("附件"), upload_to=unit_done_upload_to, max_length=200, blank=True
    )
    done_file_name = models.CharField(_("附件原文件名"), max_length=200, blank=True)
    overdue_since = models.DateField(_("逾期日期"), null=True, blank=True)
    extended_to = models.DateField(_("延期至"), null=True, blank=True)
    extension_reason = models.CharField(_("延期原因"), max_length=200, blank=True)
    excuse_reason = models.CharField(_("豁免原因"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("单位节点进度")
        verbose_name_plural = _("单位节点进度")
        constraints = [
            models.UniqueConstraint(fields=["milestone", "region"], name="unit_milestone_unique"),
            models.UniqueConstraint(
                fields=["milestone", "university"], name="unit_milestone_university_unique"
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=False, university__isnull=True)
                | Q(region__isnull=True, university__isnull=False),
                name="unit_milestone_region_or_university",
            ),
            # A unit given more time has a reason on record; a done unit has a time.
            models.CheckConstraint(
                condition=Q(extended_to__isnull=True) | ~Q(extension_reason=""),
                name="unit_milestone_extension_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_at__isnull=False),
                name="unit_milestone_done_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["region", "status"]),
            models.Index(fields=["university", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.milestone}"

    @property
    def unit_name(self) -> str:
        return self.region.name if self.region_id else self.university.name

    @property
    def due(self) -> datetime.date:
        return self.extended_to or self.milestone.due

    @property
    def done_late(self) -> bool:
        return self.status == self.Status.DONE and self.overdue_since is not None


class Dispatch(models.Model):
    """A reminder, overdue flag, lock or quota warning carried out for one unit and one due date.

    The unique row is what makes enforcement idempotent: it is written in the same transaction
    as the notices and changes it stands for, so a second run (or a redelivered task) finds it
    and does nothing, and a run killed half-way left neither behind."""

    class Kind(models.TextChoices):
        REMIND_7 = "remind_7", _("提前7天提醒")
        REMIND_3 = "remind_3", _("提前3天提醒")
        REMIND_1 = "remind_1", _("提前1天提醒")
        OVERDUE = "overdue", _("逾期提醒上级")
        LOCK = "lock", _("截止关闭选拔")
        QUOTA_RISK = "quota_risk", _("报到人数预警")

    unit = models.ForeignKey(UnitMilestone, on_delete=models.CASCADE, related_name="dispatches")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    due = models.DateField(_("对应截止日期"))
    # Not auto_now_add: the calendar run stamps the day it runs for (a --date replay included).
    created_at = models.DateTimeField(_("时间"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("日程执行记录")
        verbose_name_plural = _("日程执行记录")
        constraints = [
            models.UniqueConstraint(fields=["unit", "kind", "due"], name="dispatch_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.due}"


class CountyQuota(models.Model):
    """A county's reported students against its quota for a programme year (§四(二)1)."""

    programme_year = models.ForeignKey(
        ProgrammeYear, verbose_name=_("活动年度"), on_delete=models.CASCADE, related_name="quotas"
    )
    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    quota = models.PositiveIntegerField(_("报到人数下限"))
    reported = models.PositiveIntegerField(_("已报到人数"), default=0)
    projected = models.PositiveIntegerField(_("预计报到人数"), default=0)
    at_risk = models.BooleanField(_("未达标风险"), default=False)
    at_risk_since = models.DateField(_("预警日期"), null=True, blank=True)
    shortfall = models.PositiveIntegerField(_("最终缺口"), null=True, blank=True)
    finalised_on = models.DateField(_("核定日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("县（市、区）报到指标")
        verbose_name_plural = _("县（市、区）报到指标")
        constraints = [
            models.UniqueConstraint(fields=["programme_year", "region"], name="county_quota_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.reported}/{self.quota}"

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.reported / self.quota)) if self.quota else 100


def plan_upload_to(plan: "Plan", filename: str) -> str:
    from fanjiaxiang.uploads import safe_upload_name

    return f"plans/{plan.programme_year.year}/{plan.region.code}/{safe_upload_name(filename)}"


class Plan(Reviewed):
    """A city's or county's implementation plan (实施方案), reviewed by the level above."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        RETURNED = "returned", _("已退回修改")

    programme_year = models.ForeignKey(
        ProgrammeYear, verbose_name=_("活动年度"), on_delete=models.CASCADE, related_name="plans"
    )
    region = models.ForeignKey(
        "positions.Region", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+"
    )
    document = models.FileField(_("方案文件"), upload_to=plan_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )

    class Meta:
        verbose_name = _("实施方案")
        verbose_name_plural = _("实施方案")
        constraints = [
            models.UniqueConstraint(fields=["programme_year", "region"], name="plan_once"),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="plan_returned_with_comment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.programme_year}实施方案"


class PlanVersion(Reviewed):
    """An earlier submission of a plan, kept when the unit uploads a new one: its file and what
    became of it (returned with the reviewer's comments, or replaced before review), so the
    unit and its reviewer can both see what changed."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("实施方案"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveSmallIntegerField(_("版本"))
    document = models.FileField(_("方案文件"), upload_to="plans/versions/", max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    status = models.CharField(_("结果"), max_length=10, choices=Plan.Status.choices)

    class Meta:
        verbose_name = _("实施方案历史版本")
        verbose_name_plural = _("实施方案历史版本")
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} 第{self.number}版"


class Onboarding(models.Model):
    """A county's confirmation that it is on the portal (入驻) with named staff and contacts."""

    programme_year = models.ForeignKey(
        ProgrammeYear,
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="onboardings",
    )
    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    contact_name = models.CharField(_("联系人"), max_length=30)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    email = models.EmailField(_("电子邮箱"), blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    staff_names = models.CharField(_("确认时的工作人员"), max_length=300)
    confirmed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("确认人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("确认时间"))

    class Meta:
        verbose_name = _("县（市、区）入驻")
        verbose_name_plural = _("县（市、区）入驻")
        constraints = [
            models.UniqueConstraint(fields=["programme_year", "region"], name="onboarding_once"),
        ]

    def __str__(self) -> str:
        return f"{self.region} {self.programme_year}入驻"


class ProgressReport(models.Model):
    """A city's or university's quarterly progress report (seed 002's 项目推进表), due at the end
    of June, September and December; submitting it meets the quarter's milestone."""

    class Quarter(models.TextChoices):
        Q2 = "q2", _("第二季度（6月底）")
        Q3 = "q3", _("第三季度（9月底）")
        Q4 = "q4", _("第四季度（12月底）")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已报送")

    programme_year = models.ForeignKey(
        ProgrammeYear,
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="progress_reports",
    )
    quarter = models.CharField(_("季度"), max_length=2, choices=Quarter.choices)
    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    university = models.ForeignKey(
        "students.University",
        verbose_name=_("高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    contact = models.CharField(_("填表人及联系方式"), max_length=100, blank=True)
    note = models.TextField(_("总体情况"), max_length=2000, blank=True)
    submitted_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("项目推进表")
        verbose_name_plural = _("项目推进表")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "quarter", "region"], name="progress_report_region_once"
            ),
            models.UniqueConstraint(
                fields=["programme_year", "quarter", "university"],
                name="progress_report_university_once",
            ),
            models.CheckConstraint(
                condition=Q(region__isnull=False, university__isnull=True)
                | Q(region__isnull=True, university__isnull=False),
                name="progress_report_region_or_university",
            ),
            models.CheckConstraint(
                condition=~Q(status="submitted") | Q(submitted_at__isnull=False),
                name="progress_report_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.programme_year}{self.get_quarter_display()}项目推进表"

    @property
    def unit_name(self) -> str:
        return self.region.name if self.region_id else self.university.name

    @property
    def milestone_code(self) -> str:
        return f"progress_{self.quarter}"


class ProgressRow(models.Model):
    """One line of a progress report, in the columns of seed 002's table."""

    class Category(models.TextChoices):
        NEEDS = "needs", _("围绕青年刚需办实事")
        GROUPS = "groups", _("聚焦重点青少年群体办实事")
        OVERALL = "overall", _("围绕党政工作大局办实事")
        KEY = "key", _("做强做大重点项目办实事")
        LOCAL = "local", _("各地项目办实事")
        OTHER = "other", _("其它")

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("项目推进表"), on_delete=models.CASCADE, related_name="rows"
    )
    number = models.PositiveSmallIntegerField(_("序号"))
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices)
    title = models.CharField(_("项目名称"), max_length=100)
    content = models.TextField(_("主要内容"), max_length=1000)
    progress = models.TextField(_("推进情况"), max_length=1000)
    youth_covered = models.PositiveIntegerField(_("覆盖青少年数"), default=0)
    # The seed's column is blank: "2021年12月", "长期" and a date are all answers people give.
    deadline = models.CharField(_("完成时限"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("推进表项目")
        verbose_name_plural = _("推进表项目")
        ordering = ["number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["report", "number"], name="progress_row_number_once"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"
