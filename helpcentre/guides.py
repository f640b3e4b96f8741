"""The 帮助中心's guides, one per role, read from `helpcentre/guides/<role>.yaml` (and the FAQ
from `faq.yaml`): the single source of the help pages, the printable manual, the context-help
links of every page and the tests that keep the words and the pictures true to the screens.

A step names the page where its work is done by URL name (`page`); a page that shows one object
(a post, a placement) names a demo object (`demo`, resolved by the screenshot tests from the demo
data) and the list page users reach it from (`link`). Everything a step names in 「」 (a menu
item, a button, a field, a tab) must appear on that page as it does on screen: the test
`tests/browser/test_help_screenshots.py` checks it on the demo, where it also takes the step's
screenshot. An FAQ answer that names things in 「」 names the page (and the demo account) too.
"""

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import markdown  # type: ignore[import-untyped]
import yaml
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import SafeString, mark_safe

GUIDES_DIR = Path(__file__).resolve().parent / "guides"
SHOTS_DIR = Path(__file__).resolve().parent / "static" / "helpcentre" / "shots"
# Per guide, what each screenshot showed (its signature): helpcentre/shots/<role>.json.
MANIFESTS_DIR = Path(__file__).resolve().parent / "shots"

# The roles with a guide, in the order the 帮助中心 lists them (the programme's own order).
ROLES = ("student", "host", "county", "city", "province", "university")
STEP_ID = re.compile(r"^[a-z0-9-]+$")
NAMED = re.compile(r"「([^「」]+)」")


class GuideError(ValueError):
    """A guide file that does not follow the format above: named with its file and step."""


@dataclass(frozen=True)
class Step:
    role: str
    id: str
    title: str
    page: str  # the URL name of the screen where this step is done
    body: str  # Markdown
    demo: str = ""  # the demo object the page shows, when its URL takes one
    link: str = ""  # the URL name users start from, when `page` takes arguments
    pages: tuple[str, ...] = ()  # more URL names whose context help opens this step
    phone: bool = False  # the screenshot is a phone's (students)
    visitor: bool = False  # done before signing in (register, log in): shown to a visitor
    query: str = ""  # a query string the page is shown with ("status=draft"), link included
    account: str = ""  # another demo account of the role whose screen shows the step better

    @property
    def names(self) -> tuple[str, ...]:
        """What the step names in 「」, in order, once each."""
        return tuple(dict.fromkeys(NAMED.findall(self.body)))

    @property
    def shot(self) -> str:
        """The screenshot's static path."""
        return f"helpcentre/shots/{self.role}/{self.id}.png"

    @property
    def link_name(self) -> str:
        return self.link or self.page

    def url(self) -> str:
        """Where 去办理 goes: the page itself, or the list page for a page of one object."""
        try:
            url = reverse(self.link_name)
        except NoReverseMatch:
            return ""
        return f"{url}?{self.query}" if self.query and not self.link else url

    def html(self) -> SafeString:
        return render_markdown(self.body)


@dataclass(frozen=True)
class Guide:
    role: str
    title: str
    account: str  # the demo account whose screens the screenshots show
    summary: str
    steps: tuple[Step, ...]
    phone: bool = False

    def step(self, step_id: str) -> Step | None:
        return next((step for step in self.steps if step.id == step_id), None)


@dataclass(frozen=True)
class Question:
    id: str
    question: str
    answer: str  # Markdown
    roles: tuple[str, ...] = field(default=ROLES)
    page: str = ""  # the URL name of the page whose 「」 names the answer gives, if any
    account: str = ""  # the demo account that sees that page (empty: a visitor)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(NAMED.findall(self.answer)))

    def html(self) -> SafeString:
        return render_markdown(self.answer)


def render_markdown(text: str) -> SafeString:
    """Our own guide files, in Markdown; the 「」 names are shown in bold, as on a button."""
    html = markdown.markdown(text, extensions=["tables", "sane_lists"])
    html = NAMED.sub(r"<b>「\1」</b>", html)
    return mark_safe(html)  # noqa: S308  # nosec B308 B703: our repository's files, not user text


def _text(data: dict, key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{where}: {key} is missing")
    return value.strip()


def _step(role: str, data: dict, phone: bool, where: str) -> Step:
    step_id = _text(data, "id", where)
    if not STEP_ID.match(step_id):
        raise GuideError(f"{where}: id {step_id!r} must be lower-case letters, digits and -")
    step = Step(
        role=role,
        id=step_id,
        title=_text(data, "title", where),
        page=_text(data, "page", where),
        body=_text(data, "body", where),
        demo=str(data.get("demo") or ""),
        link=str(data.get("link") or ""),
        pages=tuple(data.get("pages") or ()),
        phone=bool(data.get("phone", phone)),
        visitor=bool(data.get("visitor", False)),
        query=str(data.get("query") or "").lstrip("?"),
        account=str(data.get("account") or ""),
    )
    if step.demo and not step.link:
        raise GuideError(f"{where}: a page of one demo object needs the list page as link")
    return step


def _load_guide(role: str) -> Guide:
    path = GUIDES_DIR / f"{role}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    phone = bool(data.get("phone", False))
    steps = tuple(
        _step(role, item, phone, f"{path.name} step {number}")
        for number, item in enumerate(data.get("steps") or (), start=1)
    )
    ids = [step.id for step in steps]
    if len(set(ids)) != len(ids):
        raise GuideError(f"{path.name}: two steps share an id")
    return Guide(
        role=role,
        title=_text(data, "title", path.name),
        account=_text(data, "account", path.name),
        summary=_text(data, "summary", path.name),
        steps=steps,
        phone=phone,
    )


@cache
def guides() -> dict[str, Guide]:
    """Every role's guide, read once per process."""
    return {role: _load_guide(role) for role in ROLES}


@cache
def questions() -> tuple[Question, ...]:
    path = GUIDES_DIR / "faq.yaml"
    items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    return tuple(
        Question(
            id=_text(item, "id", f"{path.name} {n}"),
            question=_text(item, "question", f"{path.name} {n}"),
            answer=_text(item, "answer", f"{path.name} {n}"),
            roles=tuple(item.get("roles") or ROLES),
            page=str(item.get("page") or ""),
            account=str(item.get("account") or ""),
        )
        for n, item in enumerate(items, start=1)
    )


@cache
def _context_index() -> dict[tuple[str, str], Step]:
    """(role, URL name) → the first step of that role's guide done on that page."""
    index: dict[tuple[str, str], Step] = {}
    for guide in guides().values():
        for step in guide.steps:
            for name in (step.page, step.link_name, *step.pages):
                index.setdefault((guide.role, name), step)
    return index


def step_for_page(role: str, view_name: str) -> Step | None:
    """The step of `role`'s guide that explains the page named `view_name`, if one does."""
    return _context_index().get((role, view_name))
