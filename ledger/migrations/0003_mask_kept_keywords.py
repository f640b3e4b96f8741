"""Keywords and filters kept before issue 23 (a notice's recipients, an export's or a notice's
audit details, a merge's other phone) could hold a phone or an ID number in full: masked now, as
new ones are. Masking cannot be undone, so going back leaves them masked."""

from django.db import migrations

from accounts.validators import mask_keyword, mask_phone

BATCH = 1000
TYPED_KEYS = {"filters", "q", "keyword", "query"}  # as accounts.audit.TYPED_KEYS


def _masked(value):
    if isinstance(value, str):
        return mask_keyword(value)
    if isinstance(value, dict):
        return {key: _masked(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_masked(item) for item in value]
    return value


def _mask_notices(LedgerNotice) -> None:
    changed = []
    for notice in LedgerNotice.objects.exclude(filters={}).only("pk", "filters").iterator():
        filters = _masked(notice.filters)
        if filters != notice.filters:
            notice.filters = filters
            changed.append(notice)
    LedgerNotice.objects.bulk_update(changed, ["filters"], batch_size=BATCH)


def _mask_events(AuditEvent) -> None:
    events = AuditEvent.objects.filter(action__in=["export", "ledger.notice", "ledger.merge"])
    changed = []
    for event in events.only("pk", "data").iterator(chunk_size=BATCH):
        data = {
            key: _masked(value) if key in TYPED_KEYS else value
            for key, value in (event.data or {}).items()
        }
        if isinstance(data.get("merged_phone"), str):
            data["merged_phone"] = mask_phone(data["merged_phone"])
        if data != event.data:
            event.data = data
            changed.append(event)
    AuditEvent.objects.bulk_update(changed, ["data"], batch_size=BATCH)


def mask_kept_keywords(apps, schema_editor) -> None:
    _mask_notices(apps.get_model("ledger", "LedgerNotice"))
    _mask_events(apps.get_model("accounts", "AuditEvent"))


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0002_delivery_mailed_at"),
        ("accounts", "0008_ledger_actions"),
    ]

    operations = [migrations.RunPython(mask_kept_keywords, migrations.RunPython.noop)]
