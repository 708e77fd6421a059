"""API: the inbound SMS webhook (POST /api/v1/sms) for Android SMS-gateway apps.

Off until the `sms_secret` setting is set (404). The gateway proves itself with
that secret, sent as a `secret` form field, an `X-Sauti-Secret` header or a
`?secret=` query parameter (compared in constant time; 403 when wrong).

Fields (form-encoded or JSON; common gateway spellings accepted):
  from      sender number        (also `phoneNumber`, `sender`, `phone`)
  text      the message          (also `message`, `body`)
  sent_at   when it was sent     (also `sent_timestamp`, `receivedAt`, `timestamp`;
                                  ISO 8601 or Unix seconds/milliseconds)
  id        gateway message id   (also `message_id`, `messageId`)

A need is stored with channel `sms`, the node's default language, category
`other`, the sender's number as respondent contact (consent: the sender chose
to write) and a uuid derived from the message id (else sender, time and text),
so a gateway that retries stores one need. Answers 201 (new) or 200 (already
stored) with the reference code and a `reply` text the gateway may send back.
"""

import datetime as dt
import hmac
import uuid

from flask import jsonify, request
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import i18n
from app.api.request_json import json_object
from app.auth.permissions import public
from app.capture import needs
from app.database import get_db, node
from app.errors import AppError
from app.node import settings
from app.public.ratelimit import rate_limited

from .blueprint import bp
from .request_json import field_errors

NAMESPACE = uuid.UUID("5a0d1e2c-0b7e-4f51-9a43-736d73000001")  # Sauti SMS uuid5 namespace
ALIASES = {
    "from": ("from", "phoneNumber", "phone_number", "sender", "phone"),
    "text": ("text", "message", "body"),
    "sent_at": ("sent_at", "sent_timestamp", "sentAt", "receivedAt", "timestamp"),
    "id": ("id", "message_id", "messageId"),
}


def _fields() -> dict:
    """The request's fields, from a form or a JSON object (with a `payload` object
    merged in, as some gateways wrap the message)."""
    if request.is_json:
        body = json_object()
        payload = body.get("payload")
        if isinstance(payload, dict):
            body = {**body, **payload}
        return {k: v for k, v in body.items() if isinstance(v, str | int | float)}
    return request.form.to_dict()


def _pick(fields: dict, name: str) -> str:
    for alias in ALIASES[name]:
        value = fields.get(alias)
        if value is not None and str(value).strip():
            return str(value).strip()
    return ""


def _secret_ok(expected: str, fields: dict) -> bool:
    given = (
        request.headers.get("X-Sauti-Secret")
        or str(fields.get("secret") or "")
        or request.args.get("secret", "")
    )
    return hmac.compare_digest(given.strip().encode(), expected.encode())


def _captured_at(raw: str) -> str | None:
    """ISO 8601 as sent, or a Unix time (s or ms) converted; None when unreadable."""
    if not raw:
        return None
    if raw.isdigit():
        number = int(raw)
        seconds = number / 1000 if number > 10**11 else number
        try:
            return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")
        except (OverflowError, OSError, ValueError):
            return None
    try:
        dt.datetime.fromisoformat(raw)
    except ValueError:
        return None
    return raw


def message_uuid(sender: str, text: str, sent_at: str, message_id: str) -> str:
    """The need uuid of one message: the same for every retry of it."""
    if message_id:
        name = f"sms-id\n{sender}\n{message_id}"
    else:
        name = f"sms\n{sender}\n{sent_at}\n{text}"
    return str(uuid.uuid5(NAMESPACE, name))


@bp.route("/sms", methods=["POST"])
@public
@rate_limited("sms", limit=60, per=60)
def sms_webhook():
    expected = settings.get(get_db(), "sms_secret")
    if not expected:
        raise AppError(404)
    fields = _fields()
    if not _secret_ok(expected, fields):
        raise AppError(403, "bad_secret", _l("The SMS webhook secret is missing or wrong."))
    sender, text = _pick(fields, "from"), _pick(fields, "text")
    errors = {}
    if not sender:
        errors["from"] = ["Missing data for required field."]
    if not text:
        errors["text"] = ["Missing data for required field."]
    if errors:
        raise field_errors(errors)
    sent_at = _pick(fields, "sent_at")
    data = {
        "uuid": message_uuid(sender, text, sent_at, _pick(fields, "id")),
        "text": text,
        "language": node()["language"],
        "category": "other",
        "channel": "sms",
        "respondent": {"contact": sender[:200]},
        "consent": True,  # the sender chose to write
    }
    captured_at = _captured_at(sent_at)
    if captured_at:
        data["captured_at"] = captured_at
    stored, created = needs.capture(data)
    with force_locale(i18n.match(node()["language"]) or i18n.DEFAULT):
        reply = _(
            "Thank you, your message was received. Reference code: %(ref)s",
            ref=stored["ref"],
        )
    return jsonify(
        {
            "ref": stored["ref"],
            "status": stored["status"],
            "created": created,
            "reply": reply,
            # SMSSync expects {"payload": {"success": true}}
            "payload": {"success": True, "error": None},
        }
    ), 201 if created else 200
