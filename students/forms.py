from typing import Any

from django import forms
from django.contrib.auth.password_validation import (
    password_validators_help_texts,
    validate_password,
)
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.validators import id_number_clean, normalize_phone
from fanjiaxiang.forms import PortalForm, PortalModelForm
from positions.models import Region
from positions.selectors import region_get
from students.models import (
    PROFILE_NEEDED_TO_APPLY,
    Application,
    CreditRule,
    Placement,
    PracticeLog,
    Student,
    University,
)
from students.selectors import universities_search, university_by_name
from students.services import STUDENT_EDITABLE, certificate_code_valid


class UniversityForm(PortalModelForm):
    """An institution the national register lacks, added by provincial staff."""

    LEVELS = [
        ("", gettext_lazy("不详")),
        ("本科", gettext_lazy("本科")),
        ("专科", gettext_lazy("专科")),
    ]
    level = forms.ChoiceField(label=gettext_lazy("办学层次"), choices=LEVELS, required=False)

    class Meta:
        model = University
        fields = ["name", "code", "city", "level"]
        error_messages = {"name": {"required": gettext_lazy("请填写学校名称。")}}

    def _post_clean(self):
        pass  # the service builds and validates the University


class UniversityRenameForm(PortalForm):
    name = forms.CharField(
        label=gettext_lazy("新的学校名称"),
        max_length=100,
        error_messages={
            "required": gettext_lazy("请填写新的学校名称。"),
            "max_length": gettext_lazy("学校名称最多 100 个字。"),
        },
    )


class UniversityField(forms.CharField):
    """就读高校 as a name, typed or chosen in the type-ahead (static/js/university-select.js, over
    /universities/search/): the page never carries the register's 2,600 names, and without
    JavaScript the student types the full name into a plain text box."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 100)
        kwargs.setdefault(
            "error_messages",
            {"required": gettext_lazy("请填写就读高校：输入校名或拼音首字母后，从列表中选取。")},
        )
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {
                "data-university-search": reverse_lazy("students:university_search"),
                "autocomplete": "off",
                "placeholder": gettext_lazy("校名或拼音首字母，如 bjdx"),
                "data-no-results": gettext_lazy("没有找到，请换个写法或输入学校全称"),
                "data-loading": gettext_lazy("正在查找…"),
            }
        )

    def clean(self, value) -> University:
        text = super().clean(value)
        university = university_by_name(text)
        if university is not None:
            return university
        likely = [u.name for u in universities_search(text, limit=5)]
        if likely:
            raise forms.ValidationError(
                _(
                    "就读高校：没有名为“%(name)s”的学校。你要找的是不是：%(likely)s？请填写学校全称。"
                )
                % {"name": text, "likely": "、".join(likely)}
            )
        raise forms.ValidationError(
            _(
                "就读高校：没有找到“%(name)s”。请填写教育部名单中的学校全称；名单中没有的新设学校，"
                "请联系学校所在省的团省委补充。"
            )
            % {"name": text}
        )


class StudyDetailsMixin:
    """Checks shared by registration and the profile page."""

    cleaned_data: dict[str, Any]  # the form's, which this mixin comes before

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A year a student can really have: the model only refuses negatives (0 and 99999
        # passed), and Django's "确保该值大于或等于0" does not say which year is meant.
        this_year = timezone.localdate().year
        bounds = {"grade": (1980, this_year + 1), "graduation_year": (1980, this_year + 12)}
        for name, (low, high) in bounds.items():
            field = self.fields.get(name)
            if field is None:
                continue
            message = _("%(label)s应为 %(low)s 至 %(high)s 之间的年份，如 %(example)s。") % {
                "label": field.label,
                "low": low,
                "high": high,
                "example": this_year,
            }
            field.validators = [
                MinValueValidator(low, message=message),
                MaxValueValidator(high, message=message),
            ]
            field.widget.attrs.update(min=low, max=high)

    def clean_phone(self) -> str:
        return normalize_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        grade, graduation = data.get("grade"), data.get("graduation_year")
        if grade and graduation and graduation < grade:
            self.add_error("graduation_year", _("毕业年份不能早于入学年份。"))
        return data


def residence_fields() -> dict[str, forms.Field]:
    """常住地 (optional): three cascading selects like the hometown's; only the county is kept."""
    return {
        "residence_province": forms.CharField(label=gettext_lazy("常住地省份"), required=False),
        "residence_city": forms.CharField(label=gettext_lazy("常住地地市"), required=False),
        "residence": forms.CharField(label=gettext_lazy("常住地"), required=False),
    }


