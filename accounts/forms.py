from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, SetPasswordForm
from django.contrib.auth.password_validation import validate_password
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import account_roles_for
from accounts.audit import Action
from accounts.backends import unit_deactivated
from accounts.models import REGION_ROLES, Role, User
from accounts.selectors import unstaffed_provinces
from accounts.validators import normalize_phone
from fanjiaxiang.forms import PortalForm
from positions.models import HostUnit, Region
from students.models import University


class AccountForm(PortalForm):
    """Open an account for the level below; the choices offered are only the creator's own."""

    role = forms.ChoiceField(label=gettext_lazy("角色"))
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=30)
    username = forms.CharField(
        label=gettext_lazy("登录用户名"),
        max_length=150,
        help_text=gettext_lazy("字母、数字和 @/./+/-/_，登录时使用"),
    )
    phone = forms.CharField(label=gettext_lazy("手机号"), max_length=20)
    email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False)
    region = forms.ModelChoiceField(
        label=gettext_lazy("所属地区"), queryset=Region.objects.none(), required=False
    )
    host_unit = forms.ModelChoiceField(
        label=gettext_lazy("所属用人单位"), queryset=HostUnit.objects.none(), required=False
    )
    university = forms.ModelChoiceField(
        label=gettext_lazy("所属高校"), queryset=University.objects.none(), required=False
    )
    password = forms.CharField(
        label=gettext_lazy("初始密码"),
        widget=forms.PasswordInput(),
        help_text=gettext_lazy(
            "至少 10 位，不能全为数字；请通过安全渠道告知本人，本人首次登录时须改为自己的密码"
        ),
    )

    def __init__(self, *args, creator, **kwargs):
        super().__init__(*args, **kwargs)
        roles = account_roles_for(creator)
        self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        if any(r in REGION_ROLES for r in roles):
            self.fields["region"].queryset = Region.objects.filter(parent=creator.region_id)
        else:
            del self.fields["region"]
        if Role.HOST in roles:
            self.fields["host_unit"].queryset = HostUnit.objects.filter(county=creator.region_id)
        else:
            del self.fields["host_unit"]
        if Role.UNIVERSITY in roles and creator.role == Role.PROVINCE:
            self.fields["university"].queryset = University.objects.filter(
                province=creator.region_id
            )
        elif Role.UNIVERSITY in roles:  # a superuser: provinces without staff on the portal
            self.fields["university"].queryset = University.objects.filter(
                unstaffed_provinces("province")
            ).select_related("province")
        else:
            del self.fields["university"]

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        if data.get("password"):
            candidate = User(username=data.get("username", ""), name=data.get("name", ""))
            try:
                validate_password(data["password"], candidate)
            except forms.ValidationError as error:
                self.add_error("password", error)
        role = data.get("role")
        needed = {Role.HOST: "host_unit", Role.UNIVERSITY: "university"}.get(role, "region")
        if role and needed in self.fields and not data.get(needed):
            self.add_error(needed, _("请选择该账号的所属范围。"))
        return data


class AuditFilterForm(PortalForm):
    action = forms.ChoiceField(label=gettext_lazy("操作"), required=False)
    actor = forms.CharField(label=gettext_lazy("操作人账号"), required=False, max_length=150)
    since = forms.DateField(
        label=gettext_lazy("从"), required=False, widget=forms.DateInput({"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("至"), required=False, widget=forms.DateInput({"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", gettext_lazy("全部"))] + list(Action.choices)

    def filters(self) -> dict:
        """The valid filters; a bad date is ignored (and shown as an error) rather than failing."""
        self.is_valid()
        return {k: v for k, v in self.cleaned_data.items() if v}


class LoginForm(AuthenticationForm):
    """Django's sign-in form, telling the staff of a deactivated host unit why they are refused
    (only once the password is right, so it reveals nothing to a guesser)."""

    def clean(self):
        try:
            return super().clean()
        except forms.ValidationError:
            user = User.objects.filter(username__iexact=self.cleaned_data.get("username")).first()
            password = self.cleaned_data.get("password") or ""
            if user is not None and unit_deactivated(user) and user.check_password(password):
                raise forms.ValidationError(
                    _("您所在的用人单位已停用，账号暂不能使用；请联系县级团委。"),
                    code="unit_deactivated",
                ) from None
            raise


class TwoFactorCodeForm(PortalForm):
    code = forms.CharField(
        label=gettext_lazy("验证码"),
        max_length=20,
        help_text=gettext_lazy("身份验证器上当前的 6 位数字；手机丢失时可输入一个恢复码"),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if not code:
            raise forms.ValidationError(_("请输入验证码。"))
        return code


class TwoFactorEnrolForm(TwoFactorCodeForm):
    """The first code: there are no recovery codes yet, so the hint does not offer one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = gettext_lazy("身份验证器上当前的 6 位数字")


class PasswordResetRequestForm(PortalForm):
    """找回密码: one field, the username or the account's e-mail address."""

    identifier = forms.CharField(
        label=gettext_lazy("用户名或邮箱"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}),
        error_messages={
            "required": gettext_lazy("请输入用户名或注册时填写的电子邮箱。"),
            "max_length": gettext_lazy("用户名或邮箱最多 254 个字符。"),
        },
    )


class PasswordResetSetForm(SetPasswordForm):
    """The new password behind an e-mailed link: Django's form (both entries, the password
    validators) with our own words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = gettext_lazy("新密码")
        self.fields["new_password2"].label = gettext_lazy("再次输入新密码")
        self.error_messages = {
            **self.error_messages,
            "password_mismatch": gettext_lazy("两次输入的密码不一致。"),
        }


class OwnPasswordChangeForm(PasswordChangeForm):
    """修改密码: the new password must be one only its owner knows, so it may not be the one in
    use (a temporary password the county read out, or an initial one the level above chose)."""

    def clean(self):
        cleaned = super().clean()
        new, old = cleaned.get("new_password1"), cleaned.get("old_password")
        if new and old and new == old:
            self.add_error(
                "new_password1", _("新密码不能与旧密码相同，请设置一个只有您自己知道的新密码。")
            )
        return cleaned
