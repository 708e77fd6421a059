"""Offline support for tablets: the service worker script, the import page for
a saved offline queue file, and the node CA certificate download.

The queue itself lives in the browser (static/js/offline-queue.js); every item
it holds is a POST /api/v1/needs body with its uuid, so importing a saved file
goes through the same idempotent app.capture.needs.capture.
"""

import hashlib
import ipaddress
import json
from pathlib import Path

import segno
from flask import current_app, render_template, request, url_for
from flask_babel import gettext as _
from markupsafe import Markup
from werkzeug.routing import BuildError

from app.auth.permissions import public, requires
from app.capture import needs
from app.errors import AppError
from app.node import tls
from app.security import strict_loads

from .blueprint import bp

SW_SCOPE = "/capture"  # the capture pages the service worker may keep
SW_SOURCE = Path("js") / "sw.js"
SW_ASSET_SUFFIXES = {".css", ".js", ".svg", ".png", ".ico", ".woff2"}
SW_ASSET_MAX = 512 * 1024
QUEUE_FILE_MAX = 4 * 1024 * 1024  # a queue file holds hundreds of needs
QUEUE_FORMAT = "sauti-offline-queue"


class QueueFileError(Exception):
    """An upload that is not a saved queue; the message says so."""


def _capture_page() -> str:
    try:
        return url_for("capture.new_need")
    except BuildError:
        return SW_SCOPE


@bp.app_context_processor
def _offline_helpers():
    return {"offline_sw_scope": SW_SCOPE, "offline_ca": _ca_download}


# -- service worker ---------------------------------------------------------


def _sw_assets(static: Path) -> list[Path]:
    return sorted(
        p
        for p in static.rglob("*")
        if p.is_file()
        and p.suffix in SW_ASSET_SUFFIXES
        and p.stat().st_size <= SW_ASSET_MAX
        and p.relative_to(static) != SW_SOURCE
    )


@bp.route("/sw.js")
@public
def service_worker():
    """The service worker, with its configuration on the first line. Its
    version is a hash of itself and every asset it keeps, so any change to
    the CSS, JS or icons installs a new worker with a fresh cache."""
    static = Path(current_app.static_folder)
    source = (static / SW_SOURCE).read_bytes()
    assets = _sw_assets(static)
    digest = hashlib.sha256(source)
    for path in assets:
        digest.update(path.relative_to(static).as_posix().encode())
        digest.update(path.read_bytes())
    config = {
        "version": digest.hexdigest()[:16],
        "scope": SW_SCOPE,
        "static": url_for("static", filename=""),
        "pages": [_capture_page()],
        "assets": [url_for("static", filename=p.relative_to(static).as_posix()) for p in assets],
    }
    body = f"self.SAUTI_SW = {json.dumps(config)};\n".encode() + source
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = SW_SCOPE
    response.set_etag(config["version"])
    return response.make_conditional(request)


# -- CA certificate -------------------------------------------------------------


@bp.route("/ca.crt")
@public
def ca_certificate():
    """The node CA certificate (DER), for a tablet to install before it
    trusts the node's HTTPS. Public: nothing secret, needed before sign-in."""
    node_home = current_app.extensions["sauti_home"]
    try:
        der = tls.ca_der(node_home.path)
    except tls.TLSError:
        raise AppError(
            404, "no_ca", _("This node has no certificate authority yet; run sauti serve --tls.")
        ) from None
    response = current_app.response_class(der, mimetype="application/x-x509-ca-cert")
    response.headers["Content-Disposition"] = "attachment; filename=sauti-node-ca.crt"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _tablet_url(path: str) -> str:
    """PATH as a tablet on the LAN can reach it. On the node itself (localhost)
    the page's own address is useless to a tablet: use a LAN address."""
    host, _sep, port = request.host.rpartition(":")
    if not host or host.endswith("]"):
        host, port = request.host, ""
    base = request.host_url.rstrip("/")
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        loopback = False
    if loopback:
        lan = [a for a in tls.local_addresses() if not a.is_loopback and a.version == 4]
        if lan:
            base = f"{request.scheme}://{lan[0]}" + (f":{port}" if port else "")
    return base + path


