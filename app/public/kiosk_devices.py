"""Enrolled kiosk devices on the public side: the enrolment link an admin hands
to the kiosk (app/admin/kiosks.py makes it), the cookie the kiosk keeps, and the
submission limit of a kiosk.

A kiosk is one network address for everyone who walks up to it, so the
per-address limit would lock it out after a busy quarter of an hour. An enrolled
kiosk is counted by its device instead, with a much higher limit; anyone else
still by address.
"""

from flask import make_response, redirect, render_template, request, url_for

from app.auth.permissions import public
from app.database import get_db
from app.errors import AppError
from app.store import kiosks

from .blueprint import bp
from .ratelimit import wait_for

COOKIE = "sauti_kiosk"
COOKIE_DAYS = 5 * 365
ADDRESS_LIMIT = (20, 600)  # submissions per seconds, per network address
DEVICE_LIMIT = (200, 600)  # per enrolled kiosk device


def current_device() -> dict | None:
    """The enrolled kiosk device this browser is, or None."""
    return kiosks.by_token(get_db(), request.cookies.get(COOKIE))


def submission_wait() -> int:
    """Count one kiosk submission: 0 when allowed, else seconds to wait."""
    device = current_device()
    if device is not None:
        return wait_for("kiosk_device", *DEVICE_LIMIT, key=f"device:{device['id']}")
    return wait_for("kiosk", *ADDRESS_LIMIT)


@bp.route("/kiosk/enrol/<token>", methods=["GET", "POST"])
@public
def kiosk_enrol(token):
    device = kiosks.by_token(get_db(), token)
    if device is None:
        raise AppError(404)
    if request.method == "GET":
        return render_template("public/kiosk_enrol.html", device=device, token=token)
    response = make_response(redirect(url_for("public.kiosk"), code=303))
    response.set_cookie(
        COOKIE,
        token,
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure,
    )
    return response
