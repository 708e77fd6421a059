"""Capturing and reading needs: the rules shared by the API and the pages.

Views call these; these call the data layer (app.store.needs) and the schemas.
"""


from flask import g
from marshmallow import ValidationError

from app.database import get_db, node
from app.errors import AppError
from app.store import categories as category_store
from app.store import events
from app.store import needs as store
from app.store.db import disk_full
from schema.need import NeedEditSchema, NeedInSchema, NeedOutSchema, submission_hash

_out = NeedOutSchema()
PERSONAL = ("respondent",)


def categories() -> dict:
    """The node's active categories (code -> schema Category), once per request."""
    if "sauti_categories" not in g:
        g.sauti_categories = category_store.table(get_db())
    return g.sauti_categories


def capture(
    data: dict, *, hidden: bool = False, meeting_id: int | None = None
) -> tuple[dict, bool]:
    """Validate and store one need; (stored, created). Raises AppError 422/409.

    MEETING_ID files the need under an open meeting (the caller checks that
    it is open and sets channel "meeting")."""
    schema = NeedInSchema(node_locality=node()["locality"], categories=categories())
    try:
        need = schema.load(data)
    except ValidationError as exc:
        raise AppError(422, "invalid", details=exc.messages) from None
    digest = submission_hash(need)
    user = g.get("user")
    try:
        stored, created = store.insert(
            get_db(),
            need,
            submission_hash=digest,
            ref_prefix=store.ref_prefix(need["locality"]),
            captured_by=user["id"] if user else None,
            hidden=hidden,
            meeting_id=meeting_id,
            on_insert=_log_capture,
        )
    except Exception as exc:
        if disk_full(exc):  # rolled back: nothing half-stored; the client keeps the need
            raise AppError(507) from None
        raise
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


def edit(need: dict, data: dict) -> tuple[dict, dict]:
    """Validate an edit (NeedEditSchema, the node's rules) and store it with
    its audit trail; returns (need, {field: [old, new]}). Raises AppError 422."""
    schema = NeedEditSchema(node_locality=node()["locality"], categories=_edit_categories(need))
    try:
        values = schema.load(data)
    except ValidationError as exc:
        raise AppError(422, "invalid", details=exc.messages) from None
    user = g.get("user")
    return store.update(
        get_db(),
        need["id"],
        values,
        user_id=user["id"] if user else None,
        role=user["role"] if user else None,
    )


def _edit_categories(need: dict) -> dict:
    """Active categories, plus the need's own one even if it was retired since."""
    table = dict(categories())
    if need["category"] not in table:
        row = category_store.get(get_db(), need["category"])
        if row is not None:
            from schema.categories import Category

            table[row["code"]] = Category(row["code"], tuple(row["goals"]), row["icon"])
    return table


def mark_checked(need: dict) -> dict:
    user = g.get("user")
    return store.mark_text_checked(
        get_db(),
        need["id"],
        user_id=user["id"] if user else None,
        role=user["role"] if user else None,
    )


def scrubbed(need: dict) -> tuple[str, list[dict]]:
    """The text exactly as it would be shared once checked (app.privacy.sharing, the
    one rule), and its pieces for the review screen (app.privacy.review.pieces):
    [{"text": str, "placeholder": bool, "suspect": bool}], every placeholder and every
    word that may still be a name its own piece."""
    from app.privacy import review
    from app.privacy.sharing import Rule

    shared = Rule(get_db()).need_preview(need)
    return shared, review.pieces(shared)
