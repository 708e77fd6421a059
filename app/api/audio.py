"""PUT/GET /api/v1/needs/<uuid>/audio: a need's one audio note (at most
2 MiB, webm, ogg, mp4, mpeg or wav; personal data that never leaves the node)."""

from flask import g, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.auth.permissions import requires
from app.capture import audio
from app.database import get_db
from app.errors import AppError
from app.store import needs as store

from .blueprint import bp


def _need(uuid: str) -> dict:
    need = store.by_uuid(get_db(), uuid)
    if need is None or need["removed"]:
        raise AppError(404)
    return need


@bp.route("/needs/<uuid>/audio", methods=["PUT"])
@requires("capture")
def put_audio(uuid):
    need = _need(uuid)
    kind = audio.declared(request.headers.get("Content-Type"))
    if kind is None:
        raise AppError(
            415,
            "unsupported_media_type",
            audio.NOT_AUDIO,
            details={"content_type": ["Must be one of: " + ", ".join(audio.FORMATS) + "."]},
        )
    request.max_content_length = audio.MAX_AUDIO
    try:
        path, sniffed = audio.read_upload(request.stream, request.content_length)
    except audio.AudioError as exc:
        raise exc.app_error() from None
    except RequestEntityTooLarge:
        raise audio.AudioError(413, "too_large", audio.TOO_LARGE).app_error() from None
    if sniffed != kind:
        from app.store import audio as audio_store

        audio_store.discard(path)
        raise AppError(
            422,
            "not_audio",
            audio.NOT_AUDIO,
            details={"body": [f"The body is not {kind}."]},
        )
    audio.store_for(need, path, kind, g.get("user"))
    return "", 204


@bp.route("/needs/<uuid>/audio")
@requires("read_needs")
def get_audio(uuid):
    return audio.playback(store.by_uuid(get_db(), uuid))
