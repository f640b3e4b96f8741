from django import forms
from django.utils.translation import gettext_lazy as _

from api.services import EXPIRY_CHOICES
from fanjiaxiang.forms import PortalForm


class TokenForm(PortalForm):
    scope = forms.ChoiceField(label=_("所属单位"))
    name = forms.CharField(
        label=_("用途"),
        max_length=60,
        help_text=_("如“第二课堂系统每晚同步”“创青春平台岗位同步”，撤销时据此辨认。"),
    )
    days = forms.TypedChoiceField(
        label=_("有效期"),
        coerce=int,
        choices=[(d, _("%(days)s 天") % {"days": d}) for d in EXPIRY_CHOICES],
        initial=90,
        help_text=_("最长一年；到期后需重新创建。"),
    )
    can_write = forms.BooleanField(label=_("允许发布、结束岗位（仅县级团委令牌）"), required=False)

    def __init__(self, *args, scopes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [(s.key, f"{s.label}（{s.kind.label}）") for s in scopes]
        if len(scopes) == 1:
            self.fields["scope"].initial = scopes[0].key
