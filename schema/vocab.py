"""Fixed vocabularies of the contract (codes only; labels are in app.i18n.labels)."""

GENDERS = ("female", "male", "other", "undisclosed")
AGE_BANDS = ("0-14", "15-24", "25-34", "35-44", "45-54", "55-64", "65+", "undisclosed")
GROUPS = ("disability", "displaced", "indigenous", "minority", "migrant", "low-income", "other")
CHANNELS = ("meeting", "facilitator", "self", "paper", "sms")
STATUSES = ("new", "accepted", "merged", "set_aside", "planned", "resolved")
GOALS = tuple(range(1, 18))
YOUTH = "15-24"
