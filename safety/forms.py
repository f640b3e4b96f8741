from django import forms
from django.utils.translation import gettext_lazy

from fanjiaxiang.forms import PortalForm
from safety.models import EmergencyContact


class EmergencyContactForm(PortalForm):
    """Every message names its field; the phone is checked by the service (normalize_phone)."""

    name = forms.CharField(
        label=gettext_lazy("紧急联系人姓名"),
        max_length=30,
        error_messages={
            "required": gettext_lazy("请填写紧急联系人姓名。"),
            "max_length": gettext_lazy("紧急联系人姓名不能超过 30 个字。"),
        },
    )
    relation = forms.ChoiceField(
        label=gettext_lazy("与本人关系"),
        choices=[("", "---------"), *EmergencyContact.Relation.choices],
        error_messages={
            "required": gettext_lazy("请选择紧急联系人与本人的关系。"),
            "invalid_choice": gettext_lazy("请选择紧急联系人与本人的关系。"),
        },
    )
    phone = forms.CharField(
        label=gettext_lazy("紧急联系人电话"),
        max_length=20,
        help_text=gettext_lazy("手机号或带区号的固定电话，不能是你本人的手机号。"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
        error_messages={
            "required": gettext_lazy("请填写紧急联系人电话。"),
            "max_length": gettext_lazy("紧急联系人电话不能超过 20 位。"),
        },
    )


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InsuranceForm(PortalForm):
    insurer = forms.CharField(
        label=gettext_lazy("保险公司"),
        max_length=100,
        error_messages={
            "required": gettext_lazy("请填写保险公司。"),
            "max_length": gettext_lazy("保险公司名称不能超过 100 个字。"),
        },
    )
    policy_number = forms.CharField(
        label=gettext_lazy("保单号"),
        max_length=50,
        error_messages={
            "required": gettext_lazy("请填写保单号。"),
            "max_length": gettext_lazy("保单号不能超过 50 位。"),
        },
    )
    starts_on = forms.DateField(
        label=gettext_lazy("保险起期"),
        widget=DATE,
        error_messages={
            "required": gettext_lazy("请填写保险起期。"),
            "invalid": gettext_lazy("保险起期应为日期，如 2026-07-01。"),
        },
    )
    ends_on = forms.DateField(
        label=gettext_lazy("保险止期"),
        widget=DATE,
        error_messages={
            "required": gettext_lazy("请填写保险止期。"),
            "invalid": gettext_lazy("保险止期应为日期，如 2026-08-31。"),
        },
    )


class SafetyRuleForm(PortalForm):
    training_required = forms.BooleanField(
        label=gettext_lazy("学生确认录用前，须由所在高校记录已完成行前安全教育培训"),
        required=False,
    )
