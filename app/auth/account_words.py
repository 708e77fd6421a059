"""People's words for account refusals (app.auth.accounts.AccountError codes)
and for the actions of the audit list."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from .accounts import AccountError


def refusal(exc: AccountError) -> str:
    info = exc.info
    words = {
        "bad_username": lambda: _(
            "A user name is 2 to 64 letters, digits, dots, underscores, @ or hyphens."
        ),
        "exists": lambda: _("A user with this name exists already; choose another name."),
        "bad_role": lambda: _("Choose a role."),
        "short_password": lambda: _(
            "The password is too short; use at least %(n)s characters.", n=info["minimum"]
        ),
        "long_password": lambda: _(
            "The password is too long; use at most %(n)s characters.", n=info["maximum"]
        ),
        "no_user": lambda: _("There is no such user."),
        "disabled": lambda: _("This account is disabled; a disabled account gets no token."),
        "short_prefix": lambda: _("Give at least the first 8 characters of the token."),
        "no_token": lambda: _("No active token starts with these characters."),
        "several_tokens": lambda: _("Several tokens start with these characters; give more."),
        "wrong_password": lambda: _("Your current password is not right."),
    }
    return words.get(exc.code, lambda: _("Some fields are not valid."))()


AUDIT_ACTIONS = {
    "user_add": _l("user added"),
    "user_disable": _l("user disabled"),
    "user_enable": _l("user enabled again"),
    "password_reset": _l("password reset by an administrator"),
    "password_change": _l("own password changed"),
    "token_create": _l("API token created"),
    "token_revoke": _l("API token revoked"),
    "setting_set": _l("setting changed"),
    "category_add": _l("category added"),
    "category_names": _l("category renamed"),
    "category_icon": _l("category pictogram changed"),
    "category_retire": _l("category retired"),
    "category_restore": _l("category brought back"),
    "locality_name": _l("locality name set"),
    "child_enrol": _l("child node enrolled"),
    "parent_set": _l("parent node set"),
}
