from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanjiaxiang.forms import PortalForm
from universities.models import UniversityNotice


class NoticeForm(PortalForm):
    """A notice to the university's students: all, or one college and/or one grade."""

    category = forms.ChoiceField(
        label=gettext_lazy("类别"), choices=UniversityNotice.Category.choices
    )
    title = forms.CharField(label=gettext_lazy("标题"), max_length=100)
    body = forms.CharField(
        label=gettext_lazy("正文"), max_length=3000, widget=forms.Textarea(attrs={"rows": 6})
    )
    college = forms.ChoiceField(label=gettext_lazy("学院"), required=False)
    grade = forms.TypedChoiceField(
        label=gettext_lazy("年级"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, colleges=(), grades=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["college"].choices = [("", _("全部学院"))] + [(c, c) for c in colleges]
        self.fields["grade"].choices = [("", _("全部年级"))] + [
            (g, _("%(grade)s级") % {"grade": g}) for g in grades
        ]
        self.fields["title"].error_messages["required"] = _("请填写通知标题。")
        self.fields["body"].error_messages["required"] = _("请填写通知正文。")
        self.fields["category"].error_messages["required"] = _("请选择通知类别。")
        self.fields["category"].error_messages["invalid_choice"] = _("通知类别：请从列表中选择。")


class RecommendationForm(PortalForm):
    text = forms.CharField(
        label=gettext_lazy("推荐意见"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "500 字以内；学生报名的县级团委审核报名时可见。清空后保存即撤回推荐。"
        ),
    )


class CertificateIssueForm(PortalForm):
    statement = forms.CharField(
        label=gettext_lazy("在校表现"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("印在证明上的评语，500 字以内。"),
        error_messages={"required": gettext_lazy("请填写在校表现。")},
    )


class RevokeForm(PortalForm):
    reason = forms.CharField(
        label=gettext_lazy("撤销原因"),
        max_length=200,
        error_messages={"required": gettext_lazy("请填写撤销原因。")},
    )
