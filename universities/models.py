"""高校工作: what a university's Youth League committee does for its own students beyond the
clearance before departure: notices to them (with read counts), a standing recommendation
(推荐) the county reads beside the application, and the numbered 在校表现证明 anyone can
verify."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UniversityNotice(models.Model):
    """A notice to the university's students: all of them, or those of one college and/or one
    grade (the filters are kept with the notice, so its readers know whom it reached)."""

    class Category(models.TextChoices):
        ACTIVITY = "activity", _("活动通知")
        POLICY = "policy", _("政策通知")

    university = models.ForeignKey(
        "students.University", on_delete=models.PROTECT, related_name="notices"
    )
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=3000)
    college = models.CharField(_("学院"), max_length=100, blank=True)  # blank: every college
    grade = models.PositiveSmallIntegerField(_("年级"), null=True, blank=True)  # null: every grade
    recipients = models.PositiveIntegerField(_("接收人数"), default=0)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("高校通知")
        verbose_name_plural = _("高校通知")
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NoticeReceipt(models.Model):
    """One student's copy of a notice: read when the student opens it in the portal (the
    e-mail links there)."""

    notice = models.ForeignKey(UniversityNotice, on_delete=models.CASCADE, related_name="receipts")
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="university_notices"
    )
    mail = models.OneToOneField(
        "accounts.Mail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知送达")
        verbose_name_plural = _("通知送达")
        constraints = [
            models.UniqueConstraint(fields=["notice", "student"], name="university_notice_once")
        ]
        indexes = [models.Index(fields=["student", "read_at"])]

    def __str__(self) -> str:
        return f"{self.notice} → {self.student}"


class Recommendation(models.Model):
    """推荐: the university's word for its student, standing (not per season): one text the
    university keeps current, read by the counties the student applies to."""

    student = models.OneToOneField(
        "students.Student", on_delete=models.CASCADE, related_name="recommendation"
    )
    university = models.ForeignKey(
        "students.University", on_delete=models.PROTECT, related_name="recommendations"
    )
    text = models.TextField(_("推荐意见"), max_length=500)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("高校推荐")
        verbose_name_plural = _("高校推荐")

    def __str__(self) -> str:
        return f"{self.university} → {self.student}"


class PerformanceCertificate(models.Model):
    """在校表现证明 as a document: numbered like the practice certificates (12 characters of the
    same alphabet, checked on the same public verify page), its content fixed when issued, for
    one student and season. Revoked ones stay (the verify page says so); a season holds at most
    one valid one per student."""

    number = models.CharField(_("证明编号"), max_length=12, unique=True)
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, related_name="performance_certificates"
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.PROTECT, related_name="+"
    )
    university = models.ForeignKey(
        "students.University", on_delete=models.PROTECT, related_name="performance_certificates"
    )
    college = models.CharField(_("学院"), max_length=100, blank=True)
    major = models.CharField(_("专业"), max_length=100)
    grade = models.PositiveSmallIntegerField(_("年级（入学年份）"))
    statement = models.TextField(_("在校表现"), max_length=500)
    issuer = models.CharField(_("开具单位"), max_length=120)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    issued_at = models.DateTimeField(_("开具时间"), default=timezone.now)
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoke_reason = models.CharField(_("撤销原因"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("在校表现证明")
        verbose_name_plural = _("在校表现证明")
        ordering = ["-issued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "season"],
                condition=Q(revoked_at__isnull=True),
                name="performance_certificate_one_valid",
            )
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None
