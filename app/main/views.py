from flask import jsonify, make_response, redirect, render_template, request

from app import i18n
from app.auth.permissions import public
from app.security import safe_next

from .blueprint import bp


@bp.route("/")
@public
def home():
    return render_template("main/home.html")


@bp.route("/healthz")
@public
def healthz():
    return jsonify({"status": "ok"})


@bp.route("/lang/<code>")
@public
def set_language(code):
    """Remember the visitor's interface language in a cookie (no database write)."""
    response = make_response(redirect(safe_next(request.args.get("next"))))
    chosen = i18n.match(code)
    if chosen:
        response.set_cookie(
            i18n.COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response
