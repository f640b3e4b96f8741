"""API tokens (issue 20): a unit's key to the API, shown once and stored as a digest."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ApiToken(models.Model):
    """One system's key (a university's 第二课堂 system, a county's 创青春 publisher, a
    province's statistics) to read its own unit's records through /api/v1/.

    The secret is shown once, when it is made; only its SHA-256 digest is kept (the secret is
    32 random bytes, so a plain digest cannot be walked back, and a lookup by `prefix` finds the
    one row to compare). A token acts for its unit, never for a person: the API reads through
    the same scoped selectors as a staff member of that unit would.
    """

    class Kind(models.TextChoices):
        UNIVERSITY = "university", _("高校令牌")
        COUNTY = "county", _("县级团委令牌")
        PROVINCE = "province", _("团省委令牌")

    name = models.CharField(_("用途"), max_length=60)
    kind = models.CharField(_("令牌类型"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        "positions.Region",
        verbose_name=_("所属地区"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    university = models.ForeignKey(
        "students.University",
        verbose_name=_("所属高校"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    can_write = models.BooleanField(_("允许发布、结束岗位"), default=False)
    prefix = models.CharField(_("令牌前缀"), max_length=12, unique=True)
    digest = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("撤销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("撤销人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("接口令牌")
        verbose_name_plural = _("接口令牌")
        ordering = ["-created_at", "-id"]
        constraints = [
            # A token without its unit would read nothing, or, worse, everything.
            models.CheckConstraint(
                condition=(
                    Q(kind="university", university__isnull=False, region__isnull=True)
                    | Q(
                        kind__in=["county", "province"],
                        region__isnull=False,
                        university__isnull=True,
                    )
                ),
                name="api_token_scope_matches_kind",
            ),
            # Only a county publishes and closes posts.
            models.CheckConstraint(
                condition=Q(can_write=False) | Q(kind="county"), name="api_token_write_county_only"
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")),
                name="api_token_expires_after_creation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def scope(self):
        return self.university or self.region

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
