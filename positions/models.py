from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

# Cities without counties, whose practice units are their towns and streets (镇街): 东莞, 中山,
# 儋州, 嘉峪关 (the same four as positions/data/build_regions.py, which runs without Django).
CITIES_OF_TOWNS = frozenset({"4419", "4420", "4604", "6202"})


class Region(models.Model):
    """An administrative division (GB/T 2260). `county` is the practice unit, 镇街 included."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省级")
        CITY = "city", _("地市级")
        COUNTY = "county", _("县级")

    code = models.CharField(_("行政区划代码"), max_length=12, unique=True)
    name = models.CharField(_("名称"), max_length=64)
    level = models.CharField(_("层级"), max_length=8, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | (~Q(level="province") & Q(parent__isnull=False)),
                name="region_parent_matches_level",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def units_word(self) -> str:
        """What the practice units in (or of) this region are called, in the notice's words:
        镇街 in 东莞 and 中山 (and the other cities without counties), 县（市、区） elsewhere,
        and in a province, which has both."""
        if self.level != self.Level.PROVINCE and self.code[:4] in CITIES_OF_TOWNS:
            return str(_("镇街"))
        return str(_("县（市、区）"))

    @property
    def full_name(self) -> str:
        names: list[str] = []
        region: Region | None = self
        while region is not None:
            names.append(region.name)
            region = region.parent
        return "".join(reversed(names))


class HostUnit(models.Model):
    """用人单位: an organisation in a county that hosts practice posts."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("党政机关")
        INSTITUTION = "institution", _("事业单位")
        GRASSROOTS = "grassroots", _("基层组织")
        ENTERPRISE = "enterprise", _("重点企业")
        SOCIAL = "social", _("社会组织")

    county = models.ForeignKey(
        Region,
        verbose_name=_("所属县（市、区）"),
        on_delete=models.PROTECT,
        related_name="host_units",
    )
    kind = models.CharField(_("单位类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("单位名称"), max_length=100)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, blank=True, help_text=_("18 位，没有可不填")
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=30)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    description = models.TextField(_("单位简介"), blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("用人单位")
        verbose_name_plural = _("用人单位")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="host_unit_unique_name_in_county",
                violation_error_message=_("本县已登记同名用人单位。"),
            ),
            models.UniqueConstraint(
                fields=["county", "credit_code"],
                condition=~Q(credit_code=""),
                name="host_unit_unique_credit_code_in_county",
                violation_error_message=_("本县已登记使用该统一社会信用代码的用人单位。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


MAX_HEADCOUNT = 999


class Post(models.Model):
    """实践岗位: a practice post of a host unit for one season."""

    class Category(models.TextChoices):
        GOVERNMENT = "government", _("政务实践")
        RURAL = "rural", _("乡村振兴")
        ENTERPRISE = "enterprise", _("企业实践")
        WELFARE = "welfare", _("公益服务")
        COMMUNITY = "community", _("社区服务")
        PART_TIME = "part_time", _("兼职锻炼")
        CULTURE = "culture", _("文化宣传")

    class Audience(models.TextChoices):
        """Who may apply (面向对象): the county's own students, as the notice sets out, or a
        county's choice to open the post wider."""

        HOMETOWN = "hometown", _("仅本县生源学生")
        RESIDENTS = "residents", _("本县生源及常住本县学生")
        ANYONE = "anyone", _("面向所有在外高校学子")

    class Status(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        CLOSED = "closed", _("已截止")
        CANCELLED = "cancelled", _("已撤销")

    host_unit = models.ForeignKey(
        HostUnit, verbose_name=_("用人单位"), on_delete=models.PROTECT, related_name="posts"
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.PROTECT, related_name="posts"
    )
    title = models.CharField(_("岗位名称"), max_length=100)
    category = models.CharField(_("岗位类别"), max_length=16, choices=Category.choices)
    description = models.TextField(_("岗位简介"))
    duties = models.TextField(_("工作职责"))
    majors = models.CharField(_("专业要求"), max_length=200, blank=True, help_text=_("不限可不填"))
    skills = models.CharField(_("能力要求"), max_length=200, blank=True)
    grade = models.CharField(_("年级要求"), max_length=100, blank=True, help_text=_("不限可不填"))
    headcount = models.PositiveSmallIntegerField(
        _("招募人数"), validators=[MaxValueValidator(MAX_HEADCOUNT)]
    )
    place = models.CharField(_("实践地点"), max_length=200)
    remote_allowed = models.BooleanField(_("可线上（云）实践"), default=False)
    audience = models.CharField(
        _("面向对象"),
        max_length=10,
        choices=Audience.choices,
        default=Audience.HOMETOWN,
        db_default=Audience.HOMETOWN,
        help_text=_("默认仅面向本县生源学生；也可向常住本县的学生或所有在外高校学子开放"),
    )
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    hours = models.CharField(
        _("工作时间"), max_length=100, help_text=_("如：周一至周五 9:00-17:30")
    )
    training = models.TextField(_("岗前培训"), blank=True)
    safety_notes = models.TextField(_("安全须知"), blank=True)
    contact_name = models.CharField(_("岗位联系人"), max_length=30)
    contact_phone = models.CharField(_("联系电话"), max_length=20)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("截止/撤销时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("实践岗位")
        verbose_name_plural = _("实践岗位")
        ordering = ["-published_at", "-id"]
        indexes = [
            # The public search's order: newest published first, read straight off the index.
            models.Index(fields=["status", "-published_at", "-id"], name="post_search_order"),
            models.Index(fields=["status", "season", "category"]),
            models.Index(fields=["host_unit", "status"]),
        ]
        # A post's dates lying inside its season is checked by a trigger (migration 0002): a
        # CHECK constraint cannot look at another table.
        constraints = [
            models.CheckConstraint(
                condition=Q(headcount__gt=0, headcount__lte=MAX_HEADCOUNT),
                name="post_headcount_in_range",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__lte=F("ends_on")), name="post_starts_before_it_ends"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "published", "closed", "cancelled"]),
                name="post_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def county(self) -> Region:
        return self.host_unit.county

    def is_open_to(self, *, hometown_id: int | None, residence_id: int | None) -> bool:
        """面向对象: the county's own students (生源地); a post opened to residents also those
        whose 常住地 is the county; a post opened to anyone, every student."""
        county_id = self.host_unit.county_id
        if self.audience == self.Audience.ANYONE:
            return True
        if self.audience == self.Audience.RESIDENTS and residence_id == county_id:
            return True
        return hometown_id == county_id

    def closed_to_message(self) -> str:
        """What a student this post is not open to is told."""
        if self.audience == self.Audience.RESIDENTS:
            return str(_("该岗位仅面向本县生源及常住本县的学生。"))
        return str(_("该岗位仅面向本县生源学生：只能报名家乡（生源地）县（市、区）的岗位。"))