def _ca_download() -> dict | None:
    """For the admin page: the CA's URL, its QR code (inline SVG) and fingerprint."""
    node_home = current_app.extensions["sauti_home"]
    try:
        fingerprint = tls.ca_fingerprint(node_home.path)
    except tls.TLSError:
        return None
    url = _tablet_url(url_for("capture.ca_certificate"))
    svg = segno.make(url, error="m").svg_inline(border=2, light="#fff", omitsize=True, title=url)
    return {"url": url, "qr": Markup(svg), "fingerprint": fingerprint}


# -- importing a saved queue file ------------------------------------------------


def _flat_errors(details) -> list[str]:
    out = []
    for field, messages in (details or {}).items():
        if isinstance(messages, dict):
            out += [f"{field}.{m}" for m in _flat_errors(messages)]
        else:
            for message in messages if isinstance(messages, list) else [messages]:
                out.append(f"{field}: {message}")
    return out


def _items_of(raw: bytes) -> list:
    try:
        document = strict_loads(raw)
    except ValueError:  # not UTF-8, not JSON, too deep, lone surrogates
        raise QueueFileError(_("This file is not a saved queue (it is not JSON).")) from None
    if isinstance(document, dict) and document.get("format") == QUEUE_FORMAT:
        items = document.get("items")
    elif isinstance(document, list):
        items = document
    else:
        items = None
    if not isinstance(items, list):
        raise QueueFileError(_("This file is not a saved queue from a Sauti capture page."))
    return items


def import_items(items: list) -> list[dict]:
    """Store each queued need (idempotent by uuid); one result per item:
    outcome is 'stored', 'already', 'conflict' or 'invalid'."""
    results = []
    for number, item in enumerate(items, start=1):
        body = item.get("body") if isinstance(item, dict) else None
        if not isinstance(body, dict) or (item.get("queue") or "needs") != "needs":
            results.append(
                {
                    "number": number,
                    "outcome": "invalid",
                    "errors": [_("Not a need.")],
                    "text": "",
                    "ref": None,
                }
            )
            continue
        text = body.get("text") if isinstance(body.get("text"), str) else ""
        result = {"number": number, "text": text[:120], "ref": None, "errors": []}
        try:
            stored, created = needs.capture(body)
        except AppError as exc:
            result["outcome"] = "conflict" if exc.status == 409 else "invalid"
            result["errors"] = _flat_errors(exc.details) or [str(exc.message)]
        else:
            result["outcome"] = "stored" if created else "already"
            result["ref"] = stored["ref"]
        results.append(result)
    return results


@bp.route("/capture/queue-import", methods=["GET", "POST"])
@requires("capture")
def queue_import():
    """Upload a queue file saved on a tablet; every need in it is stored once."""
    results, error = None, None
    if request.method == "POST":
        # A queue file may be larger than the node's 64 KB request limit,
        # so this view raises the limit and checks CSRF itself
        # (app.factory.SELF_CHECKED_CSRF).
        request.max_content_length = QUEUE_FILE_MAX
        from flask_wtf.csrf import validate_csrf
        from wtforms import ValidationError

        try:
            validate_csrf(request.form.get("csrf_token", ""))
        except ValidationError:
            raise AppError(
                400,
                "csrf_failed",
                _("This form has expired; reload the page and try again."),
            ) from None
        upload = request.files.get("queue_file")
        if upload is None or not upload.filename:
            error = _("Choose the saved queue file first.")
        else:
            try:
                results = import_items(_items_of(upload.read()))
            except QueueFileError as exc:
                error = str(exc)
    counts = {}
    for result in results or []:
        counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
    return render_template(
        "capture/_offline_import.html",
        results=results,
        counts=counts,
        error=error,
    ), 400 if error else 200

