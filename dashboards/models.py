from django.db import models
from django.utils.translation import gettext_lazy as _

FUNNEL = ("posts", "applications", "offers", "confirmed", "reported", "completed", "credited")


class CountySeasonStats(models.Model):
    """One county's figures for one season, as the dashboards read them.

    Counting a province's applications and placements live would read millions of rows on
    every page view; `dashboards.services.stats_refresh` recounts a season in a few grouped
    queries (Celery beat, every 10 minutes) and dashboards read these ~3,000 rows per season.
    """

    county = models.ForeignKey(
        "positions.Region",
        verbose_name=_("县（市、区）"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.CASCADE, related_name="+"
    )
    posts = models.PositiveIntegerField(_("发布岗位"), default=0)
    applications = models.PositiveIntegerField(_("报名人次"), default=0)
    offers = models.PositiveIntegerField(_("发出录用"), default=0)
    confirmed = models.PositiveIntegerField(_("确认录用"), default=0)
    reported = models.PositiveIntegerField(_("已报到"), default=0)
    completed = models.PositiveIntegerField(_("已完成"), default=0)
    credited = models.PositiveIntegerField(_("可认定学分"), default=0)
    contacts = models.PositiveIntegerField(_("本季联系次数"), default=0)
    ledger_size = models.PositiveIntegerField(_("台账人数"), default=0)
    returns = models.PositiveIntegerField(_("返乡就业创业（已核实）"), default=0)
    refreshed_at = models.DateTimeField(_("统计时间"))

    class Meta:
        verbose_name = _("县（市、区）实践季统计")
        verbose_name_plural = _("县（市、区）实践季统计")
        constraints = [
            models.UniqueConstraint(fields=["county", "season"], name="county_season_stats_once")
        ]

    def __str__(self) -> str:
        return f"{self.county} {self.season}"
