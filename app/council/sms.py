"""SMS-length texts that tell a respondent what became of their need.

One text per status change, written in the need's language when Sauti has a
catalog for it (else in the node's default), at most one SMS long: 160
characters of the GSM 03.38 alphabet (characters of its extension table count
twice), or 70 UTF-16 units when the text needs another script.
"""

from flask_babel import force_locale
from flask_babel import gettext as _

from app import i18n

GSM_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = set("^{}\\[~]|€\f")


def is_gsm(text: str) -> bool:
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def sms_length(text: str) -> tuple[int, int]:
    """(units used, units allowed in one SMS) for TEXT."""
    if is_gsm(text):
        return sum(2 if ch in GSM_EXTENSION else 1 for ch in text), 160
    return len(text.encode("utf-16-le")) // 2, 70


def fit(text: str) -> str:
    """TEXT cut (with an ellipsis) so that it fits in one SMS."""
    used, limit = sms_length(text)
    if used <= limit:
        return text
    gsm = is_gsm(text)
    tail = "..." if gsm else "…"
    while text and sms_length(text + tail)[0] > limit:
        text = text[:-1]
    return text.rstrip() + tail


def _sentence(status: str, ref: str, detail: str) -> str:
    if status == "accepted":
        return _("%(ref)s: the council accepted your need and will consider it.", ref=ref)
    if status == "merged":
        return _(
            "%(ref)s: others raised the same need; it is now followed as %(other)s.",
            ref=ref,
            other=detail,
        )
    if status == "set_aside":
        return _("%(ref)s: the council set your need aside (%(reason)s).", ref=ref, reason=detail)
    if status == "planned":
        return _(
            "%(ref)s: your need is part of a council priority: %(title)s", ref=ref, title=detail
        )
    if status == "resolved":
        return _("%(ref)s: the council reports your need as resolved. Thank you.", ref=ref)
    if status == "new":
        return _("%(ref)s: your need is open again for the council to review.", ref=ref)
    return _("%(ref)s: the status of your need changed.", ref=ref)


def status_text(need: dict, status: str, *, detail: str = "") -> str:
    """The SMS for NEED (with "ref" and "language") reaching STATUS.

    DETAIL is the merged-into reference, the set-aside reason code, or the
    (already scrubbed) priority title."""
    code = i18n.match(need.get("language")) or i18n.DEFAULT
    with force_locale(code):
        if status == "set_aside":
            from .common import SET_ASIDE_REASONS

            detail = str(SET_ASIDE_REASONS.get(detail, detail or ""))
        return fit(_sentence(status, need["ref"], detail))
