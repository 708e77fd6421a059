"""Audio notes as the API and the pages take and give them: the accepted
formats (declared and recognised by their first bytes), reading an upload in a
bounded way, and who may store or hear a note. The bytes are kept by
app.store.audio (a file beside the database; it never leaves the node)."""

import io
from pathlib import Path

from flask import Response, send_file
from flask_babel import lazy_gettext as _l

from app.capture import needs
from app.database import get_db
from app.errors import AppError
from app.store import audio as audio_store
from schema.need import AUDIO_TYPES as FORMATS

MAX_AUDIO = 2_097_152
CHUNK = 64 * 1024
ALIASES = {
    "audio/x-wav": "audio/wav",
    "audio/wave": "audio/wav",
    "audio/vnd.wave": "audio/wav",
    "audio/x-m4a": "audio/mp4",
    "audio/m4a": "audio/mp4",
    "audio/mp3": "audio/mpeg",
    "audio/x-mpeg": "audio/mpeg",
}


class AudioError(Exception):
    """An upload refused: STATUS (413, 415, 422), a stable CODE and a message."""

    def __init__(self, status: int, code: str, message):
        super().__init__(code)
        self.status, self.code, self.message = status, code, message

    def app_error(self) -> AppError:
        return AppError(self.status, self.code, self.message, details={"audio": [str(self.message)]})


TOO_LARGE = _l("An audio note can be at most 2 MB (about two minutes).")
NOT_AUDIO = _l("This is not a recording this node can keep: use webm, ogg, m4a/mp4, mp3 or wav.")


def declared(content_type: str | None) -> str | None:
    """The canonical format of a Content-Type header, or None when not accepted."""
    kind = (content_type or "").split(";", 1)[0].strip().lower()
    kind = ALIASES.get(kind, kind)
    return kind if kind in FORMATS else None


def sniff(head: bytes) -> str | None:
    """The format the first bytes of a file show, or None."""
    if head[:4] == b"\x1a\x45\xdf\xa3":  # EBML (WebM)
        return "audio/webm"
    if head[:4] == b"OggS":
        return "audio/ogg"
    if head[4:8] == b"ftyp":  # ISO base media (mp4, m4a, 3gp)
        return "audio/mp4"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head[:3] == b"ID3":
        return "audio/mpeg"
    if len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06:
        return "audio/mpeg"  # an MPEG audio frame (layer bits set: not AAC ADTS)
    return None


def read_upload(stream, length: int | None = None) -> tuple[Path, str]:
    """Copy STREAM (at most MAX_AUDIO bytes) into a new upload file of the audio
    folder; returns (path, sniffed format). Raises AudioError (the file wiped)."""
    if length is not None and length > MAX_AUDIO:
        raise AudioError(413, "too_large", TOO_LARGE)
    path = audio_store.new_upload(get_db())
    size = 0
    try:
        with open(path, "wb") as out:
            while True:
                chunk = stream.read(min(CHUNK, MAX_AUDIO + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > MAX_AUDIO:
                    raise AudioError(413, "too_large", TOO_LARGE)
                out.write(chunk)
        with open(path, "rb") as f:
            kind = sniff(f.read(16))
        if size == 0 or kind is None:
            raise AudioError(422, "not_audio", NOT_AUDIO)
    except BaseException:
        audio_store.discard(path)
        raise
    return path, kind


def may_replace(need: dict) -> bool:
    """Whether the signed-in user may replace the need's existing note: only
    who may hear it (a note is never overwritten unheard)."""
    return needs.may_see_respondent(need)


def store_for(need: dict, path: Path, kind: str, user: dict | None) -> None:
    """Store PATH as the note of NEED, unless it has one the user may not hear (403)."""
    db = get_db()
    if audio_store.get(db, need["uuid"]) is not None and not may_replace(need):
        audio_store.discard(path)
        raise AppError(403)
    audio_store.put(db, need["uuid"], path, kind, user_id=user["id"] if user else None)


def playback(need: dict | None) -> Response:
    """The need's note for someone who may see its respondent; 404 when there is none."""
    if need is None or need.get("removed"):
        raise AppError(404)
    if not needs.may_see_respondent(need):
        raise AppError(403)
    note = audio_store.get(get_db(), need["uuid"])
    if note is None:
        raise AppError(404)
    data = note["path"].read_bytes()[: MAX_AUDIO + 1]  # at most 2 MiB, file closed at once
    response = send_file(
        io.BytesIO(data), mimetype=note["content_type"], conditional=True, etag=False, max_age=0
    )
    response.headers["Cache-Control"] = "no-store, private"
    response.headers["Content-Disposition"] = "inline"
    return response
