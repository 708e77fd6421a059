"""Screenshots of the facilitator and citizen pages at 360 x 740 px in Kiswahili and
Arabic (docs/img/mobile/), and the needs list's height and needs per screen.

    .venv/bin/python scripts/screenshots_mobile.py [PREFIX]

Builds the demo node in a temporary folder, serves it, signs in as its facilitator and
writes one phone screen of the needs list, the capture form, a meeting and a need's page
to docs/img/mobile/PREFIX-LANG-PAGE.png (PREFIX defaults to "after"; the "before" pictures
were taken with this script on the code before issue 13); prints the needs list's page
height, mean item height and needs per screen, and any page wider than 360 px.
"""

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


import shotlib

WIDTH, HEIGHT = 360, 740
FULL: set[str] = set()  # pages shot whole; the others as one phone screen


def measure_list(page) -> dict:
    return page.evaluate(
        """() => {
        const items = [...document.querySelectorAll('.cap-list > li, main > .need-list > li')];
        const h = items.map(li => li.getBoundingClientRect().height);
        const mean = h.reduce((a, b) => a + b, 0) / Math.max(1, h.length);
        return {height: document.documentElement.scrollHeight, items: items.length,
                item_height: Math.round(mean), per_screen: +(740 / mean).toFixed(1)};
    }"""
    )


def main() -> None:
    prefix = sys.argv[1] if len(sys.argv) > 1 else "after"
    out = ROOT / "docs" / "img" / "mobile"
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        home, username, password = shotlib.demo_home(Path(tmp), "facilitator")
        with shotlib.signed_in(home, username, password, width=WIDTH, height=HEIGHT) as (page, url):
            page.goto(url + "/meetings")
            meeting = page.locator(".need-list a").first.get_attribute("href")
            page.goto(url + "/needs")
            ref = (
                page.locator(".cap-list a, main > .need-list a")
                .first.get_attribute("href")
                .rsplit("/", 1)[1]
            )
            for lang in ("sw", "ar"):
                page.goto(url + f"/lang/{lang}?next=/needs")
                shots = {
                    "needs": "/needs", "capture": "/capture", "meeting": meeting,
                    "need": f"/needs/{ref}",
                }  # fmt: skip
                for name, path in shots.items():
                    page.goto(url + path)
                    if name == "meeting" and not page.locator("#attendance[open]").count():
                        page.locator("#attendance summary").click()
                    if name == "needs":
                        print(lang, "needs", measure_list(page))
                    wide = page.evaluate("document.documentElement.scrollWidth")
                    if wide > WIDTH:
                        print(lang, name, "scrolls sideways:", wide)
                    page.screenshot(path=str(out / f"{prefix}-{lang}-{name}.png"),
                                    full_page=name in FULL)  # fmt: skip
    print("wrote", out)


if __name__ == "__main__":
    main()
