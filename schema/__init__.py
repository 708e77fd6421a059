"""marshmallow schemas: the contracts app/ and sync/ both speak.

One definition per record shape, used for validation, serialization and the
OpenAPI document. Nothing here imports Flask.
"""
