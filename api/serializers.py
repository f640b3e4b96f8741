"""What the API reads from a query string and what it answers, as DRF serializers (they are
also what drf-spectacular writes into the OpenAPI schema). Answers are built from the scoped
selectors and masked as the exports are; these classes only describe and check shapes."""

import re

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from fanjiaxiang.params import YEAR_MAX, YEAR_MIN
from positions.models import Post
from students.models import Application, Placement

SEASON_KINDS = (("summer", gettext_lazy("暑假")), ("winter", gettext_lazy("寒假")))
SEASON_PATTERN = re.compile(r"^\d{4}-(summer|winter)$")
REGION_CODE = re.compile(r"^\d{6}(\d{3})?$")


class PageQuery(serializers.Serializer):
    """Query-string filters: blank means "not given"; every message names its field."""

    page = serializers.IntegerField(
        required=False, min_value=1, max_value=100000, help_text=gettext_lazy("页码，从 1 起")
    )


def _region_code(label):
    return serializers.RegexField(
        REGION_CODE,
        required=False,
        allow_blank=True,
        max_length=9,
        help_text=gettext_lazy("GB/T 2260 %(level)s代码") % {"level": label},
        error_messages={"invalid": gettext_lazy("应为 6 位或 9 位数字的地区代码。")},
    )


class PostSearchQuery(PageQuery):
    province = _region_code(gettext_lazy("省级"))
    city = _region_code(gettext_lazy("市级"))
    county = _region_code(gettext_lazy("县级"))
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=50, help_text=gettext_lazy("关键词")
    )
    category = serializers.ChoiceField(
        choices=Post.Category.choices, required=False, allow_blank=True
    )
    season = serializers.RegexField(
        SEASON_PATTERN,
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("实践季，如 2026-summer"),
        error_messages={
            "invalid": gettext_lazy("应为“年度-summer”或“年度-winter”，如 2026-summer。")
        },
    )
    remote = serializers.BooleanField(required=False, help_text=gettext_lazy("只看可线上实践"))


class CountyPostQuery(PageQuery):
    status = serializers.ChoiceField(choices=Post.Status.choices, required=False, allow_blank=True)
    season = serializers.RegexField(
        SEASON_PATTERN,
        required=False,
        allow_blank=True,
        error_messages={
            "invalid": gettext_lazy("应为“年度-summer”或“年度-winter”，如 2026-summer。")
        },
    )


class CountyApplicationQuery(CountyPostQuery):
    status = serializers.ChoiceField(
        choices=Application.Status.choices, required=False, allow_blank=True
    )
    post = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)


class PlacementQuery(CountyPostQuery):
    status = serializers.ChoiceField(
        choices=Placement.Status.choices, required=False, allow_blank=True
    )


class CreditQuery(serializers.Serializer):
    year = serializers.IntegerField(
        required=False, min_value=YEAR_MIN, max_value=YEAR_MAX, help_text=gettext_lazy("项目年度")
    )
    season = serializers.ChoiceField(choices=SEASON_KINDS, required=False, allow_blank=True)
    cursor = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=300,
        help_text=gettext_lazy("上一页回复中的 next_cursor"),
    )
    limit = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, help_text=gettext_lazy("每页条数，默认 500")
    )


class DashboardQuery(serializers.Serializer):
    year = serializers.IntegerField(required=False, min_value=YEAR_MIN, max_value=YEAR_MAX)
    season = serializers.ChoiceField(choices=SEASON_KINDS, required=False, allow_blank=True)


