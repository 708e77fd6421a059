"""The shared-tablet quick switch: a facilitator who signed in with a password
on this tablet today sets a 4–6 digit PIN, locks the screen when handing the
tablet over, and comes back with name + PIN; another facilitator switches in the
same two taps.

A PIN is only a second factor bound to this device's password sign-in of the
day (app.store.quick_switch): the device is known by a random cookie
(`sauti_tablet`), PINs are argon2id hashes, 5 wrong PINs in a row close the
device's quick switch until someone signs in with a password on it. A session
opened or protected by a PIN locks itself after `lock_idle_minutes` without a
page request (the page's script locks the screen itself at the same time), and
every signed-in page is sent with `Cache-Control: no-store`, so after a switch
neither the screen nor the back button shows the previous person's pages.

Sessions live on the node (app.auth.node_session): a switch starts a new one, a
lock (by hand or when idle) ends it there, so its cookie is refused afterwards.
"""

import hashlib
import re
import secrets
import time

from flask import (
    after_this_request,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _

from app.database import get_db
from app.errors import AppError, wants_json
from app.node import settings
from app.store import quick_switch as store
from app.store import users

from . import node_session, passwords
from .blueprint import bp
from .permissions import public, requires

DEVICE_COOKIE = "sauti_tablet"
DEVICE_RE = re.compile(r"[A-Za-z0-9_-]{43}")
PIN_RE = re.compile(r"[0-9]{4,6}")
PIN_ROLES = ("facilitator", "council")
SEEN_STEP = 15  # seconds: the idle clock is moved on at most this often


def device_key() -> str | None:
    """The sha256 of this browser's device cookie, or None when it has none."""
    raw = request.cookies.get(DEVICE_COOKIE, "")
    return hashlib.sha256(raw.encode()).hexdigest() if DEVICE_RE.fullmatch(raw) else None


def password_signed_in(user: dict) -> None:
    """Called by the password sign-in: remember it for this device (given a
    device cookie now if it has none), which also reopens its quick switch."""
    raw = request.cookies.get(DEVICE_COOKIE, "")
    if not DEVICE_RE.fullmatch(raw):
        raw = secrets.token_urlsafe(32)

        @after_this_request
        def _give_cookie(response):
            response.set_cookie(
                DEVICE_COOKIE, raw, max_age=5 * 365 * 86400, httponly=True, samesite="Lax",
                secure=bool(current_app.config.get("SECURE_COOKIES")),
            )
            return response

    store.password_signin(get_db(), hashlib.sha256(raw.encode()).hexdigest(), user["id"])


def start_session(user: dict, *, pin: bool) -> None:
    node_session.start(get_db(), user["id"])
    if pin:
        session["qs"] = 1
        session["seen"] = int(time.time())


def _idle_seconds() -> int:
    return settings.get_int(get_db(), "lock_idle_minutes") * 60


@bp.before_app_request
def idle_lock():
    """A PIN session left idle is locked (runs after the guard found the user)."""
    if not g.get("user") or not session.get("qs"):
        return None
    now = int(time.time())
    seen = session.get("seen", now)
    if now - seen > _idle_seconds():
        node_session.end(get_db())
        if wants_json():
            raise AppError(401)
        return redirect(url_for("auth.switch"))
    if now - seen >= SEEN_STEP and not request.path.startswith("/api/"):
        session["seen"] = now  # background API calls (the offline queue) are not activity
    return None


@bp.after_app_request
def no_store(response):
    """Signed-in pages are never kept by the browser (nor shown again by Back)."""
    if (g.get("user") or session.get("uid")) and response.mimetype == "text/html":
        response.headers["Cache-Control"] = "no-store"
    return response


@bp.app_context_processor
def _quick_switch_context():
    user = g.get("user")
    return {
        "quick_switch_on": bool(user and session.get("qs")),
        "quick_switch_offered": bool(user and user["role"] in PIN_ROLES),
        "lock_idle_seconds": _idle_seconds() if user and session.get("qs") else 0,
    }


@bp.route("/switch/pin", methods=["GET", "POST"])
@requires("signed_in")
def set_pin():
    user, device = g.user, device_key()
    if user["role"] not in PIN_ROLES:
        raise AppError(403)
    db = get_db()
    ready = device is not None and store.signed_in_today(db, device, user["id"]) is not None
    error, status = None, 200
    if request.method == "POST" and ready:
        pin, again = request.form.get("pin", "").strip(), request.form.get("pin_again", "").strip()
        if not PIN_RE.fullmatch(pin):
            error, status = _("A PIN is 4 to 6 digits."), 422
        elif pin != again:
            error, status = _("The two PINs are not the same; type them again."), 422
        else:
            store.set_pin(db, device, user["id"], passwords.hash_password(pin))
            session["qs"] = 1
            session["seen"] = int(time.time())
            return redirect(url_for("auth.set_pin", done=1), code=303)
    row = store.signed_in_today(db, device, user["id"]) if device else None
    return render_template(
        "auth/set_pin.html", ready=ready, has_pin=bool(row and row["pin_hash"]),
        done=request.args.get("done") == "1", error=error,
    ), status


@bp.route("/switch/lock", methods=["POST"])
@requires("signed_in")
def lock():
    node_session.end(get_db())
    return redirect(url_for("auth.switch"), code=303)


@bp.route("/switch")
@public
def switch():
    device = device_key()
    db = get_db()
    closed = device is not None and store.closed(db, device)
    people = [] if device is None or closed else store.switchable(db, device)
    return render_template("auth/switch.html", people=people, closed=closed)


@bp.route("/switch/<int:user_id>", methods=["GET", "POST"])
@public
def switch_to(user_id):
    device = device_key()
    db = get_db()
    if device is not None and store.closed(db, device):
        return render_template("auth/switch.html", people=[], closed=True), 403
    person = next((p for p in store.switchable(db, device) if p["id"] == user_id), None) \
        if device else None
    if person is None:
        raise AppError(404)
    error, status = None, 200
    if request.method == "POST":
        pin = request.form.get("pin", "").strip()
        if PIN_RE.fullmatch(pin) and passwords.verify(person["pin_hash"], pin):
            store.clear_failures(db, device)
            start_session(users.by_id(db, user_id), pin=True)
            return redirect(url_for("main.home"), code=303)
        failures = store.record_failure(db, device)
        if failures >= store.MAX_FAILURES:
            return render_template("auth/switch.html", people=[], closed=True), 403
        left = store.MAX_FAILURES - failures
        error = _("Wrong PIN. %(left)s more tries on this tablet.", left=left)
        status = 401
    return render_template("auth/switch_pin.html", person=person, error=error), status
