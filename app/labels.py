"""Translatable labels for the codes the contract fixes (roles, levels, ...).

Codes are stored and sent as they are; people see these labels.
"""

from flask_babel import lazy_gettext as _l

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
