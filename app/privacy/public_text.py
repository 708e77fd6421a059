"""What a public page (status lookup, board, notices, Open311, SMS answers) may
show of free text: exactly the form a parent receives (app.privacy.sharing, the
one rule), or nothing. Counts below the `k` setting are not shown."""

from app.node import settings
from app.privacy.sharing import Rule, known_names  # noqa: F401  (known_names: API)


def country(db) -> str | None:
    return settings.get(db, "country")


def k(db) -> int:
    return settings.get_int(db, "k")


def scrubbed(db, text: str | None, names=(), *, checked: bool = False) -> str:
    """TEXT as a public page may show it ("" when it stays home): scrubbed, and
    only as the node's share_text allows (CHECKED: a person marked it checked)."""
    return Rule(db).text(text, checked=checked, names=names) or ""


def need_text(db, need: dict, policy: str | None = None) -> str | None:
    """The need's text as a public page may show it, or None when withheld."""
    return Rule(db, policy=policy).need_text(need)
