import datetime
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import Role
from accounts.validators import id_number_clean
from fanjiaxiang.forms import PortalForm, PortalModelForm
from fanjiaxiang.uploads import UploadValidator
from ledger.models import (
    ENTRY_FIELDS,
    Channel,
    ContactLog,
    Entry,
    ExchangeEvent,
    Intention,
    LedgerNotice,
    ReturnRegistration,
    Source,
    material_validate,
)
from ledger.selectors import (
    channels_for_user,
    entries_matching,
    keyword_reveals_hidden_digits,
    sees_in_full,
)
from positions.models import Region
from schedule.models import Season
from students.models import Student

MATERIAL_TYPES = ".jpg,.jpeg,.png,.pdf,.doc,.docx,.wps,image/jpeg,image/png,application/pdf"
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EntryFilterForm(PortalForm):
    """The ledger list's filters; the same filters choose a notice's recipients and the export."""

    q = forms.CharField(label=gettext_lazy("关键词"), required=False, max_length=50)
    county = forms.ChoiceField(label=gettext_lazy("县（市、区）"), required=False)
    source = forms.ChoiceField(
        label=gettext_lazy("联系渠道"),
        required=False,
        choices=[("", gettext_lazy("全部渠道")), *Source.choices],
    )
    intention = forms.ChoiceField(
        label=gettext_lazy("返乡意向"),
        required=False,
        choices=[("", gettext_lazy("全部意向")), *Intention.choices],
    )
    degree = forms.ChoiceField(
        label=gettext_lazy("学历"),
        required=False,
        choices=[("", gettext_lazy("全部学历")), *Student.Degree.choices],
    )
    graduation_year = forms.IntegerField(
        label=gettext_lazy("毕业年份"), required=False, min_value=1950, max_value=2100
    )
    tag = forms.CharField(label=gettext_lazy("标签"), required=False, max_length=20)
    channel = forms.ChoiceField(label=gettext_lazy("所在渠道"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

        self.user = user
        self.in_full = sees_in_full(user)
        if user.role == Role.COUNTY:
            del self.fields["county"]
        else:
            counties = Region.objects.filter(level=Region.Level.COUNTY)
            if user.role == Role.CITY:
                counties = counties.filter(parent=user.region_id)
            else:
                counties = counties.filter(parent__parent=user.region_id)
            self.fields["county"].choices = [
                ("", _("全部县（市、区）")),
                *counties.order_by("code").values_list("code", "name"),
            ]
        self.fields["channel"].choices = [
            ("", _("全部")),
            *channels_for_user(user).order_by("name").values_list("pk", "name")[:200],
        ]

    def clean_q(self) -> str:
        q = self.cleaned_data["q"].strip()
        if not self.in_full and keyword_reveals_hidden_digits(q):
            raise forms.ValidationError(
                _(
                    "您只能看到手机号和身份证号的部分数字，不能按完整或部分号码搜索；"
                    "请按姓名、高校、专业、标签或页面显示的号码（如 139****5678）搜索。"
                )
            )
        return q

    def filter(self, entries):
        if not self.is_valid():
            return entries.none()
        data = self.cleaned_data
        if data.get("q"):
            entries = entries_matching(entries, data["q"], in_full=self.in_full)
        if data.get("county"):
            entries = entries.filter(county__code=data["county"])
        for name in ("source", "intention", "degree", "graduation_year"):
            if data.get(name):
                entries = entries.filter(**{name: data[name]})
        if data.get("tag"):
            entries = entries.filter(tags__contains=data["tag"].strip())
        if data.get("channel"):
            entries = entries.filter(channels=data["channel"])
        return entries

    def described(self) -> dict:
        """The filters in words, kept with a notice and an export's audit event."""
        if not self.is_valid():
            return {}
        out = {}
        for name, value in self.cleaned_data.items():
            if value in ("", None):
                continue
            field = self.fields[name]
            if isinstance(field, forms.ChoiceField):
                choices = cast(list[tuple[object, object]], field.choices)
                value = {str(k): v for k, v in choices}.get(str(value), value)
            out[str(field.label)] = str(value)
        return out


class EntryForm(PortalModelForm):
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        required=False,
        max_length=18,
        help_text=gettext_lazy("已登记的身份证号只显示部分；留空则保持不变。"),
    )
    channels = forms.ModelMultipleChoiceField(
        label=gettext_lazy("所在联系渠道"),
        queryset=Channel.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Entry
        fields = list(ENTRY_FIELDS)
        widgets = {"notes": forms.Textarea(attrs={"rows": 3}), "last_contact": DATE}

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = Channel.objects.filter(county=county).order_by("name")
        if self.instance.pk:
            self.fields["id_number"].widget.attrs["placeholder"] = self.instance.id_number_masked
            self.initial["id_number"] = ""
            self.initial["channels"] = list(self.instance.channels.values_list("pk", flat=True))

    def clean_id_number(self) -> str:
        raw = self.cleaned_data["id_number"].strip()
        if not raw:
            return ""
        try:
            return id_number_clean(raw)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from error

    def clean_graduation_year(self):
        year = self.cleaned_data["graduation_year"]
        if year is not None and not 1950 <= year <= 2100:
            raise forms.ValidationError(_("应为四位年份，如 2027。"))
        return year


class MergeForm(PortalForm):
    other = forms.IntegerField(widget=forms.HiddenInput)


class ContactForm(PortalModelForm):
    class Meta:
        model = ContactLog
        fields = ["date", "method", "content"]
        widgets = {"date": DATE, "content": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())


class ChannelForm(PortalModelForm):
    class Meta:
        model = Channel
        fields = ["kind", "name", "contact", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class NoticeForm(PortalModelForm):
    class Meta:
        model = LedgerNotice
        fields = ["category", "title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}


class EventForm(PortalModelForm):
    class Meta:
        model = ExchangeEvent
        fields = [
            "season",
            "title",
            "date",
            "place",
            "speakers",
            "departments",
            "visits",
            "summary",
            "attendance_extra",
        ]
        widgets = {
            "date": DATE,
            "speakers": forms.Textarea(attrs={"rows": 2}),
            "departments": forms.Textarea(attrs={"rows": 2}),
            "visits": forms.Textarea(attrs={"rows": 2}),
            "summary": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, county, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["season"].queryset = Season.objects.filter(
            programme_year__province=county.parent.parent_id
        ).select_related("programme_year")
        self.fields["attendance_extra"].required = False

    def clean_attendance_extra(self) -> int:
        return self.cleaned_data.get("attendance_extra") or 0


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MaterialsField(forms.FileField):
    """Several files in one input, each a photo or the minutes (`material_validate`); the
    message names the file that was refused."""

    default_validators = [material_validate]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": MATERIAL_TYPES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise forms.ValidationError(_("请选择要上传的照片或纪要。"), code="required")
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except forms.ValidationError as error:
                errors.append(
                    forms.ValidationError(
                        _("文件“%(name)s”：%(reason)s"),
                        params={"name": upload.name, "reason": " ".join(error.messages)},
                    )
                )
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class MaterialForm(PortalForm):
    materials = MaterialsField(
        label=gettext_lazy("活动照片或纪要"),
        required=False,
        help_text=gettext_lazy(
            "照片 JPG、PNG（每张不超过 5 MB），纪要 PDF、Word、WPS（不超过 20 MB）；可一次选择多个。"
        ),
    )


class AttendanceForm(PortalForm):
    people = forms.CharField(
        label=gettext_lazy("出席人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy("每行一人：手机号、身份证号或台账中的姓名（可从 Excel 整列粘贴）。"),
    )


class RegistrationForm(PortalModelForm):
    class Meta:
        model = ReturnRegistration
        fields = ["kind", "year", "organisation", "position", "started_on", "note"]
        widgets = {"started_on": DATE, "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("year", timezone.localdate().year)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if not 2000 <= year <= datetime.date.today().year + 1:
            raise forms.ValidationError(_("年度不正确。"))
        return year


class ImportForm(PortalForm):
    file = forms.FileField(
        label=gettext_lazy("Excel 文件"),
        validators=[UploadValidator("spreadsheet")],
        help_text=gettext_lazy("请使用下载的模板或本系统导出的台账（.xlsx），最大 20 MB。"),
    )
