from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanjiaxiang.forms import PortalForm
from fanjiaxiang.uploads import DOCUMENT, IMAGE, UploadValidator, max_upload_size
from outcomes.models import MAX_CHARS, MAX_PHOTOS, Outcome, OutcomeRule
from summary.forms import PhotosField

DOCUMENT_TYPES = ".pdf,.doc,.docx,.wps"
MiB = 1024 * 1024


class OutcomeForm(PortalForm):
    """The 实践总结: its text (the year's minimum length shown here and checked by the service),
    photos to add or remove, a report file, and the consent to a typical case."""

    text = forms.CharField(
        label=gettext_lazy("实践总结"),
        max_length=MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": gettext_lazy("请填写实践总结。")},
    )
    remove_photos: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=gettext_lazy("删除照片"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": gettext_lazy("删除照片：所选照片不属于本实践总结。"),
            "invalid_pk_value": gettext_lazy("删除照片：所选照片不属于本实践总结。"),
        },
    )
    photos = PhotosField(label=gettext_lazy("添加照片"), required=False)
    report = forms.FileField(
        label=gettext_lazy("实践报告（可选）"),
        required=False,
        validators=[UploadValidator(DOCUMENT)],
        widget=forms.ClearableFileInput(attrs={"accept": DOCUMENT_TYPES}),
    )
    remove_report = forms.BooleanField(label=gettext_lazy("删除已上传的报告"), required=False)
    consent = forms.BooleanField(
        label=gettext_lazy(
            "同意团委在典型案例中使用（县级团委可引用本总结的文字和照片，随时可以撤回）"
        ),
        required=False,
    )

    def __init__(self, *args, rule: OutcomeRule, outcome: Outcome | None, **kwargs):
        if outcome is not None:
            kwargs.setdefault("initial", {"text": outcome.text, "consent": outcome.consent})
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        text.help_text = _(
            "写清做了什么、学到了什么、对家乡发展的思考，不少于 %(min)s 字（不计空格和换行）。"
        ) % {"min": rule.min_chars}
        text.widget.attrs |= {"data-count-min": rule.min_chars, "data-count-max": MAX_CHARS}
        self.fields["photos"].help_text = _(
            "JPG 或 PNG，最多 %(max)s 张，每张不超过 %(size)s MB；可一次选择多张。"
        ) % {"max": MAX_PHOTOS, "size": max_upload_size(IMAGE) // MiB}
        self.fields["report"].help_text = _(
            "PDF、Word 或 WPS 文件，不超过 %(size)s MB；上传新文件会替换原来的报告。"
        ) % {"size": max_upload_size(DOCUMENT) // MiB}
        existing = outcome.photos.all() if outcome is not None else None
        if not existing:
            del self.fields["remove_photos"]
        else:
            self.fields["remove_photos"].queryset = existing  # type: ignore[attr-defined]
        if outcome is None or not outcome.report:
            del self.fields["remove_report"]


class ConsentForm(PortalForm):
    consent = forms.BooleanField(label=gettext_lazy("同意团委在典型案例中使用"), required=False)


class OutcomeRuleForm(PortalForm):
    min_chars = forms.IntegerField(
        label=gettext_lazy("实践总结最少字数"),
        min_value=1,
        max_value=MAX_CHARS // 2,
        error_messages={
            "required": gettext_lazy("请填写最少字数。"),
            "invalid": gettext_lazy("最少字数须为整数。"),
            "min_value": gettext_lazy("最少字数至少为 %(limit_value)s。"),
            "max_value": gettext_lazy("最少字数不能超过 %(limit_value)s。"),
        },
    )
