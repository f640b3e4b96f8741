import re
from decimal import Decimal

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField
from pypinyin import Style, lazy_pinyin


def pinyin_initials(name: str) -> str:
    """北京大学 → "bjdx": what a student types on a phone before the name's characters appear.
    Letters and digits in the name are kept as they are (lower-cased), punctuation dropped."""
    letters = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="default")
    return re.sub(r"[^a-z0-9]", "", "".join(letters).lower())[:50]


class University(models.Model):
    """A university whose Youth League committee mobilises students and certifies credits.

    Most rows come from the national register (students/data/universities.csv, loaded by
    `load_universities`); provincial staff add what the register lacks and may rename an
    institution. `register_name` is the name as the register gives it, so a reload can tell a
    province's rename (kept) from the register's own change (applied)."""

    class Source(models.TextChoices):
        REGISTER = "register", _("全国高校名单")
        PROVINCE = "province", _("省级团委补充")

    name = models.CharField(_("学校名称"), max_length=100, unique=True)
    code = models.CharField(
        _("学校标识码"),
        max_length=10,
        unique=True,
        null=True,
        blank=True,
        help_text=_("教育部 10 位学校标识码；名单外新设的学校可以暂不填写"),
        validators=[RegexValidator(r"^\d{10}$", _("学校标识码应为 10 位数字。"))],
    )
    province = models.ForeignKey(
        "positions.Region",
        verbose_name=_("所在省份"),
        on_delete=models.PROTECT,
        related_name="universities",
        limit_choices_to={"level": "province"},
    )
    city = models.CharField(_("所在城市"), max_length=30, blank=True)
    authority = models.CharField(_("主管部门"), max_length=50, blank=True)
    level = models.CharField(_("办学层次"), max_length=10, blank=True)
    remarks = models.CharField(_("备注"), max_length=50, blank=True)
    source = models.CharField(
        _("来源"), max_length=10, choices=Source.choices, default=Source.PROVINCE
    )
    register_name = models.CharField(
        _("名单中的名称"),
        max_length=100,
        blank=True,
        help_text=_("全国高校名单中的名称；与学校名称不同说明省级团委改过名称"),
    )
    initials = models.CharField(
        _("拼音首字母"), max_length=50, blank=True, db_index=True, editable=False
    )

    class Meta:
        verbose_name = _("高校")
        verbose_name_plural = _("高校")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        # A derived search key, not a rule: kept with the name however the row is saved (the
        # services, the loader, the admin's import, factories).
        self.initials = pinyin_initials(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "initials"}
        super().save(*args, **kwargs)

    @property
    def renamed(self) -> bool:
        """Provincial staff gave it another name than the register's."""
        return bool(self.register_name) and self.name != self.register_name

    @property
    def added_by_province(self) -> bool:
        return self.source == self.Source.PROVINCE


