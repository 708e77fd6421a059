"""Public pages without sign-in: the citizen kiosk and the status lookup.

Neither ever shows respondent data. The kiosk stores hidden needs (channel
`self`) that a council member accepts later (app.store.intake.accept_kiosk_need);
the status lookup shows only the scrubbed text of a need.
"""

import datetime as dt
import re
import unicodedata
import uuid as uuidlib

from babel import Locale, UnknownLocaleError
from flask import render_template, request
from flask_babel import gettext as _

from app import i18n
from app.auth.permissions import public
from app.capture import needs
from app.database import get_db, node
from app.errors import AppError
from app.i18n.labels import CATEGORIES, PLACEHOLDERS
from app.node import settings
from app.privacy.scrub import scrub
from app.public.ratelimit import rate_limited
from app.store import categories as category_store
from app.store import intake
from app.store import needs as store
from schema import vocab
from schema.need import AUDIO_ONLY_TEXT

from .blueprint import bp
from .council_response import council_response

KIOSK_MAX_TEXT = 2000  # characters; a kiosk need is a few sentences
HONEYPOT = "website"  # the field bots fill in and people never see

# ------------------------------------------------------------------ kiosk


def _kiosk_on() -> bool:
    return settings.get(get_db(), "kiosk") == "on"


def _language_name(tag: str) -> str:
    try:
        name = Locale.parse(tag.replace("-", "_")).get_display_name(tag.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return tag
    return name or tag


def text_languages() -> list[dict]:
    """Languages offered for the text: the node's own first, then the interface ones."""
    tags = [node()["language"]] + [loc.tag for loc in i18n.LOCALES.values()]
    seen, out = set(), []
    for tag in tags:
        if tag.lower() not in seen:
            seen.add(tag.lower())
            out.append({"tag": tag, "name": _language_name(tag)})
    return out


def _category_label(row: dict):
    return row["label"] or CATEGORIES.get(row["code"], row["code"])


def _categories() -> list[dict]:
    """The node's active categories: code, icon, label."""
    return [
        {"code": r["code"], "icon": r["icon"], "label": _category_label(r)}
        for r in category_store.rows(get_db())
    ]


def _kiosk_page(form: dict, errors: dict, status: int = 200):
    return (
        render_template(
            "public/kiosk.html",
            form=form,
            errors=errors,
            languages=text_languages(),
            categories=_categories(),
            genders=vocab.GENDERS,
            age_bands=vocab.AGE_BANDS,
            groups=vocab.GROUPS,
            max_text=KIOSK_MAX_TEXT,
            honeypot=HONEYPOT,
        ),
        status,
    )


def _kiosk_errors(messages: dict) -> dict:
    """Schema errors as sentences a citizen can act on, field by field."""
    out = {}
    for field in messages:
        if field == "text":
            out["text"] = _(
                "Please write what is needed, in at most %(max)d characters.", max=KIOSK_MAX_TEXT
            )
        elif field == "language":
            out["language"] = _("Choose a language from the list.")
        else:
            out[field if field in ("category", "gender", "age_band", "groups") else "form"] = _(
                "Choose one of the options shown."
            )
    return out


@bp.route("/kiosk", methods=["GET", "POST"])
@public
@rate_limited("kiosk", limit=20, per=600, methods=("POST",))
def kiosk():
    if not _kiosk_on():
        raise AppError(404)
    current = i18n.current().tag
    if request.method == "GET":
        return _kiosk_page({"uuid": str(uuidlib.uuid4()), "language": current}, {})
    form = request.form
    if form.get(HONEYPOT, "").strip():
        # A bot filled in the hidden field: pretend success, store nothing.
        return render_template("public/kiosk_done.html", ref=store.new_ref(_ref_prefix()))
    text = form.get("text", "")
    shown = {
        "uuid": form.get("uuid", "").strip() or str(uuidlib.uuid4()),
        "text": text,
        "language": form.get("language", "").strip() or current,
        "category": form.get("category", "").strip(),
        "gender": form.get("gender", "").strip(),
        "age_band": form.get("age_band", "").strip(),
        "groups": [g for g in form.getlist("groups") if g],
    }
    if len(text.strip()) > KIOSK_MAX_TEXT:
        return _kiosk_page(shown, _kiosk_errors({"text": True}), 422)
    data = {"channel": "self", "supporters": 1}
    for key in ("uuid", "text", "language", "category", "gender", "age_band", "groups"):
        if shown[key]:
            data[key] = shown[key]
    try:
        try:
            stored, _created = needs.capture(data, hidden=True)
        except AppError as exc:
            if exc.status != 409:
                raise
            # The same form sent again with other words (back button): a new need.
            data["uuid"] = str(uuidlib.uuid4())
            stored, _created = needs.capture(data, hidden=True)
    except AppError as exc:
        if exc.status != 422:
            raise
        if "uuid" in exc.details:
            shown["uuid"] = str(uuidlib.uuid4())
        return _kiosk_page(shown, _kiosk_errors(exc.details), 422)
    return render_template("public/kiosk_done.html", ref=stored["ref"])


def _ref_prefix() -> str:
    return store.ref_prefix(node()["locality"])


# ------------------------------------------------------------------ status lookup

AMBIGUOUS = set("01ILO")


def normalize_ref(raw: str) -> str:
    """A typed reference code in stored form: full-width and lower-case letters
    folded, spaces, dashes and dots dropped, the dash put back before the last
    six characters. '' when nothing is left."""
    folded = unicodedata.normalize("NFKC", raw or "").upper()
    chars = "".join(c for c in folded if c.isascii() and c.isalnum())
    if len(chars) > 6:
        return f"{chars[:-6]}-{chars[-6:]}"
    return chars


def _scrubbed_parts(need: dict, country: str | None) -> list[dict]:
    """The need's text, scrubbed, as parts: {"text"} or {"placeholder"}."""
    if need["text"] == AUDIO_ONLY_TEXT:  # captured by an audio note alone: no text
        return []
    respondent = need.get("respondent") or {}
    name = respondent.get("name")
    text = scrub(need["text"], country=country, names=[name] if name else [])
    contact = (respondent.get("contact") or "").strip()
    if len(contact) >= 4 and contact in text:  # belt and braces: never the contact itself
        text = text.replace(contact, "[email]" if "@" in contact else "[phone]")
    pattern = "(" + "|".join(re.escape(p) for p in PLACEHOLDERS) + ")"
    parts = []
    for piece in re.split(pattern, text):
        if not piece:
            continue
        if piece in PLACEHOLDERS:
            parts.append({"placeholder": PLACEHOLDERS[piece]})
        else:
            parts.append({"text": piece})
    return parts


def _date(iso: str | None):
    if not iso:
        return None
    try:
        return dt.datetime.fromisoformat(iso).date()
    except ValueError:
        return None


def public_status(db, need: dict) -> dict:
    """What anyone holding the reference code may see of NEED (no respondent data)."""
    shown = {
        "ref": need["ref"],
        "hidden": need["hidden"],
        "status": need["status"],
        "category": need["category"],
        "category_label": _category_label(
            category_store.get(db, need["category"]) or {"label": None, "code": need["category"]}
        ),
        "received": _date(need["received_at"]),
        "updated": _date(need["updated_at"]),
        "language": need["language"],
        "parts": [],
        "history": [],
        "merged_into": None,
        "removed": bool(need.get("removed")),
    }
    if need["hidden"]:
        return shown
    shown["parts"] = _scrubbed_parts(need, settings.get(db, "country"))
    shown["history"] = [
        {"date": _date(h["at"]), "status": h["status"]}
        for h in intake.status_changes(db, need["id"])
        if h["status"] in vocab.STATUSES
    ]
    if need["status"] == "merged" and need.get("merged_into"):
        target = store.by_id(db, need["merged_into"])
        if target is not None and not target["hidden"]:
            shown["merged_into"] = target["ref"]
    return shown


@bp.route("/status")
@public
@rate_limited("status", limit=10, per=60, when=lambda: bool(request.args.get("ref", "").strip()))
def status():
    raw = request.args.get("ref", "").strip()
    if not raw:
        return render_template("public/status.html", ref="", need=None, problem=None)
    ref = normalize_ref(raw)
    problem = None
    need = None
    if AMBIGUOUS & set(ref):
        problem = _("Reference codes never contain 0, 1, I, L or O. Check the code and try again.")
    elif len(ref.replace("-", "")) < 6:
        problem = _("A reference code has at least six characters, for example KAN-4F7QXM.")
    else:
        db = get_db()
        found = store.by_ref(db, ref)
        if found is None:
            problem = _("No need has this reference code. Check the code and try again.")
        else:
            need = public_status(db, found)
            answer = council_response(db, found)  # only what a code holder may see
            return render_template("public/status.html", ref=ref, need=need, problem=None, **answer)
    return render_template("public/status.html", ref=raw, need=need, problem=problem), 404
