"""实践成果: the 实践总结 a student hands in for a placement, with up to six photos or a report
file, read by the host unit and the county before the 期满鉴定 and by the university beside the
credit; the province's rule for its length per programme year."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.models import Photo
from fanjiaxiang.uploads import DOCUMENT, IMAGE, UploadValidator, safe_upload_name

DEFAULT_MIN_CHARS = 300
MAX_CHARS = 10000
MAX_PHOTOS = 6


class OutcomeRule(models.Model):
    """The province's minimum length of a 实践总结 in one programme year; a year without a row
    asks for DEFAULT_MIN_CHARS."""

    programme_year = models.OneToOneField(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="outcome_rule",
    )
    min_chars = models.PositiveIntegerField(_("实践总结最少字数"), default=DEFAULT_MIN_CHARS)
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
        verbose_name = _("实践总结要求")
        verbose_name_plural = _("实践总结要求")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_chars__gte=1, min_chars__lte=MAX_CHARS // 2),
                name="outcome_rule_min_chars_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme_year} {self.min_chars}"


def report_upload_to(outcome: "Outcome", filename: str) -> str:
    return f"outcomes/{outcome.placement.season.programme_year.year}/{safe_upload_name(filename)}"


class Outcome(models.Model):
    """One placement's 实践总结. The student writes and revises it while the placement is 已报到;
    the 期满鉴定 locks it (what the evaluators read is what the university reads). A student who
    had handed in nothing by then may still hand it in once. The consent to its use in a
    典型案例 stays the student's to give or withdraw at any time."""

    placement = models.OneToOneField(
        "students.Placement",
        verbose_name=_("实践安排"),
        on_delete=models.CASCADE,
        related_name="outcome",
    )
    text = models.TextField(_("实践总结"), max_length=MAX_CHARS, blank=True)
    report = models.FileField(
        _("实践报告"),
        upload_to=report_upload_to,
        max_length=200,
        blank=True,
        validators=[UploadValidator(DOCUMENT)],
    )
    report_name = models.CharField(_("报告原文件名"), max_length=200, blank=True)
    consent = models.BooleanField(_("同意团委在典型案例中使用"), default=False)
    consent_at = models.DateTimeField(_("同意时间"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("实践总结")
        verbose_name_plural = _("实践总结")
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=False) | Q(consent_at__isnull=False),
                name="outcome_consent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return str(self.placement)

    @property
    def chars(self) -> int:
        """字数 as the rule counts them (summary.selectors.case_text_length)."""
        from summary.selectors import case_text_length  # models load before selectors

        return case_text_length(self.text)


def outcome_photo_upload_to(photo: "OutcomePhoto", filename: str) -> str:
    year = photo.outcome.placement.season.programme_year.year
    return f"outcomes/{year}/{safe_upload_name(filename)}"


class OutcomePhoto(Photo):
    """A photo of a 实践总结; served only through the summary's scoped view, never by URL."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(
        _("照片"),
        upload_to=outcome_photo_upload_to,
        max_length=200,
        validators=[UploadValidator(IMAGE)],
    )

    class Meta(Photo.Meta):
        verbose_name = _("实践总结照片")
        verbose_name_plural = _("实践总结照片")
