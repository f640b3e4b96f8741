"""The documentation's links and file references resolve (README.md and docs/*.md).

No database and no network: relative links must name files or folders of the repository,
`#anchors` a heading of the file they point into (GitHub's slugs), in-portal paths such as
`/help/` a URL of the portal (django.urls.resolve), and web links only the hosts allowed below.
Paths written in backticks (`students/matching.py`, `tests/x.py::test_y`) must exist too, so a
renamed file or test shows up here instead of in a reader's confusion.
"""

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.urls import Resolver404, resolve

REPO = Path(__file__).resolve().parents[2]

# Web links the documentation may make; anything else is refused (and never fetched).
ALLOWED_HOSTS = frozenset(
    {
        "github.com",
        "docs.djangoproject.com",
        "docs.celeryq.dev",
        "www.postgresql.org",
        "redis.io",
    }
)

# What a path in backticks may end with to be checked as a repository file.
FILE_SUFFIXES = (".py", ".md", ".html", ".toml", ".yaml", ".yml", ".json", ".sh", ".csv")
# Backtick text that is a pattern, an elision or a command line, not one path.
NOT_A_PATH = ("<", ">", "*", "...", "…", "://", "=", "{", "$", "|")

FENCE = re.compile(r"^\s*(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
CODE_SPAN = re.compile(r"(`+)([^`]+?)\1")
INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^ {0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?:\s|$)", re.M)


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    target: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.target}: {self.reason}"


def prose(text: str) -> str:
    """The text with fenced code blocks blanked out, line for line (so numbers still match)."""
    lines = text.split("\n")
    fenced = False
    for i, line in enumerate(lines):
        if FENCE.match(line):
            fenced = not fenced
            lines[i] = ""
        elif fenced:
            lines[i] = ""
    return "\n".join(lines)


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: the rendered text lowercased, punctuation and symbols
    dropped (letters of any script, digits, marks, `-`, `_` and spaces kept), spaces to `-`."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link reads as its text
    text = text.replace("`", "").lower()
    kept = "".join(
        ch for ch in text if ch in "-_ " or unicodedata.category(ch)[0] in ("L", "N", "M")
    )
    return kept.replace(" ", "-")


def anchors(text: str) -> set[str]:
    """Every heading's anchor; a repeated heading gets -1, -2, … as on GitHub."""
    seen: dict[str, int] = {}
    result = set()
    for line in prose(text).split("\n"):
        match = HEADING.match(line)
        if not match:
            continue
        base = slug(match.group(2))
        count = seen.get(base, 0)
        seen[base] = count + 1
        result.add(base if count == 0 else f"{base}-{count}")
    return result


def links(text: str) -> Iterator[tuple[int, str]]:
    """(line, target) of every inline and reference link outside code."""
    body = prose(text)
    # Code spans may run over a line break; blank them out keeping the line breaks.
    bare = CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", "x", m.group(0)), body)
    for match in INLINE_LINK.finditer(bare):
        yield _line(bare, match.start()), match.group(1)
    for match in REFERENCE_LINK.finditer(bare):
        yield _line(bare, match.start()), match.group(1)


def code_paths(text: str) -> Iterator[tuple[int, str]]:
    """(line, token) of inline code tokens that look like a path in the repository."""
    body = prose(text)
    for match in CODE_SPAN.finditer(body):
        for token in match.group(2).split():
            token = token.strip(",;:()[]'\"")
            if "/" not in token or any(mark in token for mark in NOT_A_PATH):
                continue
            if token.startswith(("/", "../", "~", "-", ".venv/", "var/")):
                continue  # a URL path, outside the repository, or runtime data
            yield _line(body, match.start()), token


def _portal_path_problem(path: str) -> str:
    try:
        resolve(path)
    except Resolver404:
        return "no page of the portal answers this path"
    return ""


def _inside(root: Path, path: Path) -> bool:
    return path == root or root in path.parents


