"""axe-core in the test browser: the accessibility violations of a page, and an
assertion that there is no critical or serious one.

axe.min.js comes with the axe-playwright-python package (nothing is fetched); it is
evaluated in the page through the DevTools protocol, so the node's CSP
(script-src 'self') stays on. Every axe rule runs, not only the WCAG-tagged ones."""

from pathlib import Path

import axe_playwright_python

AXE_JS = Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"
BLOCKING = ("critical", "serious")
_source: list[str] = []


def violations(page, impacts=BLOCKING) -> list[dict]:
    """The page's violations of those IMPACTS, each as {id, impact, help, targets}."""
    if not _source:
        _source.append(AXE_JS.read_text(encoding="utf-8"))
    page.evaluate(_source[0])
    result = page.evaluate(
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]  # fmt: skip


def assert_accessible(page, where: str = "") -> None:
    found = violations(page)
    assert not found, f"{where or page.url}: {found}"


def sideways_overflow(page) -> int:
    """How many CSS pixels the page scrolls sideways (0 when it fits)."""
    return page.evaluate(
        "() => Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        " - document.documentElement.clientWidth"
    )
