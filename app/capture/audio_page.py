"""Audio notes on the capture pages: the file picked on the capture form
(kept while the form is corrected), playback on the need's page, and what the
templates need to show a need captured by audio alone."""

import uuid as uuid_mod

from flask import g, request

from app.auth.permissions import requires
from app.capture import audio, needs
from app.database import get_db
from app.extensions import csrf
from app.store import audio as audio_store
from app.store import needs as store
from schema.need import AUDIO_ONLY_TEXT

from .blueprint import bp
from .view_helpers import need_or_404

# The whole capture request: the recording plus the form's fields and multipart overhead.
FORM_LIMIT = audio.MAX_AUDIO + 128 * 1024


@bp.app_context_processor
def _audio_helpers():
    return {"audio_only_text": AUDIO_ONLY_TEXT, "need_audio_playable": playable}


def playable(need: dict) -> bool:
    """Whether the signed-in user may hear the need's recording, and there is one."""
    return (
        not need.get("removed")
        and needs.may_see_respondent(need)
        and audio_store.get(get_db(), need["uuid"]) is not None
    )


@bp.route("/needs/<ref>/audio")
@requires("read_needs")
def need_audio(ref):
    """The need's recording for the council and the facilitator who captured it."""
    return audio.playback(need_or_404(ref))


def form_uuid(form) -> str | None:
    """The capture form's uuid in its stored (canonical) form, or None."""
    try:
        return str(uuid_mod.UUID(form.get("uuid", "").strip()))
    except ValueError:
        return None


def accept_large_form() -> None:
    """The capture form may carry a recording: this view raises the 64 KB limit
    and checks CSRF itself (app.factory.SELF_CHECKED_CSRF)."""
    request.max_content_length = FORM_LIMIT
    request.max_form_memory_size = 512 * 1024
    csrf.protect()


def receive_form_audio(form, files) -> tuple[bool, str | None]:
    """Keep a recording picked on the capture form under the form's uuid (before
    the need is stored, so it survives a form that has to be corrected).
    Returns (the form has a recording kept, error message or None). A uuid that
    already names a stored need gets nothing attached here."""
    key = form_uuid(form)
    if key is None:
        return False, None
    db = get_db()
    upload = files.get("audio")
    error = None
    if upload is not None and upload.filename:
        try:
            path, kind = audio.read_upload(upload.stream)
        except audio.AudioError as exc:
            error = str(exc.message)
        finally:
            upload.close()  # the spooled upload file, closed at once
        if error is None:
            if store.by_uuid(db, key) is None:
                user = g.get("user")
                audio_store.put(db, key, path, kind, user_id=user["id"] if user else None)
            else:
                audio_store.discard(path)
    kept = store.by_uuid(db, key) is None and audio_store.get(db, key) is not None
    return kept, error


def fill_audio_only(data: dict, kept: bool) -> dict:
    """A form with a recording and no text is a need captured by audio alone."""
    if kept and not str(data.get("text", "")).strip():
        data["text"] = AUDIO_ONLY_TEXT
    return data


def keep_audio_only(need: dict, data: dict) -> dict:
    """An edit of a need captured by audio alone that leaves the text empty keeps it so."""
    if need["text"] == AUDIO_ONLY_TEXT and not str(data.get("text", "")).strip():
        data["text"] = AUDIO_ONLY_TEXT
    return data


def has_audio(need: dict) -> bool:
    return audio_store.get(get_db(), need["uuid"]) is not None
