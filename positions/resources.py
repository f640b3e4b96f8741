"""Host units in and out of /admin/ (django-import-export), identified by county and name."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets

from fanjiaxiang.resources import ChoiceLabelWidget, NamedForeignKeyWidget
from positions.models import HostUnit, Region


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
    credit_code = fields.Field("credit_code", _("统一社会信用代码"))
    address = fields.Field("address", _("地址"))
    contact_name = fields.Field("contact_name", _("联系人"))
    contact_phone = fields.Field("contact_phone", _("联系电话"))
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
