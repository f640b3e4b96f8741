"""The register of universities in and out of /admin/ (django-import-export): superusers
export it, edit it in a spreadsheet and import it back with a preview and per-row errors."""

from django.utils.translation import gettext_lazy as _
from import_export import fields, resources

from fanjiaxiang.resources import ChoiceLabelWidget, NamedForeignKeyWidget
from positions.models import Region
from students.models import University


class UniversityResource(resources.ModelResource):
    code = fields.Field("code", _("学校标识码"))
    name = fields.Field("name", _("学校名称"))
    province = fields.Field(
        "province",
        _("所在省份"),
        widget=NamedForeignKeyWidget(
            Region,
            "name",
            queryset=Region.objects.filter(level=Region.Level.PROVINCE),
            label=_("省份"),
        ),
    )
    city = fields.Field("city", _("所在城市"))
    authority = fields.Field("authority", _("主管部门"))
    level = fields.Field("level", _("办学层次"))
    remarks = fields.Field("remarks", _("备注"))
    source = fields.Field("source", _("来源"), widget=ChoiceLabelWidget(University.Source.choices))
    register_name = fields.Field("register_name", _("名单中的名称"))

    class Meta:
        model = University
        fields = (
            "code", "name", "province", "city", "authority", "level", "remarks", "source",
            "register_name",
        )  # fmt: skip
        import_id_fields = ("name",)
        clean_model_instances = True  # the model's validators: a bad code is that row's error
        skip_unchanged = True
        report_skipped = True

    def get_instance(self, instance_loader, row):
        """A row is the institution of its 学校标识码, or else of its name (an addition without
        a code), so a renamed institution is updated, not duplicated."""
        code = str(row.get("学校标识码") or "").strip()
        if code:
            found = University.objects.filter(code=code).first()
            if found is not None:
                return found
        return super().get_instance(instance_loader, row)

    def before_import_row(self, row, **kwargs):
        code = row.get("学校标识码")
        row["学校标识码"] = str(code).strip() if code not in (None, "") else None

    def get_export_queryset(self, request):
        return super().get_export_queryset(request).select_related("province")
