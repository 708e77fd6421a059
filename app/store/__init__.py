"""The data layer: every SQL statement of a node lives in this package.

Modules are nouns (users, tokens, needs, settings ...); each takes a
`sqlite_utils.Database` and plain values. Nothing here imports Flask.
"""
