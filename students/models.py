from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class University(models.Model):
    """A university whose Youth League committee mobilises students and certifies credits."""

    name = models.CharField(_("学校名称"), max_length=100, unique=True)
    code = models.CharField(
        _("学校标识码"),
        max_length=10,
        unique=True,
        help_text=_("教育部 10 位学校标识码"),
        validators=[RegexValidator(r"^\d{10}$", _("学校标识码应为 10 位数字。"))],
    )
    province = models.ForeignKey(
        "positions.Region",
        verbose_name=_("所在省份"),
        on_delete=models.PROTECT,
        related_name="universities",
        limit_choices_to={"level": "province"},
    )

    class Meta:
        verbose_name = _("高校")
        verbose_name_plural = _("高校")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name
