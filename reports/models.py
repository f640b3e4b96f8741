"""工作简报、简讯 that go up (seed 000 §六(五): "各地开展“返家乡”工作情况和成效及时以简报、简讯形式
向团省委报告"). A county, a city or a university writes one for a programme year, submits it, and
the level above reads it: a county's by its city and its province, a city's and a university's
by the province of the programme year. The province marks each (已阅 / 采用) and compiles the
chosen ones into its own 工作简报 (`summary.Briefing`); a city marks its counties' as 已阅, beside
(never instead of) the province's mark.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.models import CountyOrUniversity, Photo
from fanjiaxiang.uploads import IMAGE, UploadValidator, safe_upload_name

MAX_PHOTOS = 9


class Report(CountyOrUniversity):
    """One unit's 简报 or 简讯. `region` is a county-level unit or a city; else `university`."""

    class Kind(models.TextChoices):
        BRIEFING = "briefing", _("工作简报")
        NEWSFLASH = "newsflash", _("简讯")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        SUBMITTED = "submitted", _("已上报")

    class Mark(models.TextChoices):
        UNREAD = "unread", _("未阅")
        READ = "read", _("已阅")
        ADOPTED = "adopted", _("采用")

    programme_year = models.ForeignKey(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="unit_reports",
    )
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices, default=Kind.BRIEFING)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=10000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("撰写人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上报人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("上报时间"), null=True, blank=True)
    # The province's mark, which the author sees.
    province_mark = models.CharField(
        _("团省委阅处"), max_length=10, choices=Mark.choices, default=Mark.UNREAD
    )
    province_comment = models.CharField(_("团省委意见"), max_length=300, blank=True)
    province_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("团省委阅处人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    province_marked_at = models.DateTimeField(_("团省委阅处时间"), null=True, blank=True)
    # A county's city reads it too; its mark stands beside the province's.
    city_read_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("市团委阅处人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    city_read_at = models.DateTimeField(_("市团委阅处时间"), null=True, blank=True)
    city_comment = models.CharField(_("市团委意见"), max_length=300, blank=True)
    briefing = models.ForeignKey(
        "summary.Briefing",
        verbose_name=_("编入简报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_reports",
    )

    class Meta:
        verbose_name = _("上报简报")
        verbose_name_plural = _("上报简报")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(region__isnull=False, university__isnull=True)
                | Q(region__isnull=True, university__isnull=False),
                name="report_one_unit",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", submitted_at__isnull=True)
                | Q(status="submitted", submitted_at__isnull=False),
                name="report_submitted_has_time",
            ),
            # Nobody reads or marks a draft.
            models.CheckConstraint(
                condition=Q(status="submitted")
                | Q(province_mark="unread", city_read_at__isnull=True, briefing__isnull=True),
                name="report_draft_unmarked",
            ),
            models.CheckConstraint(
                condition=Q(briefing__isnull=True) | Q(province_mark="adopted"),
                name="report_compiled_is_adopted",
            ),
        ]
        indexes = [models.Index(fields=["programme_year", "status", "province_mark"])]

    def __str__(self) -> str:
        return self.title

    @property
    def unit_name(self) -> str:
        """The unit as its province reads it: 广州市越秀区, 广州市, 中山大学."""
        if self.university_id:
            return self.university.name
        if self.region.level == "city":
            return self.region.name
        return f"{self.region.parent.name}{self.region.name}"

    @property
    def level(self) -> str:
        if self.university_id:
            return "university"
        return "city" if self.region.level == "city" else "county"


def report_photo_upload_to(photo: "ReportPhoto", filename: str) -> str:
    return f"reports/{photo.report.programme_year.year}/{safe_upload_name(filename)}"


class ReportPhoto(Photo):
    """A photo of a report; served only through the report's scoped view, never by URL."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("照片"),
        upload_to=report_photo_upload_to,
        max_length=200,
        validators=[UploadValidator(IMAGE)],
    )

    class Meta(Photo.Meta):
        verbose_name = _("简报照片")
        verbose_name_plural = _("简报照片")