def link_problem(root: Path, source: Path, target: str) -> str:
    """Why `target`, linked from `source`, does not resolve; empty when it does."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
        host = re.match(r"^https?://([^/:?#]+)", target, re.IGNORECASE)
        if host and host.group(1).lower() in ALLOWED_HOSTS:
            return ""
        return "web links go only to the allowed hosts (tests/docs/test_links.py ALLOWED_HOSTS)"
    if target.startswith("/"):
        return _portal_path_problem(target.split("#")[0].split("?")[0])
    path_part, _hash, anchor = target.partition("#")
    if not path_part:
        return "" if anchor in anchors(source.read_text()) else "no such heading in this file"
    linked = (source.parent / path_part).resolve()
    if not _inside(root, linked):
        return "outside the repository"
    if not linked.exists():
        return "no such file or folder"
    if anchor:
        if linked.suffix != ".md":
            return "an anchor into a file that is not Markdown"
        if anchor not in anchors(linked.read_text()):
            return f"no heading with the anchor #{anchor} in {path_part}"
    return ""


def code_path_problem(root: Path, token: str) -> str:
    path, _sep, test_name = token.partition("::")
    if path.endswith("/"):
        if not (root / path.split("/")[0]).is_dir():
            return ""  # a URL path written without its slash (manage/insurance/), not a folder
        return "" if (root / path).is_dir() else "no such folder"
    if not path.endswith(FILE_SUFFIXES):
        return ""
    candidates = [root / path]
    if path.endswith(".html"):
        candidates.append(root / "templates" / path)  # a template by its name
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        return "no such file"
    if test_name:
        name = test_name.split("::")[-1].split("[")[0]
        if not re.search(rf"^\s*(async )?def {re.escape(name)}\(", found.read_text(), re.M):
            return f"no test {name} in {path}"
    return ""


def problems(root: Path, documents: list[Path]) -> list[Problem]:
    found = []
    for document in documents:
        text = document.read_text()
        name = str(document.relative_to(root))
        for number, target in links(text):
            if reason := link_problem(root, document, target):
                found.append(Problem(name, number, target, reason))
        for number, token in code_paths(text):
            if reason := code_path_problem(root, token):
                found.append(Problem(name, number, f"`{token}`", reason))
    return found


def documents(root: Path) -> list[Path]:
    return [root / "README.md", *sorted((root / "docs").glob("*.md"))]


# The documentation -------------------------------------------------------------------------


def test_every_link_and_file_reference_in_the_documentation_resolves():
    found = problems(REPO, documents(REPO))
    assert not found, "\n".join(map(str, found))


def test_every_page_of_docs_is_linked_from_the_readme():
    readme = REPO / "README.md"
    linked = {
        (readme.parent / target.partition("#")[0]).resolve()
        for _number, target in links(readme.read_text())
        if not target.startswith(("/", "#")) and "://" not in target
    }
    pages = sorted((REPO / "docs").glob("*.md"))
    assert pages, "docs/ holds the documentation"
    assert [p.name for p in pages if p.resolve() not in linked] == []


# The checker itself ------------------------------------------------------------------------


def test_slugs_follow_github():
    assert slug("Settings (environment)") == "settings-environment"
    assert slug("审计记录防篡改、保存期限与签名检查点 (issue 21, part B)") == (
        "审计记录防篡改保存期限与签名检查点-issue-21-part-b"
    )
    assert slug("The application rush and `stable_match` at a million") == (
        "the-application-rush-and-stable_match-at-a-million"
    )
    assert slug("等保2.0 三级: what the portal does") == "等保20-三级-what-the-portal-does"
    assert anchors("# A\n## Tests\n```\n# not a heading\n```\n## Tests\n") == {
        "a",
        "tests",
        "tests-1",
    }


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "models.py").write_text("def test_real():\n    pass\n")
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n## Install steps\n\nText.\n")
    return tmp_path


def _problems_of(root: Path, text: str) -> list[str]:
    (root / "README.md").write_text(text)
    return [p.target for p in problems(root, documents(root))]


def test_the_checker_accepts_good_links(sample):
    text = (
        "# Read me\n\n## Two commands\n\n"
        "[guide](docs/guide.md), [install](docs/guide.md#install-steps), [up](#two-commands),\n"
        "[code](app/), [Django](https://docs.djangoproject.com/en/5.2/), [search](/posts/),\n"
        "`app/models.py`, `app/models.py::test_real`, `app/`, `manage/insurance/`,\n"
        "`templates/<app>/`, `/admin/`, `.venv/bin/python`.\n"
        "```sh\n[not checked](nowhere.md) `gone/file.py`\n```\n"
    )
    assert _problems_of(sample, text) == []


def test_the_checker_finds_each_kind_of_broken_link(sample):
    text = (
        "# Read me\n\n"
        "[a](docs/missing.md) [b](docs/guide.md#no-such-heading) [c](#nowhere)\n"
        "[d](https://example.com/) [e](/no-such-page/) [f](../outside.md)\n"
        "`app/gone.py` `app/models.py::test_gone` `app/nothing/`\n"
    )
    assert _problems_of(sample, text) == [
        "docs/missing.md",
        "docs/guide.md#no-such-heading",
        "#nowhere",
        "https://example.com/",
        "/no-such-page/",
        "../outside.md",
        "`app/gone.py`",
        "`app/models.py::test_gone`",
        "`app/nothing/`",
    ]
