"""The year's evaluation and commendation (总结表扬, seed 000 §五(九)): a score per county and per
university computed from the year's figures, the province's adjustments, the commended units and
their publication; typical cases (典型案例) the units submit and the province reviews; briefings
(简报) the province publishes (§六(五)).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.models import CountyOrUniversity, Photo, Reviewed
from fanjiaxiang.uploads import IMAGE, UploadValidator, safe_upload_name

MAX_ADJUSTMENT = Decimal(100)


class Score(CountyOrUniversity):
    """One unit's score for a programme year. `figures` are the counts it was computed from and
    `parts` the points of each part (summary/scoring.py), so the page shows how it came about.
    A recomputation replaces figures, parts and `computed`; the province's adjustment and the
    commended flag are kept."""

    class Kind(models.TextChoices):
        COUNTY = "county", _("县（市、区）")
        CITY = "city", _("地市")
        UNIVERSITY = "university", _("高校")

    programme_year = models.ForeignKey(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="summary_scores",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    figures = models.JSONField(_("计算依据"), default=dict)
    parts = models.JSONField(_("分项得分"), default=dict)
    computed = models.DecimalField(_("计算得分"), max_digits=4, decimal_places=1, default=0)
    computed_at = models.DateTimeField(_("计算时间"))
    adjustment = models.DecimalField(_("省级调整"), max_digits=4, decimal_places=1, default=0)
    adjustment_reason = models.CharField(_("调整原因"), max_length=200, blank=True)
    adjusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("调整人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    adjusted_at = models.DateTimeField(_("调整时间"), null=True, blank=True)
    commended = models.BooleanField(_("表扬"), default=False)

    class Meta:
        verbose_name = _("年度评分")
        verbose_name_plural = _("年度评分")
        constraints = [
            # Plain (not partial) unique constraints: a recomputation upserts on them, and
            # ON CONFLICT needs a whole index. NULLs never clash, so the other kind is free.
            models.UniqueConstraint(
                fields=["programme_year", "region"], name="summary_score_once_per_county"
            ),
            models.UniqueConstraint(
                fields=["programme_year", "university"], name="summary_score_once_per_university"
            ),
            models.CheckConstraint(
                condition=Q(
                    kind__in=["county", "city"], region__isnull=False, university__isnull=True
                )
                | Q(kind="university", university__isnull=False, region__isnull=True),
                name="summary_score_unit_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(computed__gte=0, computed__lte=100), name="summary_score_in_range"
            ),
            models.CheckConstraint(
                condition=Q(adjustment__gte=-MAX_ADJUSTMENT, adjustment__lte=MAX_ADJUSTMENT),
                name="summary_adjustment_in_range",
            ),
            # An adjusted score says why, on the page and in the export.
            models.CheckConstraint(
                condition=Q(adjustment=0) | ~Q(adjustment_reason=""),
                name="summary_adjustment_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_name} {self.final}"

    @property
    def unit_name(self) -> str:
        if self.kind != self.Kind.UNIVERSITY:
            return self.region.full_name if self.region.parent_id else self.region.name
        return self.university.name

    @property
    def final(self) -> Decimal:
        return min(Decimal(100), max(Decimal(0), self.computed + self.adjustment))


class ScoringRule(models.Model):
    """The province's rule for one kind of unit in one programme year: each part's weight and,
    where the part divides by a number the province sets, its target. `parts` is
    {part key: {"weight": int, "target": int | None}}; the services check that the weights add
    up to 100 and the targets are positive (summary/scoring.py holds the parts and their
    defaults). A year without a row is scored by the defaults."""

    programme_year = models.ForeignKey(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="scoring_rules",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Score.Kind.choices)
    parts = models.JSONField(_("分项权重与目标"), default=dict)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("评分规则")
        verbose_name_plural = _("评分规则")
        constraints = [
            models.UniqueConstraint(
                fields=["programme_year", "kind"], name="summary_rule_once_per_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} {self.get_kind_display()}"


class Publication(models.Model):
    """The province's published commendation (表扬名单) of a programme year; once, and after it
    the scores are final (no recomputation, adjustment or change of the commended units)."""

    programme_year = models.OneToOneField(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="summary_publication",
    )
    title = models.CharField(_("标题"), max_length=100)
    note = models.TextField(_("表扬通报正文"), blank=True, max_length=5000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公布人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("公布时间"))

    class Meta:
        verbose_name = _("表扬名单")
        verbose_name_plural = _("表扬名单")

    def __str__(self) -> str:
        return self.title


MiB = 1024 * 1024
PHOTOS_LIMIT = 20
ACTIVITY_MAX_PHOTOS = 6  # a city activity's photos (summary.CityActivity)


class CaseRule(models.Model):
    """What a typical case of a programme year must hold (seed 001: about 1,000 characters of
    text and at least 5 photos of at least 1 MB each). The province sets it; a year without a
    row uses the defaults below."""

    programme_year = models.OneToOneField(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="case_rule",
    )
    min_chars = models.PositiveIntegerField(_("正文最少字数"), default=800)
    max_chars = models.PositiveIntegerField(_("正文最多字数"), default=1500)
    min_photos = models.PositiveSmallIntegerField(_("最少照片数"), default=5)
    max_photos = models.PositiveSmallIntegerField(_("最多照片数"), default=9)
    min_photo_bytes = models.PositiveIntegerField(_("每张照片最小字节数"), default=MiB)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("设置人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("设置时间"), auto_now=True)

    class Meta:
        verbose_name = _("典型案例要求")
        verbose_name_plural = _("典型案例要求")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_chars__gte=1, min_chars__lte=F("max_chars"), max_chars__lte=10000),
                name="case_rule_chars_in_order",
            ),
            models.CheckConstraint(
                condition=Q(
                    min_photos__gte=1, min_photos__lte=F("max_photos"), max_photos__lte=PHOTOS_LIMIT
                ),
                name="case_rule_photos_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} {self.min_chars}–{self.max_chars}"

    @property
    def min_photo_mb(self) -> float:
        return round(self.min_photo_bytes / MiB, 1)


class TypicalCase(CountyOrUniversity, Reviewed):
    """典型案例: text and photos a county, a city or a university submits; the province reviews
    it."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("待审核")
        APPROVED = "approved", _("已通过")
        REJECTED = "rejected", _("未通过")

    programme_year = models.ForeignKey(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="typical_cases",
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("案例正文"), max_length=10000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    # Bumped by every edit: a review names the revision it read, so an edit made while the
    # province was reading is not approved unseen.
    revision = models.PositiveIntegerField(_("修改次数"), default=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("典型案例")
        verbose_name_plural = _("典型案例")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, university__isnull=True)
                | Q(region__isnull=True, university__isnull=False),
                name="typical_case_one_unit",
            ),
            models.CheckConstraint(
                condition=Q(status="submitted") | Q(reviewed_at__isnull=False),
                name="typical_case_reviewed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(review_comment=""),
                name="typical_case_rejected_with_comment",
            ),
        ]
        indexes = [models.Index(fields=["programme_year", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def unit_name(self) -> str:
        if self.region_id:
            return self.region.full_name
        return self.university.name


def case_photo_upload_to(photo: "CasePhoto", filename: str) -> str:
    return f"cases/{photo.case.programme_year.year}/{safe_upload_name(filename)}"


class CasePhoto(Photo):
    """A photo of a typical case; served only through the case's scoped view, never by URL."""

    case = models.ForeignKey(TypicalCase, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("照片"),
        upload_to=case_photo_upload_to,
        max_length=200,
        validators=[UploadValidator(IMAGE)],
    )

    class Meta(Photo.Meta):
        verbose_name = _("案例照片")
        verbose_name_plural = _("案例照片")


class Briefing(models.Model):
    """简报: the province's account of the work and its results, numbered when published."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")

    province = models.ForeignKey(
        "positions.Region",
        verbose_name=_("省份"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "province"},
    )
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=20000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    issue = models.PositiveIntegerField(_("期数"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("简报")
        verbose_name_plural = _("简报")
        ordering = ["-published_at", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["province", "issue"], name="briefing_issue_once"),
            models.CheckConstraint(
                condition=Q(status="draft", published_at__isnull=True, issue__isnull=True)
                | Q(status="published", published_at__isnull=False, issue__isnull=False),
                name="briefing_published_has_time_and_issue",
            ),
        ]
        indexes = [models.Index(fields=["province", "status", "-published_at"])]

    def __str__(self) -> str:
        return self.title


class CityActivity(models.Model):
    """A city committee's own event of the year (seed 000 §四(一) 开展示范活动; seed 004's 学子归巢:
    the city meets the students home for the holidays with local leaders). Its 示范活动 count in
    the city's score."""

    class Kind(models.TextChoices):
        DEMONSTRATION = "demo", _("示范活动")
        HOMECOMING = "homecoming", _("学子归巢")
        OTHER = "other", _("其他市级活动")

    programme_year = models.ForeignKey(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="city_activities",
    )
    city = models.ForeignKey(
        "positions.Region",
        verbose_name=_("地市"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": "city"},
    )
    kind = models.CharField(_("活动类型"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("活动名称"), max_length=100)
    held_on = models.DateField(_("活动日期"))
    place = models.CharField(_("活动地点"), max_length=100)
    participants = models.PositiveIntegerField(_("参加人数"))
    description = models.TextField(_("活动情况"), max_length=5000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("市级活动")
        verbose_name_plural = _("市级活动")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participants__gt=0),
                name="city_activity_has_participants",
                violation_error_message=_("参加人数应为正整数。"),
            ),
        ]
        indexes = [models.Index(fields=["programme_year", "city"])]

    def __str__(self) -> str:
        return self.title


def activity_photo_upload_to(photo: "ActivityPhoto", filename: str) -> str:
    return f"city-activities/{photo.activity.programme_year.year}/{safe_upload_name(filename)}"


class ActivityPhoto(Photo):
    """A photo of a city activity; served only through the activity's scoped view."""

    activity = models.ForeignKey(CityActivity, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("照片"),
        upload_to=activity_photo_upload_to,
        max_length=200,
        validators=[UploadValidator(IMAGE)],
    )

    class Meta(Photo.Meta):
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")
