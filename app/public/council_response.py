"""The council's answer on the public status page: why a need was set aside,
or the priority it became part of with that priority's latest progress —
scrubbed like every public text (app.privacy.public_text)."""

import datetime as dt

from app.privacy import public_text
from app.store import actions as action_store
from app.store import council as council_store
from app.store import needs as needs_store
from app.store import priorities as priority_store


def _set_aside_reason(db, need_id: int) -> str | None:
    for row in reversed(needs_store.history(db, need_id)):
        reason = row["changes"].get("reason")
        if row["action"] == "status" and isinstance(reason, list) and reason[-1]:
            return reason[-1]
    return None


def council_response(db, need: dict) -> dict:
    """Context for the status page's council_response section (public)."""
    if need["hidden"] or need.get("removed"):
        return {}
    if need["status"] == "set_aside":
        return {"response": {"reason": _set_aside_reason(db, need["id"])}}
    target = need
    if need["status"] == "merged" and need.get("merged_into"):
        target = needs_store.by_id(db, need["merged_into"]) or need
    priority = priority_store.priority_of_need(db, target["id"])
    if priority is None or priority["status"] == "dropped":
        return {}
    names = council_store.respondent_names(db, priority["id"])
    note = action_store.latest_note_by_priority(db).get(priority["id"])
    return {
        "response": {
            "priority": {
                "title": public_text.scrubbed(
                    db, priority["title"], names, checked=priority["text_checked"]
                ),
                "status": priority["status"],
            },
            "latest": {
                "date": dt.date.fromisoformat(note["date"]),
                "note": public_text.scrubbed(
                    db, note["note"], names, checked=note["text_checked"]
                ),
            }
            if note
            else None,
        }
    }

