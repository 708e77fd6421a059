"""Council: triage, similar needs, priorities, votes, actions, dashboard, report."""

from flask import Blueprint

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.app_context_processor
def _council_labels():
    from .common import council_label

    return {"council_label": council_label}


from . import actions, dashboard, priorities, report, response, triage, votes  # noqa: F401
