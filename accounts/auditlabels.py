"""How an audit event reads to people (the log page and its export): the role's, the record's
and the details' Chinese names instead of the codes stored for the chain."""

from django.apps import apps
from django.utils.translation import gettext_lazy as _

from accounts.models import AuditEvent, Role

DETAIL_NAMES = {
    "token": _("令牌"),
    "operation": _("接口"),
    "status": _("状态码"),
    "outcome": _("结果"),
    "rows": _("行数"),
    "filters": _("筛选条件"),
    "name": _("名称"),
    "scope": _("范围"),
    "days": _("有效天数"),
}
OUTCOMES = {
    "ok": _("成功"),
    "error": _("出错"),
    "expired": _("已过期"),
    "revoked": _("已撤销"),
    "unknown": _("未知令牌"),
}


def role_label(event: AuditEvent) -> str:
    return (
        str(Role(event.actor_role).label) if event.actor_role in Role.values else event.actor_role
    )


def target_label(event: AuditEvent) -> str:
    """接口令牌 #4 for api.apitoken#4: the model's own name, the code when it is gone."""
    if not event.target_type:
        return ""
    try:
        name = str(apps.get_model(event.target_type)._meta.verbose_name)
    except (LookupError, ValueError):
        name = event.target_type
    return f"{name} #{event.target_id}"


def details_label(event: AuditEvent) -> str:
    """key=value pairs, named in Chinese where known; empty values (None, {}) left out."""
    data = event.data if isinstance(event.data, dict) else {}
    parts = []
    for key, value in data.items():
        if value is None or value in ({}, [], ""):
            continue
        shown = OUTCOMES.get(value, value) if key == "outcome" else value
        parts.append(f"{DETAIL_NAMES.get(key, key)}={shown}")
    return ", ".join(parts)
