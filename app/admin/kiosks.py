"""Kiosk devices: an admin enrols a kiosk (a link and a QR code holding a device
token, shown once) and revokes it when the device is lost or retired."""

import segno
from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.auth.guard import current_user
from app.auth.permissions import requires
from app.database import get_db
from app.errors import AppError
from app.store import kiosks

from .blueprint import bp

MAX_NAME = 80


def _page(*, link: str | None = None, name: str = "", error: str | None = None, status=200):
    qr = None
    if link:
        qr = segno.make(link, error="m").svg_inline(border=2, light="#fff", omitsize=True)
    return render_template(
        "admin/kiosks.html",
        devices=kiosks.listing(get_db()),
        link=link,
        qr=qr,
        name=name,
        error=error,
    ), status


@bp.route("/kiosks", methods=["GET", "POST"])
@requires("admin")
def kiosk_devices():
    if request.method == "GET":
        return _page()
    name = " ".join(request.form.get("name", "").split())
    if not 1 <= len(name) <= MAX_NAME:
        message = _("Give the kiosk a name of 1 to %(max)d characters.", max=MAX_NAME)
        return _page(name=name[:MAX_NAME], error=message, status=422)
    _device_id, token = kiosks.enrol(get_db(), name, created_by=current_user()["id"])
    link = url_for("public.kiosk_enrol", token=token, _external=True)
    return _page(link=link, name=name)


@bp.route("/kiosks/<int:device_id>/revoke", methods=["POST"])
@requires("admin")
def revoke_kiosk(device_id):
    if not kiosks.revoke(get_db(), device_id):
        raise AppError(404)
    return redirect(url_for("admin.kiosk_devices"), code=303)
