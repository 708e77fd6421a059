"""Capturing and reading needs: the rules shared by the API and the pages.

Views call these; these call the data layer (app.store.needs) and the schemas.
"""

from flask import g
from marshmallow import ValidationError

from app.database import get_db, node
from app.errors import AppError
from app.store import events
from app.store import needs as store
from schema.need import NeedInSchema, NeedOutSchema, submission_hash

_out = NeedOutSchema()
PERSONAL = ("respondent",)


def capture(data: dict, *, hidden: bool = False) -> tuple[dict, bool]:
    """Validate and store one need; (stored, created). Raises AppError 422/409."""
    schema = NeedInSchema(node_locality=node()["locality"])
    try:
        need = schema.load(data)
    except ValidationError as exc:
        raise AppError(422, "invalid", details=exc.messages) from None
    digest = submission_hash(need)
    user = g.get("user")
    stored, created = store.insert(
        get_db(),
        need,
        submission_hash=digest,
        ref_prefix=store.ref_prefix(need["locality"]),
        captured_by=user["id"] if user else None,
        hidden=hidden,
        on_insert=_log_capture,
    )
    if not created and stored["submission_hash"] != digest:
        raise AppError(
            409,
            "uuid_conflict",
            details={"uuid": ["This uuid was already used for a different need."]},
        )
    return stored, created


def _log_capture(db, need: dict) -> None:
    """Inside the insert's transaction: record the new need in the event log.
    Kiosk needs (hidden) are logged when a council member accepts them."""
    if not need["hidden"]:
        events.append(db, "need", need["id"])


def may_see_respondent(need: dict) -> bool:
    user = g.get("user")
    if not user:
        return False
    if user["role"] == "council":
        return True
    return user["role"] == "facilitator" and need.get("captured_by") == user["id"]


def public_form(need: dict) -> dict:
    """The need as the signed-in user may see it (API shape)."""
    shown = _out.dump(need)
    if not may_see_respondent(need):
        for key in PERSONAL:
            shown.pop(key, None)
    return shown
