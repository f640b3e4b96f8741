from django.contrib import admin
from import_export.admin import ImportExportModelAdmin

from accounts.access import opens_admin
from positions.models import HostUnit, Post, Region
from positions.resources import HostUnitResource

# /admin/ is for superusers and the three admin duties (accounts/access.py opens_admin); no
# other role account is ever given is_staff.
admin.site.has_permission = (  # type: ignore[method-assign]
    lambda request: opens_admin(request.user)
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]


@admin.register(HostUnit)
class HostUnitAdmin(ImportExportModelAdmin):
    resource_classes = [HostUnitResource]
    list_select_related = ["county"]
    list_display = ["name", "kind", "county", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["county"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "category", "host_unit", "season", "headcount", "status"]
    list_filter = ["status", "category"]
    search_fields = ["title", "host_unit__name"]
    raw_id_fields = ["host_unit", "season", "created_by"]