def clean_residence(form: forms.Form, data: dict) -> None:
    """The chosen county as a Region (None when left empty), checked to lie in the city and
    province chosen above it; an error on the field otherwise."""
    code = data.get("residence") or ""
    if not code:
        data["residence"] = None
        return
    county = region_get(code, "county")
    chosen = (data.get("residence_province"), data.get("residence_city"))
    if county is None or chosen != (county.parent.parent.code, county.parent.code):
        form.add_error("residence", _("常住地与所选的省份、地市不一致，请依次重新选择，或留空。"))
        return
    data["residence"] = county


class ResidenceForm(PortalForm):
    """The profile page's 常住地, beside the study details."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(residence_fields())

    def clean(self):
        data = super().clean()
        clean_residence(self, data)
        return data


def password_rules() -> SafeString:
    """The configured validators' rules, one a line, shown under the password before the
    student types."""
    items = format_html_join(
        "", "<li>{}</li>", ((text,) for text in password_validators_help_texts())
    )
    return format_html('<ul class="mb-0 ps-3">{}</ul>', items)


class RegistrationForm(StudyDetailsMixin, PortalModelForm):
    """Self-registration of a student: only what selection reads and what the student cannot
    change later (identity). E-mail, college, degree, graduation year, 政治面貌, cadre and
    常住地 are completed on the profile; an application waits for PROFILE_NEEDED_TO_APPLY."""

    username = forms.CharField(label=gettext_lazy("登录用户名"), max_length=150)
    password = forms.CharField(
        label=gettext_lazy("密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=lazy(password_rules, SafeString)(),
    )
    password2 = forms.CharField(
        label=gettext_lazy("再次输入密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        max_length=18,
        help_text=gettext_lazy("加密保存，页面上只显示前 4 位和后 4 位"),
    )
    # The cascade's three selects; only the county is kept, the two above it are checked.
    hometown_province = forms.CharField(label=gettext_lazy("省份"), required=False)
    hometown_city = forms.CharField(label=gettext_lazy("地市"), required=False)
    hometown = forms.CharField(label=gettext_lazy("生源地"))
    university = UniversityField(
        label=gettext_lazy("就读高校"),
        help_text=gettext_lazy("全国高校均可选择；输入后从列表中选取"),
    )
    consent = forms.BooleanField(
        label=gettext_lazy("我已阅读并同意《个人信息保护声明》"),
        error_messages={"required": gettext_lazy("请阅读并同意个人信息保护声明。")},
    )

    class Meta:
        model = Student
        fields = ["name", "phone", "university", "student_number", "major", "grade"]
        help_texts = {"student_number": gettext_lazy("注册后不能自行修改，请与学校登记的一致")}

    field_order = [
        "username",
        "password",
        "password2",
        "name",
        "id_number",
        "phone",
        "university",
        "student_number",
        "major",
        "grade",
        "hometown_province",
        "hometown_city",
        "hometown",
        "consent",
    ]
    # Laid out by the template itself: the cascading selects and the consent with its link.
    SET_APART = ("hometown_province", "hometown_city", "hometown", "consent")

    def listed_fields(self) -> list:
        return [self[name] for name in self.fields if name not in self.SET_APART]

    def clean_id_number(self) -> str:
        try:
            return id_number_clean(self.cleaned_data["id_number"])
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["id_number"]) from error

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("该用户名已被使用。"))
        return username

    def clean_hometown(self) -> Region:
        region = region_get(self.cleaned_data["hometown"], "county")
        if region is None:
            raise forms.ValidationError(_("请依次选择省、市和家乡县（市、区）或镇街。"))
        return region

    def clean(self):
        data = super().clean()
        self._check_hometown_chain(data)
        password, again = data.get("password"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", _("两次输入的密码不一致。"))
        elif password:
            try:
                validate_password(
                    password, User(username=data.get("username", ""), name=data.get("name", ""))
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data

    def _check_hometown_chain(self, data: dict) -> None:
        """The county must lie in the city and province chosen above it: a county left selected
        from an earlier choice (or a forged form) is not taken for a hometown elsewhere."""
        county = data.get("hometown")
        if not isinstance(county, Region):
            return  # clean_hometown has said what is wrong
        city = county.parent  # region_get loaded the chain: county → city → province
        chosen = (data.get("hometown_province"), data.get("hometown_city"))
        if not all(chosen):
            self.add_error("hometown", _("请依次选择省、市和家乡县（市、区）或镇街。"))
        elif chosen != (city.parent.code, city.code):
            self.add_error(
                "hometown",
                _("生源地与所选的省份、地市不一致，请依次重新选择省份、地市和县（市、区）或镇街。"),
            )

    def _post_clean(self):
        pass  # the service builds and validates the Student; nothing half-built here

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("password2", "hometown_province", "hometown_city"):
            data.pop(name)
        return data


class ApplyForm(PortalForm):
    statement = forms.CharField(
        label=gettext_lazy("个人陈述（选填）"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("为什么想来这个岗位、你能做什么，1000 字以内"),
    )


class CheckinForm(PortalForm):
    code = forms.CharField(
        label=gettext_lazy("报到码"), max_length=8, help_text=gettext_lazy("到岗后向用人单位索取")
    )


class CertificateCheckForm(PortalForm):
    """证书查验: the 证书编号 as printed, typed in any case, with or without spaces or dashes."""

    code = forms.CharField(
        label=gettext_lazy("证书编号"),
        error_messages={"required": gettext_lazy("请输入证书编号。")},
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split()).replace("-", "").upper()
        if not certificate_code_valid(code):
            raise forms.ValidationError(
                _("证书编号有误：应为 12 位数字和大写字母（不含 0、1、I、O），请对照证书核对。")
            )
        return code


class HostRankForm(PortalModelForm):
    class Meta:
        model = Application
        fields = ["host_rank", "host_unsuitable"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_rank"].min_value = 1
        self.fields["host_rank"].validators.append(MinValueValidator(1))


class EvaluationForm(PortalModelForm):
    class Meta:
        model = Placement
        fields = ["rating", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].required = True


class PracticeLogForm(PortalModelForm):
    class Meta:
        model = PracticeLog
        fields = ["day", "hours", "content"]
        widgets = {
            "day": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "content": forms.Textarea(attrs={"rows": 2}),
        }


class DropForm(PortalForm):
    reason = forms.CharField(
        label=gettext_lazy("终止原因"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ProfileForm(StudyDetailsMixin, PortalModelForm):
    """What a student may change; name, ID number and hometown are fixed after registration."""

    class Meta:
        model = Student
        fields = list(STUDENT_EDITABLE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PROFILE_NEEDED_TO_APPLY:
            self.fields[name].help_text = _("报名岗位前须填写")


class EraseForm(PortalForm):
    password = forms.CharField(
        label=gettext_lazy("登录密码"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("我了解注销后不能恢复，实践证书仍可查验但不再显示我的姓名。"),
        required=True,
    )


class CreditRuleForm(PortalModelForm):
    """A university's hours-to-credit rule. Every message names its field, in Chinese."""

    # Declared here so that a negative number gets this form's message, not the model field's
    # anonymous "确保该值大于或等于 0".
    hours_per_credit = forms.IntegerField(
        label=CreditRule._meta.get_field("hours_per_credit").verbose_name,
        help_text=CreditRule._meta.get_field("hours_per_credit").help_text,
        widget=forms.NumberInput(attrs={"min": 1, "max": 200, "step": 1}),
        error_messages={
            "required": gettext_lazy("请填写每学分所需时长。"),
            "invalid": gettext_lazy("每学分所需时长应为整数（小时）。"),
        },
    )

    class Meta:
        model = CreditRule
        fields = ["hours_per_credit", "max_credits", "min_rating"]
        widgets = {"max_credits": forms.NumberInput(attrs={"min": 0.5, "max": 10, "step": 0.5})}
        error_messages = {
            "max_credits": {
                "required": gettext_lazy("请填写单次实践最高学分。"),
                "invalid": gettext_lazy("单次实践最高学分应为数字，如 2 或 1.5。"),
                "max_digits": gettext_lazy("单次实践最高学分应在 0.5 到 10 之间。"),
                "max_decimal_places": gettext_lazy("单次实践最高学分按 0.5 学分计，如 2 或 1.5。"),
                "max_whole_digits": gettext_lazy("单次实践最高学分应在 0.5 到 10 之间。"),
            },
            "min_rating": {
                "required": gettext_lazy("请选择最低鉴定等次。"),
                "invalid_choice": gettext_lazy("最低鉴定等次只能是优秀、良好或合格。"),
            },
        }

    def clean_hours_per_credit(self) -> int:
        hours = self.cleaned_data["hours_per_credit"]
        if not 1 <= hours <= 200:
            raise forms.ValidationError(_("每学分所需时长应在 1 到 200 小时之间。"))
        return hours

    def clean_max_credits(self):
        credits = self.cleaned_data["max_credits"]
        if not 0.5 <= credits <= 10:
            raise forms.ValidationError(_("单次实践最高学分应在 0.5 到 10 之间。"))
        if credits * 2 != int(credits * 2):
            raise forms.ValidationError(_("单次实践最高学分按 0.5 学分计，如 2 或 1.5。"))
        return credits


