import datetime

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class ProgrammeYear(models.Model):
    """A province's programme year and its settings. Milestones arrive with the calendar issue."""

    province = models.ForeignKey(
        "positions.Region",
        verbose_name=_("省份"),
        on_delete=models.PROTECT,
        related_name="programme_years",
        limit_choices_to={"level": "province"},
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quota_per_county = models.PositiveIntegerField(_("每县报到人数下限"), default=50)
    max_preferences = models.PositiveSmallIntegerField(_("每人可填志愿数"), default=3)

    class Meta:
        verbose_name = _("活动年度")
        verbose_name_plural = _("活动年度")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["province", "year"], name="programme_year_unique"),
            models.CheckConstraint(
                condition=Q(max_preferences__gt=0), name="programme_year_prefs_positive"
            ),
        ]

    def __str__(self) -> str:
        return _("%(year)s年度") % {"year": self.year}


class Season(models.Model):
    """暑期 or 寒假 of a programme year, with the window in which students practise."""

    class Kind(models.TextChoices):
        SUMMER = "summer", _("暑期")
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
        return f"{self.programme_year.year}年度{self.get_kind_display()}"

    def contains(self, day: datetime.date) -> bool:
        return self.practice_starts <= day <= self.practice_ends
