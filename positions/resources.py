"""Host units in and out of /admin/ (django-import-export), identified by county and name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from stdnum.cn import uscc

from accounts.validators import normalize_phone
from fanjiaxiang.resources import ChoiceLabelWidget, NamedForeignKeyWidget
from positions.models import HostUnit, Region


class PhoneWidget(widgets.CharWidget):
    """The same phone rule as the host unit form: a mainland mobile or landline."""

    def clean(self, value, row=None, **kwargs):
        try:
            return normalize_phone(str(value or ""))
        except ValidationError as error:
            raise ValueError(error.messages[0]) from error


class CreditCodeWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        code = str(value or "").strip().upper()
        if code and not uscc.is_valid(code):
            raise ValueError(gettext("统一社会信用代码无效（应为 18 位且校验位正确）。"))
        return code


class HostUnitResource(resources.ModelResource):
    county = fields.Field(
        "county",
        _("县区代码"),
        widget=NamedForeignKeyWidget(
            Region,
            "code",
            queryset=Region.objects.filter(level=Region.Level.COUNTY),
            label=_("县区代码"),
        ),
    )
    county_name = fields.Field("county__name", _("县区"), readonly=True)
    kind = fields.Field("kind", _("单位类型"), widget=ChoiceLabelWidget(HostUnit.Kind.choices))
    name = fields.Field("name", _("单位名称"))
    credit_code = fields.Field("credit_code", _("统一社会信用代码"), widget=CreditCodeWidget())
    address = fields.Field("address", _("地址"))
    contact_name = fields.Field("contact_name", _("联系人"))
    contact_phone = fields.Field("contact_phone", _("联系电话"), widget=PhoneWidget())
    description = fields.Field("description", _("单位简介"))
    is_active = fields.Field("is_active", _("启用"), widget=widgets.BooleanWidget(), default=True)

    class Meta:
        model = HostUnit
        fields = (
            "county", "county_name", "kind", "name", "credit_code", "address", "contact_name",
            "contact_phone", "description", "is_active",
        )  # fmt: skip
        import_id_fields = ("county", "name")
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("county")
