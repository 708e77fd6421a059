"""Translatable labels for the codes the contract fixes (roles, levels, ...).

Codes are stored and sent as they are; people see these labels.
"""

import re

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

ROLES = {
    "facilitator": _l("facilitator"),
    "council": _l("council member"),
    "analyst": _l("analyst"),
    "admin": _l("administrator"),
}

LEVELS = {
    "community": _l("community"),
    "district": _l("district"),
    "region": _l("region"),
    "nation": _l("nation"),
}


def label(table: dict, code):
    return table.get(code, code)


def role_label(code):
    return label(ROLES, code)


def level_label(code):
    return label(LEVELS, code)


STATUSES = {
    "new": _l("new"),
    "accepted": _l("accepted"),
    "merged": _l("merged"),
    "set_aside": _l("set aside"),
    "planned": _l("planned"),
    "resolved": _l("resolved"),
}

GENDERS = {
    "female": _l("female"),
    "male": _l("male"),
    "other": _l("other gender"),
    "undisclosed": _l("not said"),
}

AGE_BANDS = {
    "0-14": _l("0–14"),
    "15-24": _l("15–24 (youth)"),
    "25-34": _l("25–34"),
    "35-44": _l("35–44"),
    "45-54": _l("45–54"),
    "55-64": _l("55–64"),
    "65+": _l("65 and over"),
    "undisclosed": _l("not said"),
}

GROUPS = {
    "disability": _l("people with disability"),
    "displaced": _l("displaced people"),
    "indigenous": _l("indigenous people"),
    "minority": _l("minority"),
    "migrant": _l("migrants"),
    "low-income": _l("low income"),
    "other": _l("other group"),
    "none": _l("no group"),
}

CHANNELS = {
    "meeting": _l("meeting"),
    "facilitator": _l("facilitator"),
    "self": _l("self (kiosk)"),
    "paper": _l("paper form"),
    "sms": _l("SMS"),
}

CATEGORIES = {
    "water": _l("Water"),
    "health": _l("Health"),
    "education": _l("Education"),
    "roads": _l("Roads"),
    "jobs": _l("Jobs"),
    "food": _l("Food"),
    "energy": _l("Energy"),
    "safety": _l("Safety"),
    "environment": _l("Environment"),
    "housing": _l("Housing"),
    "other": _l("Other"),
}

GOALS = {
    1: _l("No poverty"),
    2: _l("Zero hunger"),
    3: _l("Good health and well-being"),
    4: _l("Quality education"),
    5: _l("Gender equality"),
    6: _l("Clean water and sanitation"),
    7: _l("Affordable and clean energy"),
    8: _l("Decent work and economic growth"),
    9: _l("Industry, innovation and infrastructure"),
    10: _l("Reduced inequalities"),
    11: _l("Sustainable cities and communities"),
    12: _l("Responsible consumption and production"),
    13: _l("Climate action"),
    14: _l("Life below water"),
    15: _l("Life on land"),
    16: _l("Peace, justice and strong institutions"),
    17: _l("Partnerships for the goals"),
}

# Placeholders the scrubber puts into shared texts, as people read them.
PLACEHOLDERS = {
    "[phone]": _l("[phone]"),
    "[email]": _l("[email]"),
    "[id]": _l("[id]"),
    "[url]": _l("[url]"),
    "[name]": _l("[name]"),
    "[contact]": _l("[contact]"),
}

SHOWN_PLACEHOLDERS = {**PLACEHOLDERS, "[contact]": _l("[contact]")}
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in SHOWN_PLACEHOLDERS))


def mark_placeholders(text) -> Markup:
    """TEXT (escaped) with each scrubber placeholder ("[name]") in the interface
    language, marked, and tagged with the page's language (the text around it
    keeps its own)."""
    from . import current

    tag = escape(current().tag)

    def shown(match) -> str:
        return f'<mark lang="{tag}">{escape(SHOWN_PLACEHOLDERS[match.group(0)])}</mark>'

    return Markup(_PLACEHOLDER.sub(shown, str(escape(text))))


