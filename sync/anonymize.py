"""The anonymizer: the shared form of this node's records, built from the event log.

Every shared record is produced by `dump` of an allow-list schema
(schema/shared.py, plus sync.codec.SharedEnrolmentSchema), so a field that is
not on the list can never leave the node. Free texts are scrubbed
(app.privacy.scrub) with the node's country and, for needs, the respondent's own
name; the `share_text` setting decides whether a scrubbed text goes up at all:

    reviewed  only texts someone marked checked (needs, priorities, actions with
              text_checked); meeting titles and other unflagged texts stay home
    scrubbed  every scrubbed text
    never     no text (null)

Times become ISO weeks. Hidden needs (kiosk needs nobody accepted yet) never
go up. A record is known by (origin, key): key is the local row number as
text, never a client uuid.

Retractions: log `events.append(db, "retraction", KEY,
json.dumps({"kind": "need", "reason": "spam"}))` (reasons: spam, erasure,
personal_data, other) to delete a record at every level above; logging the
record again later (e.g. a corrected text) shares it again with a higher seq.
"""

import datetime as dt
import json
import logging

from app.node import settings
from app.privacy.scrub import scrub
from app.store import meetings as meetings_store
from app.store import needs as needs_store
from app.store import node as node_store
from app.store import sync_inbox, sync_state
from schema.need import AUDIO_ONLY_TEXT
from schema.weeks import week_of

from . import codec

log = logging.getLogger(__name__)

RECORD_KIND = {
    "need": "need",
    "need_status": "need",
    "need_text": "need",
    "retraction": "retraction",
    "meeting": "meeting",
    "priority": "priority",
    "action": "action",
    "enrolment": "enrolment",
}
_DUMP = {kind: schema() for kind, schema in codec.SCHEMAS.items()}


