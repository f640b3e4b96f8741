"""What every page a browser test looks at should pass: axe-core's accessibility rules (no
"serious" or "critical" violation) and Chinese only (no English words a user would read)."""

import re

from django.conf import settings

AXE_JS = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
SEVERE = ("critical", "serious")

# English a Chinese user may still see: file formats and sizes, the paper size, office suites.
ALLOWED_ENGLISH = {
    *("Excel", "CSV", "csv", "xlsx", "xls", "PDF", "pdf", "JPG", "jpg", "PNG", "png"),
    *("Word", "WPS", "doc", "docx", "MB", "KB", "A4", "QR"),
}
# E-mail addresses and web addresses are data, not sentences; nor are the portal's codes
# (check-in, certificate, credit code), which are capitals and digits.
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|/\S*/|\b[0-9A-Z]{6,}\b")
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]+")

_RUN_AXE = """async (severe) => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => severe.includes(v.impact))
    .map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((n) => ({ target: n.target.join(" "), summary: n.failureSummary })),
    }));
}"""


def axe_violations(page) -> list[dict]:
    """The page's serious and critical axe-core violations.

    axe.min.js (npm, node_modules) goes in through page.evaluate, the DevTools protocol: the
    portal's Content Security Policy (script-src 'self') refuses add_script_tag's inline
    <script>, and evaluate keeps the policy on, so a page the policy breaks still fails."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(_RUN_AXE, list(SEVERE))


def format_violations(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} serious or critical accessibility violation(s)"]
    for violation in violations:
        lines.append(f"  [{violation['impact']}] {violation['id']}: {violation['help']}")
        for node in violation["nodes"][:8]:
            summary = " ".join(node["summary"].split())
            lines.append(f"      {node['target']} — {summary[:300]}")
    return "\n".join(lines)


def assert_accessible(page, where: str = "") -> None:
    violations = axe_violations(page)
    assert not violations, format_violations(where or page.url, violations)


# The visible text, leaving out what is marked as not language: login names and codes
# (translate="no", <code>, <kbd>, <samp>).
_VISIBLE_TEXT = """() => {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const parts = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent || parent.closest('[translate="no"], code, kbd, samp, script, style')) continue;
    if (parent.checkVisibility()) parts.push(walker.currentNode.textContent);
  }
  return parts.join(" ");
}"""


def english_words(page) -> list[str]:
    """English words in the page's visible text, beyond the allow-list."""
    text = NOT_WORDS.sub(" ", page.evaluate(_VISIBLE_TEXT))
    return sorted({word for word in WORD.findall(text) if word not in ALLOWED_ENGLISH})


def assert_chinese_only(page) -> None:
    words = english_words(page)
    assert not words, f"{page.url} shows English: {', '.join(words)}"
