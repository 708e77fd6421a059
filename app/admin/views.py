import shutil

from flask import current_app, render_template
from flask_babel import gettext

from app.auth.permissions import requires
from app.database import get_db, node
from app.node import doctor, home, settings
from app.store import users

from .blueprint import bp

LOW_DISK_BYTES = 500 * 1024 * 1024


@bp.route("/")
@requires("admin")
def index():
    db = get_db()
    node_home = current_app.extensions["sauti_home"]
    disk = shutil.disk_usage(node_home.path)
    return render_template(
        "admin/index.html",
        node=node(),
        fingerprint=home.fingerprint(node()["public_key"]),
        settings=settings.all_values(db),
        users=users.list_users(db),
        disk_free=disk.free,
        disk_low=disk.free < LOW_DISK_BYTES,
        integrity_ok=current_app.extensions.get("sauti_integrity_ok", True),
        checks=_checks(node_home, db),
    )


def _checks(node_home, db) -> list[dict]:
    """The same checks as `sauti doctor` (app/node/doctor.py), translated."""
    found = doctor.run(
        node_home, db, integrity=current_app.extensions.get("sauti_integrity_ok", True),
        parent_timeout=1.0,
    )
    return [{"level": c.level, "text": gettext(c.message, **c.params)} for c in found]