class Anonymizer:
    """Builds shared records for one node (settings read once)."""

    def __init__(self, db):
        self.db = db
        self.node = node_store.get(db)
        self.origin = self.node["node_id"]
        self.country = settings.get(db, "country")
        self.policy = settings.get(db, "share_text")
        self.epochs = sync_state.key_epochs(db)

    def key(self, kind: str, row_id) -> str:
        """The shared key of a local row: its number, plus "r<epoch>" when the row was
        made after a restore from backup (its number may repeat one the parent
        already holds from before the restore)."""
        key = str(row_id)
        for epoch in reversed(self.epochs):
            if int(row_id) > epoch["floors"].get(kind, 0):
                return f"{key}r{epoch['epoch']}"
        return key

    # -------------------------------------------------------------- texts

    def text(self, value: str | None, *, checked: bool, names=()) -> str | None:
        if value is None or self.policy == "never":
            return None
        if self.policy == "reviewed" and not checked:
            return None
        cleaned = scrub(value, country=self.country, names=[n for n in names if n])
        return cleaned or None

    # ------------------------------------------------------------- records

    def need(self, key: str, seq: int) -> dict | None:
        try:
            row = needs_store.by_id(self.db, int(key))
        except ValueError:
            return None
        if row is None or row["hidden"]:
            return None
        respondent = row.get("respondent") or {}
        return _DUMP["need"].dump(
            {
                "origin": self.origin,
                "seq": seq,
                "key": self.key("need", row["id"]),
                "text": None  # a need captured by audio alone has no text to share
                if row["text"] == AUDIO_ONLY_TEXT
                else self.text(
                    row["text"], checked=row["text_checked"], names=[respondent.get("name")]
                ),
                "language": row["language"],
                "category": row["category"],
                "goals": row["goals"],
                "locality": row["locality"],
                "gender": row["gender"],
                "age_band": row["age_band"],
                "groups": row["groups"],
                "channel": row["channel"],
                "supporters": row["supporters"],
                "status": row["status"],
                "merged_into": (
                    self.key("need", row["merged_into"]) if row.get("merged_into") else None
                ),
                "week": row["week"],
            }
        )

    def retraction(self, key: str, seq: int, payload: str) -> dict | None:
        try:
            info = json.loads(payload or "{}")
        except ValueError:
            info = {}
        kind = info.get("kind", "need")
        reason = info.get("reason", "other")
        if kind not in ("need", "meeting", "priority", "action"):
            return None
        if reason not in ("spam", "erasure", "personal_data", "other"):
            reason = "other"
        shared_key = self.key(kind, key) if str(key).isdigit() else str(key)
        return _DUMP["retraction"].dump(
            {"origin": self.origin, "seq": seq, "key": shared_key, "kind": kind, "reason": reason}
        )

    def meeting(self, key: str, seq: int) -> dict | None:
        row = meetings_store.get(self.db, int(key)) if key.isdigit() else None
        if row is None or row["status"] != "closed":
            return None
        cells = meetings_store.attendance(self.db, row["id"])
        return _DUMP["meeting"].dump(
            {
                "origin": self.origin,
                "seq": seq,
                "key": self.key("meeting", row["id"]),
                "title": self.text(row["title"], checked=False),
                "locality": row["locality"],
                "week": week_of(row["date"]) or week_of(row["opened_at"]),
                "attendance": [
                    {"gender": g, "age_band": a, "count": n} for (g, a), n in sorted(cells.items())
                ],
            }
        )

    def priority(self, key: str, seq: int) -> dict | None:
        from app.store import council, priorities

        row = priorities.get(self.db, int(key)) if key.isdigit() else None
        if row is None:
            return None
        names = council.respondent_names(self.db, row["id"])
        checked = row["text_checked"]
        return _DUMP["priority"].dump(
            {
                "origin": self.origin,
                "seq": seq,
                "key": self.key("priority", row["id"]),
                "title": self.text(row["title"], checked=checked, names=names),
                "description": self.text(row["description"] or None, checked=checked, names=names),
                "goals": row["goals"],
                "locality": row["locality"],
                "rank": row["rank"],
                "status": row["status"],
                "needs": [
                    self.key("need", n["id"]) for n in priorities.needs_of(self.db, row["id"])
                ],
                "week": week_of(row["created_at"]),
            }
        )

    def action(self, key: str, seq: int) -> dict | None:
        from app.store import actions, council

        row = actions.get(self.db, int(key), today=dt.date.today()) if key.isdigit() else None
        if row is None:
            return None
        names = council.respondent_names(self.db, row["priority_id"])
        checked = bool(row["text_checked"])
        notes = sorted(actions.notes(self.db, row["id"]), key=lambda n: (n["date"], n["id"]))
        return _DUMP["action"].dump(
            {
                "origin": self.origin,
                "seq": seq,
                "key": self.key("action", row["id"]),
                "priority": self.key("priority", row["priority_id"]),
                "what": self.text(row["what"], checked=checked, names=names),
                "responsible": self.text(row["responsible"] or None, checked=checked, names=names),
                "status": row["status"],
                "budget_amount": row["budget_amount"],
                "budget_currency": row["budget_currency"],
                "start_week": week_of(row["start_date"]),
                "due_week": week_of(row["due_date"]),
                "done_week": week_of(row.get("done_date")),
                "progress": [
                    {
                        "week": week_of(n["date"]),
                        "note": self.text(n["note"], checked=checked, names=names),
                    }
                    for n in notes
                ],
            }
        )

    def enrolment(self, key: str, seq: int) -> dict | None:
        row = sync_inbox.node(self.db, key)
        if row is None:
            return None
        return _DUMP["enrolment"].dump(
            {
                "origin": self.origin,
                "seq": seq,
                "key": row["node_id"],
                "public_key": row["public_key"],
                "locality": row["locality"],
                "level": row["level"] or "community",
            }
        )

    def build(self, event: dict) -> tuple[str, dict] | None:
        kind = RECORD_KIND.get(event["kind"])
        if kind is None:
            return None
        key, seq = str(event["record"]), event["seq"]
        try:
            if kind == "retraction":
                rec = self.retraction(key, seq, event.get("payload"))
            else:
                rec = getattr(self, kind)(key, seq)
        except Exception:  # one bad record must not stop the node from syncing
            log.exception("could not build the shared form of %s %s", kind, key)
            return None
        return (kind, rec) if rec is not None else None


def identity(kind: str, rec: dict) -> tuple:
    """What makes two records the same record (a later one replaces it)."""
    if kind == "retraction":
        return ("retraction", rec["kind"], rec["key"])
    return (kind, rec["key"])


def shared_records(db, events: list[dict]) -> list[tuple[str, dict]]:
    """The shared records for EVENTS (in seq order); when one record changed several
    times, only its latest state (highest seq) is kept."""
    anon = Anonymizer(db)
    latest: dict[tuple, tuple[str, dict]] = {}
    for event in events:
        built = anon.build(event)
        if built is not None:
            latest[identity(*built)] = built
    # a record retracted later in the same batch does not travel at all
    for kind, rec in list(latest.values()):
        if kind == "retraction":
            older = latest.get((rec["kind"], rec["key"]))
            if older is not None and older[1]["seq"] < rec["seq"]:
                del latest[(rec["kind"], rec["key"])]
    return sorted(latest.values(), key=lambda kr: kr[1]["seq"])
