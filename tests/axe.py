"""axe-core in a Playwright page: the violations of a page, and an assertion
that there is no critical or serious one (WCAG 2.x A and AA rules).

axe-core comes with the PyPI package axe-playwright-python (its axe.min.js),
so nothing is fetched; skipped when the package is missing."""

import pytest

BLOCKING = ("critical", "serious")
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
}


def violations(page, impacts=BLOCKING) -> list[dict]:
    """axe's violations of IMPACTS on PAGE, each {"id", "impact", "help", "targets"}."""
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    found = axe.Axe().run(page, options=OPTIONS).response["violations"]
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [node["target"] for node in v["nodes"]][:5],
        }
        for v in found
        if v["impact"] in impacts
    ]


def assert_accessible(page, where: str = "") -> None:
    found = violations(page)
    assert not found, f"{where or page.url}: {found}"
