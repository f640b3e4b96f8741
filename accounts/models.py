from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROVINCE = "province", _("团省委")
    CITY = "city", _("市团委")
    COUNTY = "county", _("县级团委")
    HOST = "host", _("用人单位")
    UNIVERSITY = "university", _("高校团委")
    STUDENT = "student", _("学生")


# Which roles an account of each role may create, and at which region level the new scope lies.
CHILD_ROLES: dict[str, tuple[str, ...]] = {
    Role.PROVINCE: (Role.CITY, Role.UNIVERSITY),
    Role.CITY: (Role.COUNTY,),
    Role.COUNTY: (Role.HOST,),
}
REGION_ROLES = {Role.PROVINCE: "province", Role.CITY: "city", Role.COUNTY: "county"}


class User(AbstractUser):
    """A person who signs in. Staff roles carry exactly the scope their role needs."""

    name = models.CharField(_("姓名"), max_length=30, blank=True)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    role = models.CharField(_("角色"), max_length=12, choices=Role.choices, blank=True)
    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    host_unit = models.ForeignKey(
        "positions.HostUnit",
        verbose_name=_("所属用人单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    university = models.ForeignKey(
        "students.University",
        verbose_name=_("所属高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    created_by = models.ForeignKey(
        "self",
        verbose_name=_("开通人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        constraints = [
            # 'Yuexiu' and 'yuexiu' would be two officers no one can tell apart at sign-in.
            models.UniqueConstraint(Lower("username"), name="user_username_unique_ignoring_case"),
            # A staff account without its scope would see either nothing or, worse, everything.
            models.CheckConstraint(
                condition=(
                    Q(role="")
                    | Q(role="student")
                    | Q(
                        role__in=["province", "city", "county"],
                        region__isnull=False,
                        host_unit__isnull=True,
                        university__isnull=True,
                    )
                    | Q(
                        role="host",
                        host_unit__isnull=False,
                        region__isnull=True,
                        university__isnull=True,
                    )
                    | Q(
                        role="university",
                        university__isnull=False,
                        region__isnull=True,
                        host_unit__isnull=True,
                    )
                ),
                name="user_scope_matches_role",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def scope(self):
        return self.region or self.host_unit or self.university

    @property
    def scope_label(self) -> str:
        scope = self.scope
        if scope is None:
            return ""
        return scope.full_name if hasattr(scope, "full_name") else str(scope)


class Notice(models.Model):
    """An in-portal message to one user (a copy goes by e-mail when they have an address)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    text = models.CharField(_("内容"), max_length=300)
    url = models.CharField(_("链接"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("站内通知")
        verbose_name_plural = _("站内通知")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return self.text
