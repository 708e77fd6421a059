"""The `council` blueprint object, which the route modules beside it decorate."""

from flask import Blueprint

bp = Blueprint("council", __name__, url_prefix="/council")


@bp.app_context_processor
def _council_labels():
    from .common import council_label
    from .feedback import messages

    return {"council_label": council_label, "council_messages": messages}
