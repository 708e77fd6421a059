"""One error type for the app and one handler per kind.

API requests (paths under /api/) get JSON: {"error", "message", "details"};
people get a friendly page. Tracebacks go to the log only.
"""

import logging

from flask import jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

# Stable codes and their sentences for the HTTP errors the app produces itself.
HTTP_CODES = {
    400: ("bad_request", _l("The request could not be read.")),
    401: ("unauthorized", _l("Sign in, or send a valid API token.")),
    403: ("forbidden", _l("Your role does not allow this.")),
    404: ("not_found", _l("There is nothing at this address.")),
    405: ("method_not_allowed", _l("This address does not accept that method.")),
    409: ("conflict", _l("This conflicts with what is already stored.")),
    413: ("too_large", _l("The request is larger than this node accepts (64 KB).")),
    422: ("invalid", _l("Some fields are not valid.")),
    429: ("too_many_requests", _l("Too many requests; wait a moment and try again.")),
    500: ("internal_error", _l("Something went wrong on this node; the error was logged.")),
    507: ("disk_full", _l(
        "The node's disk is full, so nothing was saved. Keep this need and send it again later; "
        "tell the node's administrator.")),
}


class AppError(Exception):
    """An error with an HTTP status, a stable code and a translatable message."""

    def __init__(self, status: int, code: str | None = None, message=None, details=None):
        super().__init__(code)
        default_code, default_message = HTTP_CODES.get(status, HTTP_CODES[400])
        self.status = status
        self.code = code or default_code
        self.message = message or default_message
        self.details = details or {}
        self.retry_after: int | None = None


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def respond(error: AppError):
    if wants_json():
        payload = {"error": error.code, "message": str(error.message), "details": error.details}
        response = jsonify(payload)
    else:
        response = make_response(render_template("error.html", error=error))
    response.status_code = error.status
    if error.retry_after:
        response.headers["Retry-After"] = str(error.retry_after)
    return response


def register(app) -> None:
    @app.errorhandler(AppError)
    def _app_error(error):
        return respond(error)

    @app.errorhandler(CSRFError)
    def _csrf(error):
        return respond(
            AppError(
                400,
                "csrf_failed",
                _l(
                    "This form has expired or did not come from this node; reload the page and try again."
                ),
            )
        )

    @app.errorhandler(HTTPException)
    def _http(error):
        status = error.code or 500
        code, message = HTTP_CODES.get(status, ("http_error", error.description))
        response = respond(AppError(status, code, message))
        if status == 405 and error.get_response().headers.get("Allow"):
            response.headers["Allow"] = error.get_response().headers["Allow"]
        return response

    @app.errorhandler(Exception)
    def _unexpected(error):
        from app.store.db import disk_full

        if disk_full(error):  # rolled back; the node recovers once space returns
            log.error("disk full on %s %s: %s", request.method, request.path, error)
            return respond(AppError(507))
        log.exception("unhandled error on %s %s", request.method, request.path)
        return respond(AppError(500))
