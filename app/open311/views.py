"""Open311 GeoReport v2 under /open311/v2/: services from the node's categories,
requests readable by reference code and as a list, reports posted with a token
(or under the kiosk's rules). Texts only in their public form
(app.privacy.public_text), never respondent data; errors as Open311's
[{"code", "description"}]."""

import datetime as dt
import uuid as uuidlib

from flask import g, jsonify, request
from werkzeug.exceptions import HTTPException

from app import i18n
from app.auth import tokens
from app.auth.permissions import allowed, public
from app.capture import needs
from app.database import get_db
from app.errors import AppError
from app.i18n.labels import CATEGORIES
from app.node import settings
from app.privacy import public_text
from app.public.ratelimit import rate_limited
from app.public.views import KIOSK_MAX_TEXT, normalize_ref
from app.store import categories as category_store
from app.store import council as council_store
from app.store import localities as register
from app.store import needs as store
from app.store import users

from .blueprint import bp

CLOSED = ("resolved", "set_aside", "merged")
LIST_LIMIT = 200  # requests in one answer, newest first
MAX_PAGES = 10  # board pages read for one answer


def _error(status: int, description: str):
    return jsonify([{"code": status, "description": description}]), status


@bp.errorhandler(AppError)
def app_error(exc: AppError):
    details = "; ".join(f"{k}: {' '.join(map(str, v)) if isinstance(v, list) else v}"
                        for k, v in exc.details.items())  # fmt: skip
    return _error(exc.status, str(exc.message) + (f" ({details})" if details else ""))


@bp.errorhandler(HTTPException)
def http_error(exc: HTTPException):
    return _error(exc.code or 400, exc.description or exc.name)


def _label(row: dict) -> str:
    return str(row["label"] or CATEGORIES.get(row["code"], row["code"]))


@bp.route("/services.json")
@public
def services():
    return jsonify([
        {"service_code": r["code"], "service_name": _label(r), "description": _label(r),
         "metadata": False, "type": "realtime", "keywords": r["code"], "group": "needs"}
        for r in category_store.rows(get_db())
    ])  # fmt: skip


def _date(iso: str | None) -> str | None:
    return iso[:10] if iso else None


def _request(db, need: dict, names: dict) -> dict:
    text = None
    if not need["hidden"]:
        shown = dict(need, respondent_name=(need.get("respondent") or {}).get("name"))
        text = public_text.need_text(db, shown, settings.get(db, "share_text"))
    return {
        "service_request_id": need["ref"],
        "status": "closed" if need["status"] in CLOSED else "open",
        "status_notes": need["status"],
        "service_code": need["category"],
        "description": text or "",
        "requested_datetime": _date(need["received_at"]),
        "updated_datetime": _date(need["updated_at"]),
        "address": names.get(need["locality"]) or need["locality"],
    }


@bp.route("/requests/<ref>.json")
@public
@rate_limited("status", limit=10, per=60)
def one_request(ref):
    db = get_db()
    need = store.by_ref(db, normalize_ref(ref)) if len(ref) <= 40 else None
    if need is None or need.get("removed"):
        return _error(404, "No need has this reference code.")
    return jsonify([_request(db, need, register.names(db, i18n.current().code))])


def _day(name: str) -> str | None:
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw[:10]).isoformat()
    except ValueError:
        raise AppError(400, "invalid", details={name: ["Use a date such as 2026-01-31."]}) from None


@bp.route("/requests.json", methods=["GET"])
@public
def list_requests():
    db = get_db()
    status = request.args.get("status", "").strip()
    if status not in ("", "open", "closed"):
        raise AppError(400, "invalid", details={"status": ["Use open or closed."]})
    start, end = _day("start_date"), _day("end_date")
    codes = {c for c in request.args.get("service_code", "").split(",") if c.strip()}
    names = register.names(db, i18n.current().code)
    out = []
    for page in range(1, MAX_PAGES + 1):  # the board's needs, newest first, bounded
        rows, total = council_store.needs_with_status(db, page=page, per_page=LIST_LIMIT)
        for row in rows:
            need = store.by_id(db, row["id"])
            if need is None or need["hidden"] or need.get("removed"):
                continue
            item = _request(db, need, names)
            if codes and item["service_code"] not in codes or status and item["status"] != status:
                continue
            day = item["requested_datetime"] or ""
            if start and day < start or end and day > end:
                continue
            out.append(item)
            if len(out) >= LIST_LIMIT:
                return jsonify(out)
        if page * LIST_LIMIT >= total:
            break
    return jsonify(out)


def _reporter() -> tuple[dict | None, bool]:
    """(user, hidden): a capturing role's api_key, or nobody while the kiosk is on."""
    key = request.form.get("api_key", "").strip()
    db = get_db()
    if key:
        user = users.user_for_token(db, tokens.token_hash(key), key[: tokens.PREFIX_LENGTH])
        if user is None:
            raise AppError(401)
        if not allowed(user["role"], "capture"):
            raise AppError(403)
        return user, False
    if settings.get(db, "kiosk") == "on":
        return None, True
    raise AppError(401)


@bp.route("/requests.json", methods=["POST"])
@public
@rate_limited("kiosk", limit=20, per=600, methods=("POST",))
def post_request():
    user, hidden = _reporter()
    g.user = user
    form = request.form
    if hidden and len(form.get("description", "").strip()) > KIOSK_MAX_TEXT:
        raise AppError(422, "invalid", details={"description": [
            f"At most {KIOSK_MAX_TEXT} characters under the kiosk's rules."]})  # fmt: skip
    data = {
        "uuid": str(uuidlib.uuid4()),
        "text": form.get("description", ""),
        "language": i18n.current().tag,
        "category": form.get("service_code", ""),
        "channel": "facilitator" if user else "self",
    }
    name = " ".join(p for p in (form.get("first_name", "").strip(),
                                form.get("last_name", "").strip()) if p)  # fmt: skip
    contact = form.get("email", "").strip() or form.get("phone", "").strip()
    if name or contact:
        data["respondent"] = {k: v for k, v in (("name", name), ("contact", contact)) if v}
        data["consent"] = True
    stored, _created = needs.capture(data, hidden=hidden)
    return jsonify([{"service_request_id": stored["ref"]}])
