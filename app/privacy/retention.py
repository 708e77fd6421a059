"""Respondent contacts are kept `contact_retention_days` (setting), then erased;
audio notes are kept `audio_retention_days` (setting, counted from when the
note was first stored), then erased (app.store.audio.erase_before: also notes of
removed needs, notes whose need never came, and files left by a cut-off upload).

The job runs inside `sauti serve` two minutes after start and then every six
hours, so a box that is switched off at night still erases on time (within a
few hours of expiry). Only the contact is erased; the need itself, its text
and the respondent's name stay (the name is personal data kept on the node,
never shared). Where the contact was written in the text (and its history) it
becomes [contact] there too: once erased, the scrubber could no longer know it,
and a later shared version of the text would carry it. Each erasure is recorded in need_history (action "retention")
without the erased value.
"""

import datetime as dt
import logging

from app.node import clock, settings
from app.node.home import Home
from app.privacy.scrub.contacts import clean_contacts, contact_spans
from app.store import audio, intake

log = logging.getLogger(__name__)


def erase_expired(db, now: dt.datetime | None = None) -> int:
    """Erase the contacts of needs received more than the retention period ago."""
    days = settings.get_int(db, "contact_retention_days")
    now = now or clock.now()
    cutoff = (now.astimezone(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    return intake.erase_contacts_before(db, cutoff, rewrite=without_contact)


def without_contact(text: str, contact: str) -> str:
    """TEXT with every appearance of CONTACT (as stored, or its digits) as [contact]."""
    spans = contact_spans(text, clean_contacts(contact))
    out, pos = [], 0
    for start, end in sorted(spans):
        if start < pos:
            start = pos
        if start >= end:
            continue
        out += [text[pos:start], "[contact]"]
        pos = end
    return "".join(out) + text[pos:]


def _run(home: Home, erase, what: str) -> int:
    """One retention job: ERASE(db) on its own connection, and one log line when it
    erased anything (WHAT names it, with the count)."""
    db = home.connect()
    try:
        erased = erase(db)
    finally:
        db.close()
    if erased:
        log.info("retention: erased %s", what % erased)
    return erased


def erase_old_contacts(home: Home) -> int:
    return _run(home, erase_expired, "the respondent contact of %d needs")


def erase_expired_audio(db, now: dt.datetime | None = None) -> int:
    """Erase the audio notes stored more than the audio retention period ago."""
    days = settings.get_int(db, "audio_retention_days")
    now = now or clock.now()
    cutoff = (now.astimezone(dt.UTC) - dt.timedelta(days=days)).isoformat(timespec="seconds")
    return audio.erase_before(db, cutoff, now=now)


def erase_old_audio(home: Home) -> int:
    return _run(home, erase_expired_audio, "%d audio notes")
