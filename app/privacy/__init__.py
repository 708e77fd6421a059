"""Privacy: the one place that decides what may be shown or shared — scrubbing free text,
disclosure control of published counts, retention of personal data."""
