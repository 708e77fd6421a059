"""A few weeks of a council's work on the demo needs: merged look-alikes,
accepted and set-aside needs, two meetings with attendance, three priorities
with actions and a progress note. Used by `sauti demo` and the screenshots."""

from app.council import similar
from app.store import actions, meetings, priorities, triage


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
