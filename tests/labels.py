"""Reading a page's fields the way a screen reader names them: by their <label>."""

from lxml import html as lxml_html

NOT_FILLED = {"hidden", "submit", "button", "reset", "image"}


def unlabelled_fields(page: str) -> list[str]:
    """The inputs, selects and text areas of the page with no accessible name from a label."""
    tree = lxml_html.fromstring(page)
    labelled = {label.get("for") for label in tree.iter("label") if label.get("for")}
    problems = []
    for field in tree.xpath("//input | //select | //textarea"):
        if field.tag == "input" and (field.get("type") or "text").lower() in NOT_FILLED:
            continue
        if field.get("aria-label") or field.get("aria-labelledby"):
            continue
        if field.get("id") in labelled or any(a.tag == "label" for a in field.iterancestors()):
            continue
        problems.append(f"<{field.tag} name={field.get('name')!r} id={field.get('id')!r}>")
    return problems


def fields_without_a_visible_label(page: str) -> list[str]:
    """Stricter, for the main forms: a <label> the user sees; aria-label only for the selects
    of a cascade, whose group's <legend> is the visible label."""
    tree = lxml_html.fromstring(page)
    labelled = {label.get("for") for label in tree.iter("label") if label.get("for")}
    problems = []
    for field in tree.xpath("//input | //select | //textarea"):
        if field.tag == "input" and (field.get("type") or "text").lower() in NOT_FILLED:
            continue
        if field.get("id") in labelled or any(a.tag == "label" for a in field.iterancestors()):
            continue
        if field.get("aria-label") and field.xpath("ancestor::fieldset[legend]"):
            continue
        problems.append(f"<{field.tag} name={field.get('name')!r}>")
    return problems
