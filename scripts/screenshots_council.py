"""Screenshots of the council's pages on a phone (360 px wide) in Kiswahili and
Arabic, for docs/council.md: the triage queue after a decision (the confirmation
at the next need), an undo, a refused budget kept as typed, a chart, the report.

    .venv/bin/python scripts/screenshots_council.py

Builds the demo node in a temporary folder, serves it, and writes docs/img/council/*.png.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


import shotlib

OUT = ROOT / "docs" / "img" / "council"


def shots(page, url: str) -> None:
    def go(lang, path):
        page.goto(f"{url}/lang/{lang}?next={path}")

    def shot(name):
        page.wait_for_load_state("load")
        page.wait_for_timeout(300)  # the jump to #need-ID is painted after "load"
        page.screenshot(path=str(OUT / name))

    go("sw", "/council/triage")
    page.locator(".c-queue > li").nth(2).locator("form button.primary").click()
    shot("triage-accepted-sw.png")

    go("ar", "/council/triage")
    item = page.locator(".c-queue > li").nth(1)
    item.locator("details.c-decide summary").first.click()
    item.locator("select[name=reason]").select_option("out_of_remit")
    item.locator("details.c-decide button").first.click()
    shot("triage-set-aside-undo-ar.png")

    go("sw", "/council/priorities/1")
    if page.locator("#actions details").get_attribute("open") is None:
        page.locator("#actions details summary").click()
    page.fill("input[name=what]", "Kununua mabomba")
    page.fill("input[name=budget_amount]", "150 elfu")
    page.locator("#actions form button.primary").click()
    page.locator("#budget_amount").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 120)")
    shot("budget-refused-sw.png")

    go("ar", "/council/dashboard")
    page.locator("#chart-goal").screenshot(path=str(OUT / "chart-goals-ar.png"))
    go("sw", "/council/report")
    shot("report-sw.png")
    go("ar", "/council/similar")
    page.locator("section.cluster").first.screenshot(path=str(OUT / "similar-ar.png"))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        home, username, password = shotlib.demo_home(Path(tmp), "council")
        with shotlib.signed_in(home, username, password, width=360, height=740) as (page, url):
            shots(page, url)
    print(f"wrote {', '.join(sorted(p.name for p in OUT.glob('*.png')))} in docs/img/council/")


if __name__ == "__main__":
    main()
