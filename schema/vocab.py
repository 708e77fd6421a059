"""Fixed vocabularies of the contract (codes only; labels are in app.i18n.labels)."""

GENDERS = ("female", "male", "other", "undisclosed")
AGE_BANDS = ("0-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65+", "undisclosed")
GROUPS = ("disability", "displaced", "indigenous", "minority", "migrant", "low-income", "other")
CHANNELS = ("meeting", "facilitator", "self", "paper", "sms")
STATUSES = ("new", "accepted", "merged", "set_aside", "planned", "resolved")
GOALS = tuple(range(1, 18))
YOUTH = "15-24"

# Capture limits: what a node accepts, and so what a parent accepts from a child.
MAX_SUPPORTERS = 100_000  # supporters of one need
MAX_ATTENDANCE = 1_000_000  # one attendance cell of a meeting
CATEGORY_CODE = r"^[a-z][a-z0-9_-]{1,31}$"  # built-in and a node's own categories
