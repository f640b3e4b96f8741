"""安全保障 (seed 000: 行前安全教育培训, 意外伤害保险): each student's emergency contact, the
accident insurance of each placement, and the province's rule whether the 行前安全教育 must be
recorded before an offer is confirmed."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class EmergencyContact(models.Model):
    """Whom the host unit or the county calls if something happens to the student: one per
    student (a database constraint, so two saves at once cannot make two)."""

    class Relation(models.TextChoices):
        FATHER = "father", _("父亲")
        MOTHER = "mother", _("母亲")
        RELATIVE = "relative", _("其他亲属")
        OTHER = "other", _("其他")

    student = models.OneToOneField(
        "students.Student",
        verbose_name=_("学生"),
        on_delete=models.CASCADE,
        related_name="emergency_contact",
    )
    name = models.CharField(_("紧急联系人姓名"), max_length=30)
    relation = models.CharField(_("与本人关系"), max_length=10, choices=Relation.choices)
    phone = models.CharField(_("紧急联系人电话"), max_length=20)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("紧急联系人")
        verbose_name_plural = _("紧急联系人")

    def __str__(self) -> str:
        return f"{self.name}（{self.get_relation_display()}）"


class Insurance(models.Model):
    """意外伤害保险 of one placement, recorded by the county or the student's university; one
    per placement (a database constraint). The period covers the practice dates (the service
    refuses a period that does not), and never ends before it starts (the database too)."""

    placement = models.OneToOneField(
        "students.Placement",
        verbose_name=_("实践安排"),
        on_delete=models.CASCADE,
        related_name="insurance",
    )
    insurer = models.CharField(_("保险公司"), max_length=100)
    policy_number = models.CharField(_("保单号"), max_length=50)
    starts_on = models.DateField(_("保险起期"))
    ends_on = models.DateField(_("保险止期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("登记时间"), auto_now=True)

    class Meta:
        verbose_name = _("意外伤害保险")
        verbose_name_plural = _("意外伤害保险")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="safety_insurance_period_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.insurer} {self.policy_number}"


class SafetyRule(models.Model):
    """The province's safety setting for one programme year: whether the student's university
    must have recorded the 行前安全教育 (students.Clearance.safety_trained_at) for the season
    before an offer can be confirmed. A year without a row does not require it."""

    programme_year = models.OneToOneField(
        "schedule.ProgrammeYear",
        verbose_name=_("活动年度"),
        on_delete=models.CASCADE,
        related_name="safety_rule",
    )
    training_required = models.BooleanField(_("确认录用前须完成行前安全教育"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("安全保障设置")
        verbose_name_plural = _("安全保障设置")

    def __str__(self) -> str:
        return str(self.programme_year)