def checked(serializer_class, request) -> dict:
    """The query string, validated (400 naming the field otherwise), blanks dropped."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return {k: v for k, v in serializer.validated_data.items() if v not in ("", None)}


# Answers ---------------------------------------------------------------------------------------


class Error(serializers.Serializer):
    detail = serializers.CharField(help_text=gettext_lazy("中文说明"))
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text=gettext_lazy("出错的参数及原因"),
    )


class PostOut(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    category = serializers.CharField()
    category_label = serializers.CharField()
    status = serializers.CharField()
    season = serializers.CharField(help_text=gettext_lazy("如 2026-summer"))
    season_label = serializers.CharField()
    province_code = serializers.CharField()
    city_code = serializers.CharField()
    city = serializers.CharField()
    county_code = serializers.CharField()
    county = serializers.CharField()
    host_unit = serializers.CharField()
    headcount = serializers.IntegerField()
    seats_left = serializers.IntegerField()
    place = serializers.CharField()
    remote_allowed = serializers.BooleanField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    hours = serializers.CharField()
    description = serializers.CharField()
    duties = serializers.CharField()
    majors = serializers.CharField()
    skills = serializers.CharField()
    grade = serializers.CharField()
    training = serializers.CharField()
    safety_notes = serializers.CharField()
    contact_name = serializers.CharField()
    contact_phone = serializers.CharField(help_text=gettext_lazy("公开接口中为脱敏号码"))
    published_at = serializers.DateTimeField(allow_null=True)
    apply_by = serializers.DateField(allow_null=True)
    url = serializers.CharField()


class _Page(serializers.Serializer):
    count = serializers.IntegerField()
    page = serializers.IntegerField()
    next_page = serializers.IntegerField(allow_null=True)


class PostPage(_Page):
    results = PostOut(many=True)


class ApplicationOut(serializers.Serializer):
    id = serializers.IntegerField()
    post_id = serializers.IntegerField()
    post_title = serializers.CharField()
    season = serializers.CharField()
    student_name = serializers.CharField()
    university = serializers.CharField()
    major = serializers.CharField()
    grade = serializers.CharField()
    phone = serializers.CharField(help_text=gettext_lazy("脱敏，同导出"))
    rank = serializers.IntegerField(help_text=gettext_lazy("第几意向"))
    status = serializers.CharField()
    status_label = serializers.CharField()
    host_rank = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()


class ApplicationPage(_Page):
    results = ApplicationOut(many=True)


class PlacementOut(serializers.Serializer):
    id = serializers.IntegerField()
    student_number = serializers.CharField()
    student_name = serializers.CharField()
    id_number = serializers.CharField(help_text=gettext_lazy("脱敏，同导出"))
    university = serializers.CharField()
    college = serializers.CharField()
    major = serializers.CharField()
    season = serializers.CharField()
    post_id = serializers.IntegerField()
    post_title = serializers.CharField()
    host_unit = serializers.CharField()
    county = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    reported_at = serializers.DateTimeField(allow_null=True)
    rating = serializers.CharField()
    hours = serializers.IntegerField(allow_null=True)
    certificate_code = serializers.CharField()


class PlacementPage(_Page):
    results = PlacementOut(many=True)


class ClearanceOut(serializers.Serializer):
    student_number = serializers.CharField()
    student_name = serializers.CharField()
    season = serializers.CharField()
    season_label = serializers.CharField()
    performance_certified_at = serializers.DateTimeField(allow_null=True)
    safety_trained_at = serializers.DateTimeField(allow_null=True)


class ClearancePage(_Page):
    results = ClearanceOut(many=True)


# The credit columns, in the order of `export_credits`' spreadsheet (students.exporters).
CREDIT_FIELDS = (
    "student_number",
    "name",
    "college",
    "major",
    "project",
    "post",
    "host_unit",
    "county",
    "hours",
    "rating",
    "committee",
    "certificate_code",
    "credits",
    "university",
    "evaluator",
)


class CreditOut(serializers.Serializer):
    student_number = serializers.CharField(help_text=gettext_lazy("学号"))
    name = serializers.CharField(help_text=gettext_lazy("姓名"))
    college = serializers.CharField(help_text=gettext_lazy("学院"))
    major = serializers.CharField(help_text=gettext_lazy("专业"))
    project = serializers.CharField(help_text=gettext_lazy("项目"))
    post = serializers.CharField(help_text=gettext_lazy("岗位"))
    host_unit = serializers.CharField(help_text=gettext_lazy("实践单位"))
    county = serializers.CharField(help_text=gettext_lazy("县（市、区）"))
    hours = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("时长（小时）"))
    rating = serializers.CharField(help_text=gettext_lazy("鉴定等次"))
    committee = serializers.CharField(help_text=gettext_lazy("认证单位"))
    certificate_code = serializers.CharField(help_text=gettext_lazy("证书编号"))
    credits = serializers.FloatField(help_text=gettext_lazy("学分"))
    university = serializers.CharField(help_text=gettext_lazy("高校"))
    evaluator = serializers.CharField(help_text=gettext_lazy("鉴定方式"))


class CreditPage(serializers.Serializer):
    results = CreditOut(many=True)
    next_cursor = serializers.CharField(allow_null=True)


class CertificateOut(serializers.Serializer):
    code = serializers.CharField()
    kind = serializers.ChoiceField(
        choices=(
            ("practice", gettext_lazy("实践证书")),
            ("performance", gettext_lazy("在校表现证明")),
        )
    )
    valid = serializers.BooleanField()
    student_name = serializers.CharField()
    university = serializers.CharField()
    season = serializers.CharField()
    post = serializers.CharField()
    host_unit = serializers.CharField()
    rating = serializers.CharField()
    hours = serializers.IntegerField(allow_null=True)
    issuer = serializers.CharField()
    issued_on = serializers.DateField(allow_null=True)


class DashboardRow(serializers.Serializer):
    county_code = serializers.CharField()
    county = serializers.CharField()
    city = serializers.CharField()
    season = serializers.CharField()
    posts = serializers.IntegerField()
    applications = serializers.IntegerField()
    offers = serializers.IntegerField()
    confirmed = serializers.IntegerField()
    reported = serializers.IntegerField()
    completed = serializers.IntegerField()
    credited = serializers.IntegerField()
    quota = serializers.IntegerField()
    quota_reported = serializers.IntegerField()
    quota_state = serializers.CharField()


class DashboardOut(serializers.Serializer):
    province_code = serializers.CharField()
    year = serializers.IntegerField(allow_null=True)
    refreshed_at = serializers.DateTimeField(allow_null=True)
    rows = DashboardRow(many=True)


class PostChanged(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    status_label = serializers.CharField()
