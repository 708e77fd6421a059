"""Interface languages: one table of code, native name and script direction.

The locale of a request is, in order: the visitor's own choice (cookie
`lang`, switchable on every page), the browser's Accept-Language, then the
node's default language.
"""

from dataclasses import dataclass

from flask import current_app, g, request
from flask_babel import get_locale

COOKIE = "lang"


@dataclass(frozen=True)
class Locale:
    code: str  # Babel catalog folder name
    tag: str  # BCP 47, for <html lang>
    native: str
    dir: str = "ltr"


LOCALES: dict[str, Locale] = {
    loc.code: loc
    for loc in [
        Locale("en", "en", "English"),
        Locale("fr", "fr", "Français"),
        Locale("es", "es", "Español"),
        Locale("pt", "pt", "Português"),
        Locale("sw", "sw", "Kiswahili"),
        Locale("ar", "ar", "العربية", "rtl"),
        Locale("zh_Hans", "zh-Hans", "简体中文"),
        Locale("hi", "hi", "हिन्दी"),
    ]
}
DEFAULT = "en"


def match(tag: str | None) -> str | None:
    """The catalog code for a BCP 47 or POSIX tag, or None."""
    if not tag:
        return None
    norm = tag.replace("_", "-").lower()
    for loc in LOCALES.values():
        if loc.tag.lower() == norm:
            return loc.code
    primary = norm.split("-")[0]
    if primary == "zh":
        # Traditional-script tags have no catalog; simplified is closer than English.
        return "zh_Hans"
    for loc in LOCALES.values():
        if loc.tag.lower() == primary:
            return loc.code
    return None


def select_locale() -> str:
    chosen = match(request.cookies.get(COOKIE))
    if chosen:
        return chosen
    for tag, _quality in request.accept_languages:
        found = match(tag)
        if found:
            return found
    return match(current_app.config.get("SAUTI_DEFAULT_LANGUAGE")) or DEFAULT


def current() -> Locale:
    if "sauti_locale" not in g:
        g.sauti_locale = LOCALES.get(str(get_locale()), LOCALES[DEFAULT])
    return g.sauti_locale