class CreditFilterForm(PortalForm):
    """The credits page's filters (GET): programme year and season."""

    year = forms.TypedChoiceField(
        label=gettext_lazy("年度"), coerce=int, required=False, empty_value=None
    )
    season = forms.ChoiceField(label=gettext_lazy("实践季"), required=False)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [(y, f"{y}") for y in years]
        from schedule.models import Season

        self.fields["season"].choices = [("", _("全部实践季")), *Season.Kind.choices]

    def values(self) -> dict:
        """The filters that are valid; a bad one is left out (and shown as an error)."""
        if not self.is_bound:
            return {"year": None, "season": None}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"year": data.get("year"), "season": data.get("season") or None}


class IdentityCorrectionForm(PortalForm):
    """The hometown county corrects what a student cannot change themselves; a blank ID number
    keeps the one on record (it is never shown whole here). The hometown comes from the same
    cascading selects as registration, checked the same way."""

    name = forms.CharField(label=gettext_lazy("姓名"), max_length=30)
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        max_length=18,
        required=False,
        help_text=gettext_lazy("留空则不变；填写则替换为新的身份证号"),
    )
    # The registration's type-ahead over the register; a school a province added without a
    # 学校标识码 is found by its name like any other.
    university = UniversityField(label=gettext_lazy("就读高校"))
    student_number = forms.CharField(label=gettext_lazy("学号"), max_length=30)
    hometown_province = forms.CharField(label=gettext_lazy("省份"), required=False)
    hometown_city = forms.CharField(label=gettext_lazy("地市"), required=False)
    hometown = forms.CharField(label=gettext_lazy("生源地"))
    reason = forms.CharField(
        label=gettext_lazy("更正原因"),
        max_length=200,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("将告知学生，并记入审计日志"),
        error_messages={"required": gettext_lazy("请填写更正原因。")},
    )
    SET_APART = ("hometown_province", "hometown_city", "hometown", "reason")

    # The registration form's checks of the cascade, not written twice.
    clean_hometown = RegistrationForm.clean_hometown
    _check_hometown_chain = RegistrationForm._check_hometown_chain

    @classmethod
    def initial_for(cls, student: Student) -> dict:
        hometown = student.hometown
        return {
            "name": student.name,
            "university": student.university.name,
            "student_number": student.student_number,
            "hometown_province": hometown.parent.parent.code,
            "hometown_city": hometown.parent.code,
            "hometown": hometown.code,
        }

    def listed_fields(self) -> list:
        return [self[name] for name in self.fields if name not in self.SET_APART]

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        if not value.strip():
            return ""
        try:
            return id_number_clean(value)
        except forms.ValidationError as error:
            raise forms.ValidationError(error.message_dict["id_number"]) from error

    def clean(self):
        data = super().clean()
        self._check_hometown_chain(data)
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        for name in ("hometown_province", "hometown_city"):
            data.pop(name)
        return data
