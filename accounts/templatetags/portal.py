from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY

from accounts import auditlabels
from accounts.validators import mask_email, mask_in_text, mask_name, mask_phone, mask_text

register = template.Library()


@register.filter
def bootstrap(field):
    """Render a form field's widget with Bootstrap's classes, marked invalid when it has errors."""
    input_type = getattr(field.field.widget, "input_type", "textarea")
    css = {"checkbox": "form-check-input", "select": "form-select"}.get(input_type, "form-control")
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})


@register.filter
def masked_phone(value: str) -> str:
    return mask_phone(value)


@register.filter
def masked_email(value: str) -> str:
    return mask_email(value)


@register.filter
def masked_name(value: str) -> str:
    return mask_name(value)


@register.filter
def masked_text(value: str) -> str:
    return mask_text(value)


@register.filter
def masked_in_text(value: str) -> str:
    return mask_in_text(value)


@register.filter
def minutes(duration) -> int:
    """A timedelta as whole minutes, rounded up (the lockout page's cool-off)."""
    seconds = int(duration.total_seconds()) if duration else 0
    return -(-seconds // 60)


@register.filter
def get_item(mapping, key):
    """`row.funnel|get_item:key`: a dict's value in a template."""
    return mapping.get(key, "") if mapping else ""


@register.simple_tag(takes_context=True)
def page_title(context) -> str:
    """The page's own `title` block once more, for the last breadcrumb: the page names itself in
    one place."""
    block_context = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = block_context.get_block("title") if block_context else None
    if block is None:
        return ""
    with context.push():
        return block.nodelist.render(context)


@register.filter
def audit_target(event) -> str:
    return auditlabels.target_label(event)


@register.filter
def audit_details(event) -> str:
    return auditlabels.details_label(event)
