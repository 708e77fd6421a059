"""The one rule that decides what of a free text leaves the node's private side.

A text (a need's text, a meeting title, a priority's title or description, an
action's what and responsible, a progress note) is shown on a public page (status
lookup, board, notices, Open311, SMS answers) and sent to the parent in exactly one
form, the one `Rule.text` gives, or not at all (None):

    share_text = never     no text
    share_text = reviewed  only texts a person marked checked (text_checked);
                           meeting titles have no such mark and stay home
    share_text = scrubbed  every text
    and always scrubbed (app.privacy.scrub) with the node's country, every
    respondent name stored on the node (a council member may write "Ask Peter
    Banda" into a priority; a need may name another need's respondent), and the
    record's own respondents' contacts.

sync.anonymize (the shared form) and app.privacy.public_text (public pages) both
call it; nothing else decides."""

from app.node import settings
from app.privacy.scrub import scrub
from app.store import council as council_store
from app.store.db import is_postgres
from schema.need import AUDIO_ONLY_TEXT

POLICIES = ("reviewed", "scrubbed", "never")


def known_names(db) -> tuple[str, ...]:
    """Every respondent name stored on the node, sorted (see _known)."""
    return _known(db)[0]


def _known(db) -> tuple[tuple[str, ...], frozenset]:
    """Every respondent name stored on the node, sorted (one stable tuple, so the
    scrubber's cache of name parts is hit for every text), read again only after a
    write (this connection's or another's: total_changes and data_version tell).
    PostgreSQL has no such cheap, exact signal: there the names are read each time
    (a national node holds few needs of its own)."""
    if is_postgres(db):
        names = tuple(sorted({n for n in council_store.all_respondent_names(db) if n}))
        return names, frozenset(names)
    version = (db.conn.total_changes, db.execute("PRAGMA data_version").fetchone()[0])
    cached = getattr(db, "_sauti_known_names", None)
    if cached is None or cached[0] != version:
        names = tuple(sorted({n for n in council_store.all_respondent_names(db) if n}))
        cached = (version, names, frozenset(names))
        db._sauti_known_names = cached
    return cached[1], cached[2]


def _respondent(need: dict) -> tuple[str | None, str | None]:
    """(name, contact) of a need row in either shape (store row or API form)."""
    respondent = need.get("respondent") or {}
    name = need.get("respondent_name") or respondent.get("name")
    contact = need.get("respondent_contact") or respondent.get("contact")
    return name, contact


class Rule:
    """The node's text rule, its settings read once."""

    def __init__(self, db, *, policy: str | None = None):
        self.db = db
        self._names = None  # PostgreSQL: the respondent names, read once per Rule
        self.policy = policy or settings.get(db, "share_text")
        self.country = settings.get(db, "country")

    def allowed(self, checked: bool) -> bool:
        return self.policy == "scrubbed" or (self.policy == "reviewed" and bool(checked))

    def scrubbed(self, text: str | None, *, names=(), contacts=()) -> str:
        """TEXT scrubbed as it would leave (whatever the policy): for previews."""
        if not text:
            return ""
        if is_postgres(self.db):
            if self._names is None:  # a page or a build: one read, not one per text
                self._names = _known(self.db)
            known, known_set = self._names
        else:
            known, known_set = _known(self.db)
        extra = sorted({n for n in names if n} - known_set)
        every = known + tuple(extra) if extra else known
        return scrub(text, country=self.country, names=every, contacts=[c for c in contacts if c])

    def text(self, text: str | None, *, checked: bool, names=(), contacts=()) -> str | None:
        """The one shared and public form of TEXT, or None when it stays home."""
        if text is None or not self.allowed(checked):
            return None
        return self.scrubbed(text, names=names, contacts=contacts) or None

    def need_text(self, need: dict) -> str | None:
        name, contact = _respondent(need)
        if need.get("hidden") or need.get("removed"):
            return None
        if need.get("text") == AUDIO_ONLY_TEXT:  # captured by an audio note alone: no text
            return None
        return self.text(
            need.get("text"), checked=need.get("text_checked"), names=[name], contacts=[contact]
        )

    def need_preview(self, need: dict) -> str:
        """What the need's text would be once checked (the review screen)."""
        name, contact = _respondent(need)
        return self.scrubbed(need.get("text"), names=[name], contacts=[contact])
