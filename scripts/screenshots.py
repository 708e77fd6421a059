"""Screenshots of the council dashboard and the public board (Arabic) for the
README, 900 px wide.

    .venv/bin/python scripts/screenshots.py

Builds the demo node (`sauti demo --home TMP --no-serve`) in a temporary
folder, lets its council member review part of the needs (accept, merge
look-alikes, two priorities with actions and progress notes), serves it,
and writes docs/img/dashboard.png and docs/img/board.png.
"""

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright

from app import similar
from app.demo import credentials
from app.home import open_home
from app.store import actions, meetings, priorities, triage
from tests.conftest import CHROMIUM, CHROMIUM_ARGS, LiveServer


def council_work(db, user: dict) -> None:
    """A few weeks of a council's work on the demo needs."""
    needs = list(db.query("SELECT id, text, category FROM needs WHERE status = 'new' ORDER BY id"))
    for cluster in similar.clusters(needs)[:6]:
        triage.merge_many(db, [n["id"] for n in cluster], cluster[0]["id"], user=user)
    left = list(db.query("SELECT id, category FROM needs WHERE status = 'new' ORDER BY id"))
    for need in left[: len(left) * 2 // 3]:
        triage.change_status(db, need["id"], "accepted", user=user)
    for need in left[len(left) * 2 // 3 :][:10]:
        triage.change_status(db, need["id"], "set_aside", user=user, reason="out_of_remit")
    locality = "KE/47/westlands"
    for title, date, scale in (
        ("Kangemi baraza", "2026-08-20", 3),
        ("Kitisuru baraza", "2026-09-17", 2),
    ):
        meeting = meetings.open_meeting(db, title=title, locality=locality + "/kangemi",
                                        date=date, opened_by=user["id"])  # fmt: skip
        meetings.set_attendance(db, meeting, {
            ("female", "15-24"): 6 * scale, ("female", "25-34"): 9 * scale,
            ("female", "45-54"): 4 * scale, ("male", "15-24"): 3 * scale,
            ("male", "35-44"): 7 * scale, ("male", "65+"): 5 * scale,
            ("undisclosed", "undisclosed"): 2 * scale})  # fmt: skip
        meetings.close(db, meeting)

    def accepted(category, n):
        rows = db.query(
            "SELECT id FROM needs WHERE status = 'accepted' AND category = ? ORDER BY id LIMIT ?",
            [category, n],
        )
        return [r["id"] for r in rows]

    water = priorities.create(db, title="Repair the Kangemi borehole",
                              description="Clean water within 30 minutes' walk for every household.",
                              goals=[6], locality=locality, user=user,
                              need_ids=accepted("water", 12))  # fmt: skip
    pump = actions.create(db, water, what="Replace the pump and the pipes",
                          responsible="County water office", budget_amount="450000",
                          budget_currency="KES", start_date="2026-09-01", due_date="2026-10-15",
                          status="in_progress")  # fmt: skip
    actions.add_note(db, pump, date="2026-09-20", note="New pump delivered; pipes ordered.",
                     user_id=user["id"])  # fmt: skip
    clinic = priorities.create(db, title="Medicines at the dispensary",
                               description="Diabetes and malaria medicines in stock every month.",
                               goals=[3], locality=locality, user=user,
                               need_ids=accepted("health", 8))  # fmt: skip
    actions.create(db, clinic, what="Monthly stock check with the ward health committee",
                   responsible="Ward health committee", due_date="2026-09-30")  # fmt: skip
    priorities.create(db, title="Safe road to the primary school",
                      description="Speed bumps and a crossing at the market.", goals=[11],
                      locality=locality, user=user, need_ids=accepted("roads", 6))  # fmt: skip


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "demo"
        subprocess.run([sys.executable, "-m", "app.cli", "demo", "--home", str(home), "--no-serve"],
                       check=True, cwd=ROOT, stdout=subprocess.DEVNULL)  # fmt: skip
        username, _role, password = next(c for c in credentials(home) if c[1] == "council")
        db = open_home(home).connect()
        row = db.execute("SELECT id FROM users WHERE username = ?", [username]).fetchone()
        council_work(db, {"id": row[0], "role": "council"})
        db.close()
        server = LiveServer(home).start()
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)  # fmt: skip
                page = browser.new_context(viewport={"width": 900, "height": 900}).new_page()
                page.goto(server.url + "/login")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", password)
                page.click("button[type=submit]")
                out = ROOT / "docs" / "img"
                out.mkdir(parents=True, exist_ok=True)
                page.goto(server.url + "/council/dashboard")
                page.screenshot(path=str(out / "dashboard.png"), full_page=True)
                page.context.clear_cookies()
                page.goto(server.url + "/lang/ar?next=/board")
                page.screenshot(path=str(out / "board.png"), full_page=True)
                browser.close()
        finally:
            server.stop()
    print("wrote docs/img/dashboard.png and docs/img/board.png")


if __name__ == "__main__":
    main()
