from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.forms import PortalForm, PortalModelForm
from fanjiaxiang.uploads import IMAGE, UploadValidator, max_upload_size
from summary.models import (
    ACTIVITY_MAX_PHOTOS,
    PHOTOS_LIMIT,
    Briefing,
    CaseRule,
    CityActivity,
    Score,
    TypicalCase,
)

PHOTO_TYPES = ".jpg,.jpeg,.png,image/jpeg,image/png"


class AdjustForm(PortalForm):
    adjustment = forms.DecimalField(
        label=_("省级调整（分）"),
        max_digits=4,
        decimal_places=1,
        min_value=Decimal(-100),
        max_value=Decimal(100),
        help_text=_("加分填正数，减分填负数；最终得分在 0 到 100 之间。填 0 即撤销调整。"),
    )
    reason = forms.CharField(
        label=_("调整原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写调整原因。")},
    )


class CommendForm(PortalForm):
    commended = forms.ModelMultipleChoiceField(
        queryset=Score.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, programme_year, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commended"].queryset = Score.objects.filter(programme_year=programme_year)


class PublishForm(PortalForm):
    title = forms.CharField(label=_("标题"), max_length=100, required=False)
    note = forms.CharField(
        label=_("表扬通报正文"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class MultiplePhotoInput(forms.FileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos in one input; each is checked as an image (JPG or PNG, content matching
    the extension, within the size limit)."""

    default_validators = [UploadValidator(IMAGE)]

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": PHOTO_TYPES}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        errors, cleaned = [], []
        for upload in files:
            try:
                cleaned.append(super().clean(upload, initial))
            except ValidationError as error:
                errors.append(
                    ValidationError(
                        _("照片“%(name)s”：%(reason)s"),
                        params={"name": upload.name, "reason": " ".join(error.messages)},
                    )
                )
        if errors:
            raise ValidationError(errors)
        return cleaned


def _photos_help(rule: CaseRule) -> str:
    return _(
        "JPG 或 PNG，共 %(min)s—%(max)s 张，每张不少于 %(least)s MB、不超过 %(size)s MB；"
        "可一次选择多张。"
    ) % {
        "min": rule.min_photos,
        "max": rule.max_photos,
        "least": f"{rule.min_photo_mb:g}",
        "size": max_upload_size(IMAGE) // (1024 * 1024),
    }


class CaseForm(PortalModelForm):
    """Title, text and photos; the year's rule (`CaseRule`) is shown here and checked by the
    services before anything is stored."""

    photos = PhotosField(label=_("活动照片"), error_messages={"required": _("请上传活动照片。")})
    remove_photos: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("删除照片"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = TypicalCase
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _photos_help(rule)
        body = self.fields["body"]
        body.help_text = _(
            "写清背景、做法、成效和学生感受，正文 %(min)s—%(max)s 字（不计空格和换行）。"
        ) % {"min": rule.min_chars, "max": rule.max_chars}
        body.widget.attrs |= {"data-count-min": rule.min_chars, "data-count-max": rule.max_chars}
        existing = self.instance.photos.all() if self.instance.pk else None
        if existing is None:
            del self.fields["remove_photos"]
        else:
            self.fields["photos"].required = False
            self.fields["photos"].label = _("添加照片")
            self.fields["remove_photos"].queryset = existing
            self.fields["remove_photos"].label_from_instance = lambda photo: photo.original_name
        self.order_fields(["title", "body", "remove_photos", "photos"])


class CaseRuleForm(PortalForm):
    min_chars = forms.IntegerField(label=_("正文最少字数"), min_value=1, max_value=10000)
    max_chars = forms.IntegerField(label=_("正文最多字数"), min_value=1, max_value=10000)
    min_photos = forms.IntegerField(label=_("最少照片数"), min_value=1, max_value=PHOTOS_LIMIT)
    max_photos = forms.IntegerField(label=_("最多照片数"), min_value=1, max_value=PHOTOS_LIMIT)
    min_photo_mb = forms.DecimalField(
        label=_("每张照片不小于（MB）"),
        min_value=Decimal(0),
        max_value=Decimal(5),
        max_digits=3,
        decimal_places=1,
    )

    @classmethod
    def initial_of(cls, rule: CaseRule) -> dict:
        return {
            "min_chars": rule.min_chars,
            "max_chars": rule.max_chars,
            "min_photos": rule.min_photos,
            "max_photos": rule.max_photos,
            "min_photo_mb": Decimal(str(rule.min_photo_mb)),
        }


class ReviewForm(PortalForm):
    decision = forms.ChoiceField(
        label=_("审核结果"),
        choices=[("approve", _("通过")), ("reject", _("不通过"))],
    )
    comment = forms.CharField(
        label=_("审核意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不通过时必填。"),
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "reject" and not (cleaned.get("comment") or "").strip():
            self.add_error("comment", _("不通过时请填写审核意见。"))
        return cleaned


class BriefingForm(PortalModelForm):
    class Meta:
        model = Briefing
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
        help_texts = {"body": _("纯文本，空行分段。发布后不能再修改。")}


class RuleForm(PortalForm):
    """One kind's weights and targets: `weight_<part>` and `target_<part>` fields. The service
    checks the sum and says so in the notice's words; the fields only keep what was typed."""

    def __init__(self, *args, kind: str, parts, **kwargs):
        super().__init__(*args, prefix=kind, **kwargs)
        self.kind_key = kind
        self.parts = parts
        for ruled in parts:
            self.fields[f"weight_{ruled.key}"] = forms.IntegerField(
                label=_("%(part)s 权重") % {"part": ruled.label},
                initial=ruled.weight,
                min_value=0,
                max_value=100,
                error_messages={
                    "required": _("请填写“%(part)s”的权重。") % {"part": ruled.label},
                    "invalid": _("“%(part)s”的权重应为整数。") % {"part": ruled.label},
                    "min_value": _("“%(part)s”的权重应为 0 到 100 之间的整数。")
                    % {"part": ruled.label},
                    "max_value": _("“%(part)s”的权重应为 0 到 100 之间的整数。")
                    % {"part": ruled.label},
                },
            )
            if ruled.part.has_target:
                self.fields[f"target_{ruled.key}"] = forms.IntegerField(
                    label=_("%(part)s 目标") % {"part": ruled.label},
                    initial=ruled.target,
                    min_value=1,
                    max_value=100000,
                    error_messages={
                        "required": _("请填写“%(part)s”的目标。") % {"part": ruled.label},
                        "invalid": _("“%(part)s”的目标应为正整数。") % {"part": ruled.label},
                        "min_value": _("“%(part)s”的目标应为正整数。") % {"part": ruled.label},
                        "max_value": _("“%(part)s”的目标不能超过 100000。") % {"part": ruled.label},
                    },
                )

    def rows(self):
        """Each part with its bound fields, for the page's table."""
        for ruled in self.parts:
            target = f"target_{ruled.key}"
            yield {
                "ruled": ruled,
                "weight": self[f"weight_{ruled.key}"],
                "target": self[target] if target in self.fields else None,
            }

    def settings(self) -> dict:
        data = self.cleaned_data
        return {
            ruled.key: {
                "weight": data.get(f"weight_{ruled.key}"),
                "target": data.get(f"target_{ruled.key}"),
            }
            for ruled in self.parts
        }


class CityActivityForm(PortalModelForm):
    photos = PhotosField(label=_("活动照片"), required=False)
    remove_photos: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("删除照片"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = CityActivity
        fields = ["kind", "title", "held_on", "place", "participants", "description"]
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "description": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {
            "kind": _("示范活动计入本市年度评分；学子归巢等其他市级活动登记备查。"),
            "participants": _("参加活动的大学生和嘉宾总人数。"),
            "description": _("写清邀请的领导和部门、交流内容、学生反响等。"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        participants = self.fields["participants"]
        participants.validators.append(MinValueValidator(1, message=_("参加人数应为正整数。")))
        participants.widget.attrs["min"] = 1
        self.fields["photos"].help_text = _(
            "JPG 或 PNG，每张不超过 %(size)s MB，最多 %(max)s 张；可一次选择多张。"
        ) % {"size": max_upload_size(IMAGE) // (1024 * 1024), "max": ACTIVITY_MAX_PHOTOS}
        existing = self.instance.photos.all() if self.instance.pk else None
        if existing is None:
            del self.fields["remove_photos"]
        else:
            self.fields["photos"].label = _("添加照片")
            self.fields["remove_photos"].queryset = existing
            self.fields["remove_photos"].label_from_instance = lambda photo: photo.original_name

    def activity_fields(self) -> dict:
        return {key: self.cleaned_data.get(key) for key in self.Meta.fields}
