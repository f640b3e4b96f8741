"""Field groups that several domain models share, as abstract models, so each is written once."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reviewed(models.Model):
    """Submitted by a unit and reviewed by the level above: plans, their versions, typical cases."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提交人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("提交时间"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        abstract = True


class Photo(models.Model):
    """A photo of a typical case, a report or a city activity: its file (each model's own
    `image` field, for its folder), its name as uploaded and its place in the list. Served only
    through its owner's scoped view (fanjiaxiang.views.photo_response), never by a media URL."""

    image: models.FileField  # each model's own field: its folder differs
    original_name = models.CharField(_("原文件名"), max_length=200)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return "image/png" if self.image.name.lower().endswith(".png") else "image/jpeg"


class CountyOrUniversity(models.Model):
    """Belongs to a county or to a university, never both (each model's constraint says which)."""

    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("县（市、区）"),
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

    class Meta:
        abstract = True

    @property
    def unit(self):
        return self.region if self.region_id else self.university


class QueuedTask(models.Model):
    """A Celery task a request asked for, recorded in the request's own transaction and sent to
    the broker after it commits (fanjiaxiang/outbox.py). A row exists only while its task has not
    reached the broker: sent, it is deleted; a broker that was down leaves it waiting for the
    re-sender."""

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # Whoever sends it claims it until then, so two re-senders never send it twice; a sender
    # killed mid-way lets the claim lapse and the row goes out later.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("待提交的后台任务")
        verbose_name_plural = _("待提交的后台任务")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
