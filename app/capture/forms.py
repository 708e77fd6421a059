"""Reading the capture pages' forms into the API's shape, and what the forms offer.

A posted need form is turned into the same dict the API receives and goes
through app.capture.needs.capture, so a form and an API post validate identically.
Field names in the forms are the API's field names (respondent_name and
respondent_contact stand for respondent.name and respondent.contact).
"""

import datetime as dt

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from schema import vocab
from schema.fields import Locality, Text, under

# Languages offered for the text being written: BCP 47 tag and native name.
# Anything else can be typed as a tag.
TEXT_LANGUAGES = [
    ("sw", "Kiswahili"),
    ("en", "English"),
    ("fr", "Français"),
    ("ar", "العربية"),
    ("am", "አማርኛ"),
    ("ti", "ትግርኛ"),
    ("om", "Afaan Oromoo"),
    ("so", "Soomaali"),
    ("ki", "Gĩkũyũ"),
    ("luo", "Dholuo"),
    ("rw", "Ikinyarwanda"),
    ("lg", "Luganda"),
    ("ha", "Hausa"),
    ("yo", "Yorùbá"),
    ("ig", "Igbo"),
    ("wo", "Wolof"),
    ("ff", "Fulfulde"),
    ("ln", "Lingála"),
    ("zu", "isiZulu"),
    ("xh", "isiXhosa"),
    ("mg", "Malagasy"),
    ("pt", "Português"),
    ("pt-BR", "Português (Brasil)"),
    ("es", "Español"),
    ("hi", "हिन्दी"),
    ("bn", "বাংলা"),
    ("ur", "اردو"),
    ("ne", "नेपाली"),
    ("ta", "தமிழ்"),
    ("fa", "فارسی"),
    ("ps", "پښتو"),
    ("tr", "Türkçe"),
    ("ru", "Русский"),
    ("uk", "Українська"),
    ("zh-Hans", "简体中文"),
    ("zh-Hant", "繁體中文"),
    ("th", "ไทย"),
    ("vi", "Tiếng Việt"),
    ("id", "Bahasa Indonesia"),
    ("ms", "Bahasa Melayu"),
    ("tl", "Tagalog"),
    ("my", "မြန်မာ"),
    ("km", "ខ្មែរ"),
    ("ht", "Kreyòl ayisyen"),
    ("qu", "Runasimi"),
]

# One plain, translated sentence per field, shown next to it when it is wrong.
FIELD_MESSAGES = {
    "uuid": _l("This form is damaged; open a new capture form."),
    "text": _l("Write what is needed: 1 to 5,000 characters."),
    "language": _l("Choose the language of the text, or type a tag such as sw, ar or zh-Hans."),
    "category": _l("Choose one of the categories."),
    "goals": _l("Choose goals from 1 to 17."),
    "locality": _l("Use a locality code at or under %(locality)s, such as %(locality)s/area."),
    "gender": _l("Choose from the list."),
    "age_band": _l("Choose from the list."),
    "groups": _l("Choose from the list."),
    "supporters": _l("Enter a whole number from 1 to 100,000."),
    "respondent_name": _l("At most 200 characters."),
    "respondent_contact": _l("At most 200 characters."),
    "consent": _l(
        "Tick the consent box before writing down a name or contact, or leave both empty."
    ),
    "captured_at": _l("The device time could not be read; reload the form."),
    "title": _l("Give the meeting a title: 1 to 200 characters."),
    "date": _l("Enter the meeting's date."),
    "attendance": _l("Enter whole numbers from 0."),
}


def whole_number(raw: str):
    """RAW as an int when it is a plain ASCII whole number (< 10 digits), else RAW."""
    raw = raw.strip()
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else raw


def chosen(form, key: str) -> str:
    """A field offered as a list with "another" typed beside it: the typed one wins."""
    return form.get(f"{key}_other", "").strip() or form.get(key, "")