class Student(models.Model):
    """A student studying away: the profile a county and a host unit select on."""

    class Degree(models.TextChoices):
        JUNIOR = "junior", _("专科")
        BACHELOR = "bachelor", _("本科")
        MASTER = "master", _("硕士研究生")
        DOCTOR = "doctor", _("博士研究生")

    class Politics(models.TextChoices):
        PARTY_MEMBER = "party_member", _("中共党员")
        PROBATIONARY = "probationary", _("中共预备党员")
        LEAGUE_MEMBER = "league_member", _("共青团员")
        MASSES = "masses", _("群众")
        OTHER = "other", _("其他")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="student"
    )
    name = models.CharField(_("姓名"), max_length=30)
    # Stored encrypted; shown masked. The digest finds duplicates without decrypting anything.
    id_number = EncryptedCharField(_("身份证号"), max_length=18, null=True)  # None once erased
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, editable=False)
    phone = models.CharField(_("手机号"), max_length=20)
    # Asked at registration: what selection reads and what only the county may correct later
    # (identity). The rest the student completes on the profile; PROFILE_NEEDED_TO_APPLY says
    # which of it an application waits for.
    email = models.EmailField(_("电子邮箱"), blank=True)
    university = models.ForeignKey(
        University, verbose_name=_("就读高校"), on_delete=models.PROTECT, related_name="students"
    )
    student_number = models.CharField(_("学号"), max_length=30)
    college = models.CharField(_("学院"), max_length=100, blank=True)
    major = models.CharField(_("专业"), max_length=100)
    # 特长/技能: read against a post's 能力要求 for 专业对口 suggestions (students/fit.py).
    skills = models.CharField(
        _("特长/技能"),
        max_length=200,
        blank=True,
        help_text=_("选填，用顿号或逗号分隔，如：摄影、视频剪辑、办公软件；用于推荐对口岗位"),
    )
    degree = models.CharField(_("学历层次"), max_length=10, choices=Degree.choices, blank=True)
    grade = models.PositiveSmallIntegerField(_("年级（入学年份）"))
    graduation_year = models.PositiveSmallIntegerField(_("预计毕业年份"), null=True, blank=True)
    politics = models.CharField(_("政治面貌"), max_length=16, choices=Politics.choices, blank=True)
    is_cadre = models.BooleanField(_("学生干部"), default=False)
    hometown = models.ForeignKey(
        "positions.Region",
        verbose_name=_("生源地"),
        on_delete=models.PROTECT,
        related_name="students",
        limit_choices_to={"level": "county"},
    )
    # 常住地: where the student's family lives now, if not the hometown; a county may open
    # posts to its residents (positions.Post.audience).
    residence = models.ForeignKey(
        "positions.Region",
        verbose_name=_("常住地"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"level": "county"},
    )
    consent_version = models.CharField(_("隐私声明版本"), max_length=20)
    consented_at = models.DateTimeField(_("同意时间"))
    created_at = models.DateTimeField(_("注册时间"), auto_now_add=True)
    # Set when the student's personal data was erased (their request, or the retention rule);
    # the row stays so that the programme's counts and certificates still add up.
    anonymised_at = models.DateTimeField(_("匿名化时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("学生")
        verbose_name_plural = _("学生")
        constraints = [
            models.UniqueConstraint(
                fields=["university", "student_number"],
                name="student_unique_number_in_university",
                violation_error_message=_("该校已有使用此学号的学生。"),
            ),
            models.CheckConstraint(
                condition=Q(graduation_year__isnull=True) | Q(graduation_year__gte=F("grade")),
                name="student_graduates_after_enrolling",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def missing_for_application(self) -> list[str]:
        """The profile fields (their labels) still empty that an application waits for."""
        return [
            str(self._meta.get_field(name).verbose_name)
            for name in PROFILE_NEEDED_TO_APPLY
            if not getattr(self, name)
        ]


# Left out at registration, completed on the profile before the first application: the host
# unit selects on them (学历层次, 政治面貌) and the university credits by 学院.
PROFILE_NEEDED_TO_APPLY = ("college", "degree", "politics")

ACTIVE_APPLICATION = ("applied", "shortlisted", "offered", "confirmed")


class Application(models.Model):
    """A student's ranked choice of a post for a season (意向), and how selection answered it."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("已报名")
        SHORTLISTED = "shortlisted", _("入围")
        REJECTED = "rejected", _("未入选")
        OFFERED = "offered", _("待确认录用")
        CONFIRMED = "confirmed", _("已确认")
        DECLINED = "declined", _("已放弃")
        EXPIRED = "expired", _("录用已过期")
        WITHDRAWN = "withdrawn", _("已撤回")

    student = models.ForeignKey(
        Student, verbose_name=_("学生"), on_delete=models.CASCADE, related_name="applications"
    )
    post = models.ForeignKey(
        "positions.Post",
        verbose_name=_("岗位"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # The post's season, repeated so the database can hold "one choice per rank per season".
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.PROTECT, related_name="+"
    )
    rank = models.PositiveSmallIntegerField(_("意向顺序"))
    statement = models.TextField(_("个人陈述"), blank=True, max_length=1000)
    status = models.CharField(
        _("状态"), max_length=12, choices=Status.choices, default=Status.APPLIED
    )
    host_rank = models.PositiveSmallIntegerField(_("用人单位排序"), null=True, blank=True)
    host_unsuitable = models.BooleanField(_("用人单位认为不合适"), default=False)
    offer_expires_at = models.DateTimeField(_("录用确认截止"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["season", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "post"],
                name="application_once_per_post",
                violation_error_message=_("已经报名过这个岗位。"),
            ),
            models.UniqueConstraint(
                fields=["student", "season", "rank"],
                condition=Q(status__in=ACTIVE_APPLICATION),
                name="application_one_choice_per_rank",
                violation_error_message=_("这个意向顺序已经填过了。"),
            ),
            models.CheckConstraint(condition=Q(rank__gt=0), name="application_rank_positive"),
        ]
        indexes = [models.Index(fields=["post", "status"])]

    def __str__(self) -> str:
        return f"{self.student} → {self.post}"


class Placement(models.Model):
    """A confirmed place: the student reports, practises and is evaluated (期满鉴定)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("待报到")
        REPORTED = "reported", _("已报到")
        COMPLETED = "completed", _("已完成")
        DROPPED = "dropped", _("已终止")

    class Rating(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        GOOD = "good", _("良好")
        PASS = "pass", _("合格")
        FAIL = "fail", _("不合格")

    class Evaluator(models.TextChoices):
        """Who made the 期满鉴定: the host unit, or the county (联合用人单位) with it or for it."""

        HOST = "host", _("用人单位鉴定")
        JOINT = "joint", _("县级团委与用人单位联合鉴定")
        ON_BEHALF = "on_behalf", _("县级团委代为鉴定（用人单位未开通账号）")

    application = models.OneToOneField(
        Application, verbose_name=_("报名"), on_delete=models.PROTECT, related_name="placement"
    )
    student = models.ForeignKey(
        Student, verbose_name=_("学生"), on_delete=models.PROTECT, related_name="placements"
    )
    post = models.ForeignKey(
        "positions.Post",
        verbose_name=_("岗位"),
        on_delete=models.PROTECT,
        related_name="placements",
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    checkin_code = models.CharField(_("报到码"), max_length=8)
    # Wrong codes typed by the student since the last pause (students.services.placement_checkin).
    checkin_failures = models.PositiveSmallIntegerField(
        _("报到码连续错误次数"), default=0, db_default=0
    )
    checkin_paused_until = models.DateTimeField(_("报到码暂停至"), null=True, blank=True)
    reported_at = models.DateTimeField(_("报到时间"), null=True, blank=True)
    trained_at = models.DateTimeField(_("岗前培训完成"), null=True, blank=True)
    completed_at = models.DateTimeField(_("鉴定时间"), null=True, blank=True)
    rating = models.CharField(_("鉴定等次"), max_length=10, choices=Rating.choices, blank=True)
    hours = models.PositiveSmallIntegerField(_("实践时长（小时）"), null=True, blank=True)
    comment = models.TextField(_("鉴定意见"), blank=True)
    # Read once the placement is completed; until then it says who is expected to evaluate.
    evaluated_by = models.CharField(
        _("鉴定方式"),
        max_length=10,
        choices=Evaluator.choices,
        default=Evaluator.HOST,
        db_default=Evaluator.HOST,
    )
    drop_reason = models.TextField(_("终止原因"), blank=True)
    certificate_code = models.CharField(
        _("证书编号"), max_length=16, null=True, blank=True, unique=True
    )
    created_at = models.DateTimeField(_("确认时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("实践安排")
        verbose_name_plural = _("实践安排")
        constraints = [
            models.UniqueConstraint(
                fields=["student", "season"],
                condition=~Q(status="dropped"),
                name="placement_one_per_student_per_season",
                violation_error_message=_("本实践季已有一个实践安排。"),
            ),
            models.CheckConstraint(
                condition=~Q(status="completed")
                | (Q(rating__gt="") & Q(hours__isnull=False) & Q(certificate_code__isnull=False)),
                name="placement_completed_has_evaluation",
            ),
        ]
        indexes = [models.Index(fields=["post", "status"])]

    def __str__(self) -> str:
        return f"{self.student} @ {self.post}"


class PracticeLog(models.Model):
    """实践日志: what the student did on a day; the host unit confirms the hours."""

    placement = models.ForeignKey(
        Placement, verbose_name=_("实践安排"), on_delete=models.CASCADE, related_name="logs"
    )
    day = models.DateField(_("日期"))
    hours = models.DecimalField(_("时长（小时）"), max_digits=4, decimal_places=1)
    content = models.TextField(_("实践内容"), max_length=1000)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("填写时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("实践日志")
        verbose_name_plural = _("实践日志")
        ordering = ["day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["placement", "day"],
                name="practice_log_one_per_day",
                violation_error_message=_("这一天已经写过日志了。"),
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="practice_log_hours_in_a_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.placement} {self.day}"


class Clearance(models.Model):
    """What the student's university certifies before departure, per season: the
    school-performance certificate (在校表现证明) and the pre-departure safety training."""

    student = models.ForeignKey(
        Student, verbose_name=_("学生"), on_delete=models.CASCADE, related_name="clearances"
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.CASCADE, related_name="+"
    )
    performance_certified_at = models.DateTimeField(
        _("在校表现证明开具时间"), null=True, blank=True
    )
    safety_trained_at = models.DateTimeField(_("行前安全培训时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("高校证明与培训")
        verbose_name_plural = _("高校证明与培训")
        constraints = [
            models.UniqueConstraint(fields=["student", "season"], name="clearance_once_per_season")
        ]

    def __str__(self) -> str:
        return f"{self.student} {self.season}"


class MatchingRound(models.Model):
    """A county's matching round for a season: a preview until the county publishes it."""

    class Status(models.TextChoices):
        RUNNING = "running", _("运行中")
        PREVIEW = "preview", _("预览")
        PUBLISHED = "published", _("已发布")

    county = models.ForeignKey(
        "positions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PREVIEW
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("运行时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("匹配轮次")
        verbose_name_plural = _("匹配轮次")
        ordering = ["-created_at"]
        constraints = [
            # One round at a time per county and season until it is published.
            models.UniqueConstraint(
                fields=["county", "season"],
                condition=Q(status__in=["running", "preview"]),
                name="matching_round_one_open",
            )
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.season} {self.get_status_display()}"


class MatchingOutcome(models.Model):
    """What a round gives one application, and why not a better choice."""

    round = models.ForeignKey(MatchingRound, on_delete=models.CASCADE, related_name="outcomes")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    placed = models.BooleanField(_("匹配成功"))
    reason = models.CharField(_("说明"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("匹配结果")
        verbose_name_plural = _("匹配结果")
        constraints = [
            models.UniqueConstraint(fields=["round", "application"], name="matching_outcome_once")
        ]

    def __str__(self) -> str:
        return f"{self.application} {self.placed}"


class SupplementaryRound(models.Model):
    """补录: after the main round, unplaced students of the county rank posts with free seats."""

    county = models.ForeignKey(
        "positions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("开启时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("补录")
        verbose_name_plural = _("补录")
        constraints = [
            models.UniqueConstraint(fields=["county", "season"], name="supplementary_once")
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.season}"


RATING_ORDER = ("fail", "pass", "good", "excellent")  # worst first


class CreditRule(models.Model):
    """A university's rule turning practice hours into second-classroom credits (第二课堂学分).

    credits = min(max_credits, ⌊hours × 2 ÷ hours_per_credit⌋ ÷ 2) in half-credit steps, and 0
    when the rating is below `min_rating`. A university without a rule gets the defaults.
    """

    university = models.OneToOneField(
        University, verbose_name=_("高校"), on_delete=models.CASCADE, related_name="credit_rule"
    )
    hours_per_credit = models.PositiveSmallIntegerField(
        _("每学分所需时长（小时）"), default=16, help_text=_("按 0.5 学分计算，不足半学分不计。")
    )
    max_credits = models.DecimalField(
        _("单次实践最高学分"), max_digits=4, decimal_places=1, default=2
    )
    min_rating = models.CharField(
        _("最低鉴定等次"),
        max_length=10,
        choices=[c for c in Placement.Rating.choices if c[0] != "fail"],
        default="pass",
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("学分认定规则")
        verbose_name_plural = _("学分认定规则")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_credit__gt=0), name="credit_rule_hours_positive"
            ),
            models.CheckConstraint(condition=Q(max_credits__gt=0), name="credit_rule_max_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.university} {self.hours_per_credit}"

    def credits_for(self, *, hours: int | None, rating: str):
        """The credits one completed placement earns under this rule (a Decimal)."""
        if not hours or rating not in RATING_ORDER:
            return Decimal(0)
        if RATING_ORDER.index(rating) < RATING_ORDER.index(self.min_rating):
            return Decimal(0)
        halves = (hours * 2) // self.hours_per_credit
        return min(Decimal(self.max_credits), Decimal(halves) / 2)
