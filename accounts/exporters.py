"""The audit log as a spreadsheet, for provincial staff."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.auditlabels import details_label, role_label, target_label
from accounts.selectors import audit_events_filtered
from fanjiaxiang.exporters import ListExporter


class AuditExporter(ListExporter):
    name = _("审计日志")
    headers = (
        _("时间"),
        _("操作人"),
        _("角色"),
        _("操作"),
        _("对象"),
        _("地区"),
        _("详情"),
        _("IP"),
    )

    def rows(self):
        events = audit_events_filtered(self.user, **self.filters)
        for event in events.iterator(chunk_size=2000):
            yield [
                timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                event.actor_label,
                role_label(event),
                str(event.get_action_display()),
                target_label(event),
                event.region.full_name if event.region else "",
                details_label(event),
                event.ip or "",
            ]
