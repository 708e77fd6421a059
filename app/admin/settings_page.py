"""Admin: every node setting, with its explanation, changed with the same
table and validators as `sauti settings set` (app.node.settings)."""

import os

from flask import redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.auth.permissions import requires
from app.database import get_db
from app.node import settings
from app.store import audit

from .blueprint import bp
from .common import actor

# What each setting does, in people's words (the table itself: app.node.settings).
EXPLAINED = {
    "k": _l("The smallest count this node publishes. A group with fewer needs is hidden, so that nobody can be recognised. A whole number, at least 2."),
    "share_text": _l("Which need texts go up to the parent node: only texts a council member or facilitator marked as checked (reviewed), every text after the automatic scrubbing (scrubbed), or none (never)."),
    "country": _l("The country whose phone numbers the scrubber looks for first: a two-letter code such as KE, TZ or SD."),
    "kiosk": _l("The public kiosk page where citizens type their own need, on or off."),
    "push_interval_minutes": _l("How many minutes the node waits between two pushes to its parent."),
    "open_data": _l("Publish the aggregates (counts only, small numbers hidden) as dated open data, on or off."),
    "contact_retention_days": _l("How many days a respondent’s contact is kept; it is erased after that."),
    "sms_secret": _l("The shared secret of the SMS gateway. While it is not set, the SMS webhook is off. At least 16 characters; it is never shown again."),
    "audio_retention_days": _l("How many days an audio note is kept before it is erased."),
    "silent_child_days": _l("After how many days without a sync a child node is shown as silent."),
    "open_data_records": _l("Also publish needs one by one in the open data, only where each row looks like at least k others (on or off)."),
}
CHOICE_WORDS = {
    "on": _l("on"),
    "off": _l("off"),
    "reviewed": _l("reviewed"),
    "scrubbed": _l("scrubbed"),
    "never": _l("never"),
}


def refusal(exc: settings.SettingError) -> str:
    params = exc.params
    if exc.code == "min":
        return _("Give a whole number of at least %(n)s.", n=params["minimum"])
    if exc.code == "choice":
        return _("Choose one of: %(values)s.",
                 values=", ".join(str(CHOICE_WORDS.get(v, v)) for v in params["values"]))  # fmt: skip
    if exc.code == "country":
        return _("Give a two-letter country code such as KE or SD.")
    if exc.code == "secret_length":
        return _("Use at least %(n)s characters.", n=params["minimum"])
    return _("This value is not accepted.")


def _rows(db, typed: dict[str, str]) -> list[dict]:
    rows = []
    for key, setting in settings.SETTINGS.items():
        value = settings.get(db, key)
        choices = getattr(setting.parse, "choices", None)
        rows.append(
            {
                "key": key,
                "value": value,
                "typed": typed.get(key),
                "secret": setting.secret,
                "choices": choices,
                "explained": EXPLAINED.get(key, setting.help),
                "default": setting.default,
                "env": settings.env_name(key) if os.environ.get(settings.env_name(key)) else None,
            }
        )
    return rows


def _page(*, errors=None, typed=None, status=200):
    done = request.args.get("done")
    return (
        render_template(
            "admin/settings.html",
            rows=_rows(get_db(), typed or {}),
            errors=errors or {},
            choice_words=CHOICE_WORDS,
            done=_("%(key)s is saved.", key=done) if done in settings.SETTINGS else None,
        ),
        status,
    )


@bp.route("/settings")
@requires("admin")
def settings_page():
    return _page()


@bp.route("/settings", methods=["POST"])
@requires("admin")
def change_setting():
    key = request.form.get("key", "")
    value = request.form.get("value", "")[:512]
    if key not in settings.SETTINGS:
        return _page(status=404)
    try:
        stored = settings.set_value(get_db(), key, value)
    except settings.SettingError as exc:
        typed = "" if settings.SETTINGS[key].secret else value
        return _page(errors={key: refusal(exc)}, typed={key: typed}, status=422)
    shown = "(set)" if settings.SETTINGS[key].secret else stored
    audit.record(get_db(), actor(), "setting_set", key, {"value": shown})
    return redirect(url_for("admin.settings_page", done=key) + f"#setting-{key}")