# Council codes (priorities, actions, set-aside and removal reasons, status buttons).
PRIORITY_STATUSES = {
    "open": _l("being planned"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "dropped": _l("dropped"),
}
ACTION_STATUSES = {
    "planned": _l("planned"),
    "in_progress": _l("in progress"),
    "done": _l("done"),
    "blocked": _l("blocked"),
}
SET_ASIDE_REASONS = {
    "duplicate": _l("duplicate"),
    "out_of_remit": _l("out of the council's remit"),
    "not_enough_information": _l("not enough information"),
    "already_done": _l("already done"),
    "other": _l("other reason"),
}
REMOVAL_REASONS = {
    "spam": _l("spam or abuse"),
    "erasure": _l("the person asked for it to be erased"),
}
# What the button that moves a need to a status says.
STATUS_ACTIONS = {
    "accepted": _l("Accept"),
    "set_aside": _l("Set aside"),
    "planned": _l("Plan"),
    "resolved": _l("Mark resolved"),
    "new": _l("Reopen"),
}

# What happened, in the history of a need or a priority, and the fields it changed.
HISTORY_ACTIONS = {
    "edit": _l("edited"),
    "plus_one": _l("+1 at a meeting"),
    "text_checked": _l("checked for sharing"),
    "status": _l("status changed"),
    "merge": _l("another need joined this one"),
    "unmerge": _l("a joined need was separated again"),
    "removed": _l("removed"),
    "accept_kiosk": _l("kiosk need accepted"),
    "retention": _l("contact erased after the retention time"),
    "create": _l("created"),
    "update": _l("changed"),
    "add_need": _l("need added"),
    "remove_need": _l("need taken out"),
    "vote": _l("ranked by a vote"),
    "rank": _l("ranked"),
}
HISTORY_FIELDS = {
    "text": _l("Text"),
    "category": _l("Category"),
    "goals": _l("Goals"),
    "locality": _l("Locality"),
    "gender": _l("Gender"),
    "age_band": _l("Age"),
    "groups": _l("Groups"),
    "supporters": _l("People"),
    "text_checked": _l("Checked for sharing"),
    "status": _l("Status"),
    "reason": _l("Reason"),
    "note": _l("Note"),
    "merged_into": _l("Joined with"),
    "merged": _l("Joined need"),
    "respondent_contact": _l("Contact"),
    "hidden": _l("Kiosk"),
    "removed": _l("Removed"),
    "title": _l("Title"),
    "need": _l("Need"),
    "rank": _l("Rank"),
    "description": _l("Description"),
}


def history_label(kind: str, code) -> str:
    """The label of a history action or field (kind "action" or "field"); one that
    has no label yet reads as a plain "changed" / "other", never as its code."""
    if kind == "action":
        return HISTORY_ACTIONS.get(code) or _l("changed")
    return HISTORY_FIELDS.get(code) or _l("other")


TABLES = {
    "role": ROLES,
    "level": LEVELS,
    "status": STATUSES,
    "gender": GENDERS,
    "age_band": AGE_BANDS,
    "group": GROUPS,
    "channel": CHANNELS,
    "category": CATEGORIES,
    "goal": GOALS,
    "priority_status": PRIORITY_STATUSES,
    "action_status": ACTION_STATUSES,
    "reason": SET_ASIDE_REASONS,
    "removal_reason": REMOVAL_REASONS,
    "status_action": STATUS_ACTIONS,
}


def _category_rows() -> dict[str, dict]:
    """The node's categories, read once per request."""
    from flask import g

    from app.database import get_db
    from app.store import categories

    if "category_rows" not in g:
        g.category_rows = {r["code"]: r for r in categories.rows(get_db(), include_retired=True)}
    return g.category_rows


def category_label(code, row: dict | None = None):
    """A category's name in the interface language: the admin's name for that
    language (admin > Categories), else the built-in translation, else the
    node's own label, else the code."""
    from app import i18n

    row = row or _category_rows().get(code) or {}
    language = i18n.current().code
    names = row.get("labels") or {}
    base = language.split("_")[0]
    return names.get(language) or names.get(base) or CATEGORIES.get(code) or row.get("label") or code


def label_of(kind: str, code):
    """The label of CODE in table KIND ('status', 'gender', 'goal', ...)."""
    if kind == "category":
        return category_label(code)
    return label(TABLES[kind], code)
