"""What a public page (board, notices, SMS) may show of free text: only
scrubbed text (app.privacy.scrub), and need texts only as the node's `share_text`
setting allows ("reviewed": texts marked checked; "scrubbed": all; "never":
none). Counts below the `k` setting are not shown.

The scrubber finds names only when told them. Public pages pass it every
respondent name stored on this node, not only the need's own: a council
member may well write "Ask Peter Banda" into a priority or a progress note.
That over-scrubs a little (a name that is also a word is replaced wherever
the word occurs), which is the safe side for a public page."""

from app.node import settings
from app.privacy.scrub import scrub
from app.store import council as council_store
from schema.need import AUDIO_ONLY_TEXT


def country(db) -> str | None:
    return settings.get(db, "country")


def k(db) -> int:
    return settings.get_int(db, "k")


def known_names(db) -> list[str]:
    """Every respondent name stored on the node, read again only after a write
    (this connection's or another's: total_changes and data_version tell)."""
    version = (db.conn.total_changes, db.execute("PRAGMA data_version").fetchone()[0])
    cached = getattr(db, "_sauti_known_names", None)
    if cached is None or cached[0] != version:
        cached = (version, council_store.all_respondent_names(db))
        db._sauti_known_names = cached
    return cached[1]


def scrubbed(db, text: str | None, names=()) -> str:
    """TEXT with personal data replaced by placeholders ([phone], [name] ...)."""
    if not text:
        return ""
    every = [n for n in (*names, *known_names(db)) if n]
    return scrub(text, country=country(db), names=every)


def need_text(db, need: dict, policy: str) -> str | None:
    """The need's text as a public page may show it, or None when withheld."""
    if policy == "never" or (policy == "reviewed" and not need.get("text_checked")):
        return None
    if need["text"] == AUDIO_ONLY_TEXT:  # captured by an audio note alone: no text
        return None
    text = scrubbed(db, need["text"], [need.get("respondent_name")])
    contact = (need.get("respondent_contact") or "").strip()
    if len(contact) >= 4 and contact in text:  # belt and braces: never the contact itself
        text = text.replace(contact, "[email]" if "@" in contact else "[phone]")
    return text
