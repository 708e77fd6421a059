"""What the council pages say after a change: a confirmation for each
decision, with an undo button where the status table allows one, and the
list state (filters, page, the next need) that a decision returns to.

The message travels in the session's flash list as a dict
{"text", "undo": {"action", "label", "fields"} | None}; council/_flash.html
shows it, with the undo as a small POST form (no JavaScript)."""

from flask import flash, get_flashed_messages, request

QUEUE_FIELDS = ("category", "locality", "q", "page")
SIMILAR_FIELDS = ("threshold", "category", "q", "page")


def back_anchor(at: int | None = None) -> str:
    """The id of the place a decision returns to: the next need of the queue
    (or AT), the groups of similar needs, or the top of the page."""
    target = request.form.get("next")
    if target == "triage":
        then = str(at) if at else request.form.get("then", "")
        return f"need-{then}" if then.isdigit() else "queue"
    if target == "similar":
        return "clusters"
    return "top"


def done(text: str, *, undo: dict | None = None, error: bool = False, at=None) -> None:
    """Flash TEXT (and an UNDO button: action URL, label, hidden fields), to be
    shown at the element AT (default: where back_anchor() returns) so that it
    is on screen where the page opens."""
    message = {"text": str(text), "undo": undo, "at": at or back_anchor()}
    flash(message, "council-error" if error else "council-done")


def messages() -> list[tuple[str, dict]]:
    found = []
    for category, message in get_flashed_messages(with_categories=True):
        if category in ("council-done", "council-error") and isinstance(message, dict):
            found.append((category, message))
    return found


def queue_state(source=None, fields=QUEUE_FIELDS) -> dict:
    """The queue's filters and page as the form (or SOURCE) sent them, for the redirect."""
    source = source if source is not None else request.form
    state = {}
    for key in fields:
        value = (source.get(key) or "").strip()[:200]
        if value:
            state[key] = value
    return state


def similar_state(source=None) -> dict:
    return queue_state(source, SIMILAR_FIELDS)


def return_fields() -> dict:
    """Hidden fields an undo form carries so that it comes back to the same place."""
    fields = {"next": (request.form.get("next") or "")[:20]}
    fields.update(similar_state() if fields["next"] == "similar" else queue_state())
    then = request.form.get("then", "")
    if then.isdigit():
        fields["then"] = then
    return {k: v for k, v in fields.items() if v}
