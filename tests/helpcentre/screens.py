"""What a screen shows, read from the HTML the server sent: the words a guide may name in 「」
and a signature of everything visible, which tells whether a screenshot is still the screen."""

import hashlib
import re

import lxml.html

SPACE = re.compile(r"\s+")
NAMED_ATTRIBUTES = ("placeholder", "aria-label", "title", "alt")
UNSEEN = ("script", "style", "template", "noscript")


def _norm(text: str | None) -> str:
    return SPACE.sub(" ", text or "").strip()


def _document(html: str):
    root = lxml.html.document_fromstring(html)
    for element in root.xpath("//" + " | //".join(UNSEEN)):
        element.drop_tree()
    return root


def _own_text(element) -> str:
    """An element's text without its children's (a menu item without its unread badge)."""
    parts = [element.text or ""] + [child.tail or "" for child in element]
    return _norm("".join(parts))


def screen_words(html: str) -> set[str]:
    """Every element's text, whole and without its children's, and its named attributes; a
    field's label also without its required mark or colon, a button's value."""
    words: set[str] = set()
    for element in _document(html).iter():
        if not isinstance(element.tag, str):
            continue
        for text in (_norm(element.text_content()), _own_text(element)):
            if text:
                words.add(text)
                words.add(text.rstrip("*：: ").strip())
        for attribute in NAMED_ATTRIBUTES:
            if value := _norm(element.get(attribute)):
                words.add(value)
        if element.tag == "input" and element.get("type") in {"submit", "button"}:
            words.add(_norm(element.get("value")))
    words.discard("")
    return words


def missing_names(names: tuple[str, ...], html: str) -> list[str]:
    """The names a guide step gives in 「」 that its page does not show."""
    words = screen_words(html)
    return [name for name in names if name not in words]


def screen_signature(html: str) -> str:
    """A digest of what the page shows: its visible text in order and its fields' visible
    attributes. Two renderings of the same screen on the same demo day give the same digest."""
    root = _document(html)
    body = root.find("body")
    texts = [_norm((body if body is not None else root).text_content())]
    for element in root.iter("input", "select", "textarea", "button", "img"):
        if element.get("type") == "hidden":
            continue
        attributes = ("type", "name", "placeholder", "aria-label", "alt")
        texts.append(" ".join(f"{a}={element.get(a)}" for a in attributes if element.get(a)))
    return hashlib.sha256("\n".join(texts).encode()).hexdigest()
