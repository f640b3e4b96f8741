"""The county's contact ledger (联系台账) of students from home who study elsewhere, and what the
county does with it: contact channels, a contact log, notices, the centralised exchange (集中交流,
held once: 开展一次集中交流) with its photos and minutes, and return-home employment and
start-up registrations (返乡就业创业登记).

One person is one entry per county: the database holds that rule (an ID number's digest is unique
in a county; without an ID number, the phone is) so that two imports at once cannot split anyone.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField

from fanjiaxiang.uploads import DOCUMENT, IMAGE, safe_upload_name, validate_upload
from students.models import Student

TAG_SPLIT = re.compile(r"[、,，;；\s]+")


def tags_clean(text: str) -> str:
    """Tags as stored: split on 、 , ， ; ； or spaces, joined with 、 (the form and the import
    agree, so an export re-imports unchanged)."""
    return "、".join(t for t in TAG_SPLIT.split(text or "") if t)


# The tag a participant's entry carries, in the notice's words (参与实践的学生); migration
# 0007 renamed the former 返家乡学员.
PARTICIPANT_TAG = _("参与实践的学生")


class Source(models.TextChoices):
    PARTICIPATION = "participation", _("参与返家乡实践")
    ASSOCIATION = "association", _("大学生成长促进会")
    ALUMNI = "alumni", _("中学毕业生群/校友群")
    PARTNERSHIP = "partnership", _("校地合作")
    OTHER = "other", _("其他")


class Intention(models.TextChoices):
    YES = "yes", _("有意返乡")
    UNDECIDED = "undecided", _("尚未确定")
    NO = "no", _("暂无意向")


# The fields that describe a person in the ledger, in the order the form and the Excel file show
# them: the entry form, the import, the export and a merge all read this one list.
ENTRY_FIELDS = (
    "name",
    "id_number",
    "phone",
    "email",
    "wechat",
    "university",
    "major",
    "degree",
    "graduation_year",
    "source",
    "intention",
    "tags",
    "notes",
    "last_contact",
)
# Those copied as they are; the ID number goes through accounts.validators.id_number_set.
PLAIN_ENTRY_FIELDS = tuple(name for name in ENTRY_FIELDS if name != "id_number")


class Entry(models.Model):
    """A student from the county studying elsewhere, however many sources named them."""

    county = models.ForeignKey(
        "positions.Region",
        verbose_name=_("所属县（市、区）"),
        on_delete=models.PROTECT,
        related_name="ledger_entries",
        limit_choices_to={"level": "county"},
    )
    name = models.CharField(_("姓名"), max_length=30)
    # As for students: stored encrypted, shown masked, found again by a keyed digest.
    id_number = EncryptedCharField(_("身份证号"), max_length=18, null=True, blank=True)
    id_number_digest = models.CharField(max_length=64, blank=True, default="", editable=False)
    id_number_masked = models.CharField(_("身份证号"), max_length=18, blank=True, editable=False)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)
    email = models.EmailField(_("电子邮箱"), blank=True)
    wechat = models.CharField(_("微信号"), max_length=50, blank=True)
    university = models.CharField(_("就读高校"), max_length=100, blank=True)
    major = models.CharField(_("专业"), max_length=100, blank=True)
    degree = models.CharField(_("学历"), max_length=10, choices=Student.Degree.choices, blank=True)
    graduation_year = models.PositiveSmallIntegerField(_("毕业年份"), null=True, blank=True)
    source = models.CharField(
        _("联系渠道"), max_length=16, choices=Source.choices, default=Source.OTHER
    )
    intention = models.CharField(
        _("返乡意向"), max_length=10, choices=Intention.choices, default=Intention.UNDECIDED
    )
    tags = models.CharField(_("标签"), max_length=200, blank=True, help_text=_("用顿号或逗号分隔"))
    notes = models.TextField(_("备注"), blank=True, max_length=2000)
    last_contact = models.DateField(_("最近联系日期"), null=True, blank=True)
    student = models.ForeignKey(
        Student,
        verbose_name=_("报名学生"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ledger_entries",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("台账条目")
        verbose_name_plural = _("联系台账")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "id_number_digest"],
                condition=~Q(id_number_digest=""),
                name="ledger_one_entry_per_id_number",
                violation_error_message=_("本县台账中已有此身份证号的人员。"),
            ),
            models.UniqueConstraint(
                fields=["county", "phone"],
                condition=Q(id_number_digest="") & ~Q(phone=""),
                name="ledger_one_entry_per_phone_without_id",
                violation_error_message=_("本县台账中已有此手机号的人员。"),
            ),
            models.UniqueConstraint(
                fields=["county", "student"],
                condition=Q(student__isnull=False),
                name="ledger_one_entry_per_student",
            ),
            models.CheckConstraint(
                condition=~Q(id_number_digest="", phone=""),
                name="ledger_entry_has_id_or_phone",
                violation_error_message=_("身份证号和手机号至少填写一项。"),
            ),
        ]
        indexes = [
            models.Index(fields=["county", "name"]),
            models.Index(fields=["county", "phone"]),
            models.Index(fields=["county", "graduation_year"]),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def tag_list(self) -> list[str]:
        return [t for t in self.tags.split("、") if t]


class Channel(models.Model):
    """A contact mechanism: the growth association, a middle school's alumni group, a partner
    university. Its members are ledger entries of the same county."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", _("大学生成长促进会")
        ALUMNI = "alumni", _("中学毕业生群/校友群")
        PARTNERSHIP = "partnership", _("校地合作高校")
        OTHER = "other", _("其他")

    county = models.ForeignKey(
        "positions.Region", on_delete=models.PROTECT, related_name="ledger_channels"
    )
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("名称"), max_length=100, help_text=_("如：某某中学 2022 届校友群"))
    contact = models.CharField(_("联络人及方式"), max_length=100, blank=True)
    note = models.TextField(_("说明"), blank=True, max_length=1000)
    members = models.ManyToManyField(Entry, related_name="channels", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系渠道")
        verbose_name_plural = _("联系渠道")
        constraints = [
            models.UniqueConstraint(
                fields=["county", "name"],
                name="ledger_channel_name_unique_in_county",
                violation_error_message=_("本县已有同名的联系渠道。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


class ContactLog(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", _("电话")
        WECHAT = "wechat", _("微信")
        SMS = "sms", _("短信")
        EMAIL = "email", _("邮件")
        VISIT = "visit", _("走访")
        MEETING = "meeting", _("座谈/活动")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="contacts")
    date = models.DateField(_("联系日期"))
    method = models.CharField(_("联系方式"), max_length=10, choices=Method.choices)
    content = models.TextField(_("联系内容"), max_length=1000)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("联系人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.entry} {self.date}"


class LedgerNotice(models.Model):
    """A notice to ledger members chosen by filters: in the portal for those with an account, by
    e-mail for those with an address. Reading is counted through each recipient's own link."""

    class Category(models.TextChoices):
        ACTIVITY = "activity", _("活动")
        POLICY = "policy", _("政策")
        JOB = "job", _("就业岗位")

    county = models.ForeignKey(
        "positions.Region", on_delete=models.PROTECT, related_name="ledger_notices"
    )
    category = models.CharField(_("类别"), max_length=10, choices=Category.choices)
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"), max_length=3000)
    filters = models.JSONField(_("筛选条件"), default=dict)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    sent_at = models.DateTimeField(_("发送时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("台账通知")
        verbose_name_plural = _("台账通知")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return self.title


class Delivery(models.Model):
    notice = models.ForeignKey(LedgerNotice, on_delete=models.CASCADE, related_name="deliveries")
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="deliveries")
    in_portal = models.BooleanField(default=False)
    by_email = models.BooleanField(default=False)
    # Its e-mail in the mail outbox (accounts.Mail): 待发送, 已发送 or 发送失败 with the reason.
    mail = models.OneToOneField(
        "accounts.Mail", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Before the mail outbox: when the notice's own task mailed it (kept for old notices).
    mailed_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["notice", "entry"], name="ledger_one_delivery_each")
        ]

    def __str__(self) -> str:
        return f"{self.notice} → {self.entry}"


class ExchangeEvent(models.Model):
    """The county's centralised exchange (集中交流): the notice asks for one (开展一次), held in
    the practice season it belongs to; a second one is allowed and counted too."""

    county = models.ForeignKey(
        "positions.Region", on_delete=models.PROTECT, related_name="exchange_events"
    )
    season = models.ForeignKey(
        "schedule.Season", verbose_name=_("实践季"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("活动名称"), max_length=100)
    date = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=100)
    speakers = models.TextField(_("主讲/座谈嘉宾"), blank=True, max_length=1000)
    departments = models.TextField(_("参与部门"), blank=True, max_length=1000)
    visits = models.TextField(_("参观走访"), blank=True, max_length=1000)
    summary = models.TextField(_("活动小结"), blank=True, max_length=3000)
    attendees = models.ManyToManyField(Entry, related_name="events", blank=True)
    # Leaders, department staff and students not (yet) in the ledger also attend; the notice
    # counts the event, the ledger counts people, so the others are a number.
    attendance_extra = models.PositiveIntegerField(
        _("其他出席人数"),
        default=0,
        help_text=_("未列入台账的出席人数（如领导、部门和企业代表），不含下方出席名单中的人员。"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("集中交流活动")
        verbose_name_plural = _("集中交流活动")
        ordering = ["-date"]

    def __str__(self) -> str:
        return self.title


def event_material_upload_to(material: "EventMaterial", filename: str) -> str:
    return f"exchanges/{material.event.date.year}/{safe_upload_name(filename)}"


class EventMaterial(models.Model):
    """A photo or the minutes (纪要) of an exchange event: the evidence that it was held. Served
    only through the event's scoped view, never by URL."""

    event = models.ForeignKey(ExchangeEvent, on_delete=models.CASCADE, related_name="materials")
    file = models.FileField(_("文件"), upload_to=event_material_upload_to, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("集中交流材料")
        verbose_name_plural = _("集中交流材料")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].lower() if "." in self.file.name else ""

    @property
    def is_photo(self) -> bool:
        return self.extension in PHOTO_EXTENSIONS

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES.get(self.extension, "application/octet-stream")


PHOTO_EXTENSIONS = ("jpg", "jpeg", "png")
MAX_MATERIALS = 20  # per event
MAX_MATERIALS_AT_ONCE = 10


def material_validate(upload: File) -> None:
    """A photo (JPG, PNG) or minutes (PDF, Word, WPS), checked by the one upload validator as
    the kind its extension claims."""
    name = (upload.name or "").lower()
    kind = IMAGE if name.endswith(tuple(f".{e}" for e in PHOTO_EXTENSIONS)) else DOCUMENT
    try:
        validate_upload(upload, kind=kind)
    except ValidationError as error:
        if error.code != "upload_wrong_type":
            raise
        raise ValidationError(
            _("文件类型不符：只接受 JPG、PNG 照片或 PDF、Word、WPS 纪要。"),
            code="upload_wrong_type",
        ) from error


CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "wps": "application/vnd.ms-works",
}


class ReturnRegistration(models.Model):
    """返乡就业创业登记: a person from the ledger who returned to work or start a business through
    the league, counted once county staff verify it."""

    class Kind(models.TextChoices):
        EMPLOYMENT = "employment", _("返乡就业")
        STARTUP = "startup", _("返乡创业")

    class Status(models.TextChoices):
        PENDING = "pending", _("待核实")
        VERIFIED = "verified", _("已核实")
        REJECTED = "rejected", _("未通过")

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("类型"), max_length=12, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    organisation = models.CharField(_("就业单位/创业项目"), max_length=100)
    position = models.CharField(_("岗位/行业"), max_length=100, blank=True)
    started_on = models.DateField(_("到岗/开业日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True, max_length=1000)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("返乡就业创业登记")
        verbose_name_plural = _("返乡就业创业登记")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "year", "kind"],
                name="ledger_one_registration_per_year_and_kind",
                violation_error_message=_("此人本年度已有同类登记。"),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(verified_at__isnull=False),
                name="ledger_registration_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entry} {self.get_kind_display()} {self.year}"


class ImportJob(models.Model):
    """An Excel import: checked first (a preview with every bad row), written only when the whole
    file is valid and a person confirmed it. Big files are checked and written by Celery; the
    page polls `processed` / `total` for its progress bar."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("正在检查")
        INVALID = "invalid", _("有错误，未导入")
        READY = "ready", _("检查通过，待确认")
        APPLYING = "applying", _("正在导入")
        DONE = "done", _("已导入")
        FAILED = "failed", _("导入失败")

    county = models.ForeignKey("positions.Region", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="ledger_imports/%Y/%m/")
    original_name = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CHECKING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list)
    preview = models.JSONField(default=list)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def percent(self) -> int:
        return int(100 * self.processed / self.total) if self.total else 0