def need_from_form(form) -> dict:
    """The API body for a posted need form (empty optional fields left out,
    so the schema's defaults apply exactly as for the API)."""
    data: dict = {}
    for key in ("uuid", "text", "language", "category", "locality", "gender", "age_band"):
        value = chosen(form, key) if key in ("language", "locality") else form.get(key, "")
        if key == "text" or value.strip():
            data[key] = value if key == "text" else value.strip()
    if "captured_at" in form and form["captured_at"].strip():
        data["captured_at"] = form["captured_at"].strip()
    data["groups"] = [g for g in form.getlist("groups") if g]
    if form.get("supporters", "").strip():
        data["supporters"] = whole_number(form["supporters"])
    respondent = {
        "name": form.get("respondent_name", "").strip() or None,
        "contact": form.get("respondent_contact", "").strip() or None,
    }
    if any(respondent.values()):
        data["respondent"] = respondent
    data["consent"] = form.get("consent", "") in ("true", "on", "1", "yes")
    return data


def edit_from_form(form) -> dict:
    """The edit body for a posted edit form (every editable field is on it)."""
    data = {"text": form.get("text", "")}
    for key in ("category", "locality", "gender", "age_band"):
        value = chosen(form, key) if key == "locality" else form.get(key, "")
        if value.strip():  # left empty: unchanged
            data[key] = value.strip()
    data["groups"] = [g for g in form.getlist("groups") if g]
    data["goals"] = [whole_number(g) for g in form.getlist("goals") if g.strip()]
    if form.get("supporters", "").strip():
        data["supporters"] = whole_number(form["supporters"])
    return data


def flat_errors(details: dict) -> dict[str, list]:
    """Schema errors keyed by form field name (respondent.name -> respondent_name)."""
    flat = {}
    for key, value in details.items():
        if key == "respondent" and isinstance(value, dict):
            for sub, messages in value.items():
                flat[f"respondent_{sub}"] = messages
        else:
            flat[key] = value
    return flat


class MeetingSchema(Schema):
    title = Text(required=True, validate=validate.Length(min=1, max=200))
    locality = Locality(load_default=None)
    date = fields.Date(required=True)

    def __init__(self, *, node_locality: str, **kwargs):
        super().__init__(**kwargs)
        self.node_locality = node_locality

    @validates_schema(skip_on_field_errors=False)
    def _under_node(self, data, **kwargs):
        locality = data.get("locality")
        if locality and not under(locality, self.node_locality):
            raise ValidationError("outside the node", "locality")


def meeting_from_form(form, node_locality: str) -> dict:
    """A validated meeting (title, locality, date as text) or ValidationError."""
    data = {"title": form.get("title", ""), "date": form.get("date", "").strip()}
    if chosen(form, "locality").strip():
        data["locality"] = chosen(form, "locality").strip()
    loaded = MeetingSchema(node_locality=node_locality).load(data)
    loaded["locality"] = loaded.get("locality") or node_locality
    loaded["date"] = loaded["date"].isoformat()
    return loaded


def attendance_from_form(form) -> tuple[dict[tuple[str, str], int], set[str]]:
    """({(gender, age_band): count}, names of the inputs that are not whole numbers)."""
    counts, bad = {}, set()
    for gender in vocab.GENDERS:
        for band in vocab.AGE_BANDS:
            name = attendance_field(gender, band)
            raw = form.get(name, "").strip()
            if not raw:
                continue
            value = whole_number(raw)
            if isinstance(value, int) and value <= 1_000_000:
                counts[(gender, band)] = value
            else:
                bad.add(name)
    return counts, bad


def attendance_field(gender: str, band: str) -> str:
    return f"att_{gender}_{band}"


def attendance_totals(counts: dict) -> dict:
    """{"by_gender": {gender: n}, "all": n} of attendance COUNTS keyed by field name
    (values as stored, or as typed: what is not a whole number counts 0)."""
    by_gender = {}
    for gender in vocab.GENDERS:
        fields_ = (attendance_field(gender, band) for band in vocab.AGE_BANDS)
        values = (whole_number(str(counts.get(name, ""))) for name in fields_)
        by_gender[gender] = sum(v for v in values if isinstance(v, int))
    return {"by_gender": by_gender, "all": sum(by_gender.values())}


def today() -> str:
    return dt.date.today().isoformat()
