from django import forms
from django.utils.translation import gettext_lazy as _

from fanjiaxiang.forms import PortalForm, PortalModelForm
from fanjiaxiang.uploads import IMAGE, max_upload_size
from reports.models import MAX_PHOTOS, Report
from schedule.models import ProgrammeYear
from summary.forms import PhotosField


class YearChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ProgrammeYear) -> str:
        return _("%(year)s年度 · 报%(province)s团省委") % {
            "year": obj.year,
            "province": obj.province.name,
        }


class ReportForm(PortalModelForm):
    """A draft: kind, title, text and optional photos (edit: keep, remove, add)."""

    programme_year = YearChoiceField(label=_("报送对象"), queryset=ProgrammeYear.objects.none())
    photos = PhotosField(label=_("照片（可选）"), required=False)
    remove_photos: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        label=_("删除照片"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Report
        fields = ["programme_year", "kind", "title", "body"]
        widgets = {
            "kind": forms.RadioSelect(attrs={"class": "form-check-input"}),
            "body": forms.Textarea(attrs={"rows": 14}),
        }
        help_texts = {"body": _("写清工作情况和成效：做了什么、多少人参加、有什么效果。空行分段。")}

    def __init__(self, *args, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"].help_text = _(
            "JPG 或 PNG，每张不超过 %(size)s MB，最多 %(max)s 张；可一次选择多张。"
        ) % {"size": max_upload_size(IMAGE) // (1024 * 1024), "max": MAX_PHOTOS}
        if self.instance.pk:
            # The year is chosen once, when the draft is written.
            del self.fields["programme_year"]
            self.fields["photos"].label = _("添加照片（可选）")
            self.fields["remove_photos"].queryset = self.instance.photos.all()
            self.fields["remove_photos"].label_from_instance = lambda photo: photo.original_name
        else:
            del self.fields["remove_photos"]
            self.fields["programme_year"].queryset = years
            self.fields["programme_year"].empty_label = None

    def clean(self):
        cleaned = super().clean()
        kept = 0
        if "remove_photos" in self.fields:
            kept = self.instance.photos.count() - len(cleaned.get("remove_photos") or [])
        count = kept + len(cleaned.get("photos") or [])
        if "photos" not in self.errors and count > MAX_PHOTOS:
            self.add_error(
                "photos",
                _("照片最多 %(max)s 张，现在是 %(count)s 张。")
                % {"max": MAX_PHOTOS, "count": count},
            )
        return cleaned


class MarkForm(PortalForm):
    mark = forms.ChoiceField(label=_("阅处"), choices=Report.Mark.choices[1:])
    comment = forms.CharField(
        label=_("意见（可选）"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CompileForm(PortalForm):
    reports = forms.ModelMultipleChoiceField(
        queryset=Report.objects.none(),
        error_messages={"required": _("请先勾选要汇编的稿件。")},
    )
    title = forms.CharField(label=_("简报标题"), max_length=100, required=False)

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = reports
        self.fields["reports"].error_messages["invalid_choice"] = _(
            "所选稿件不存在或已编入其他简报，请刷新后重试。"
        )
        self.fields["reports"].error_messages["invalid_pk_value"] = _(
            "所选稿件不存在，请刷新后重试。"
        )
