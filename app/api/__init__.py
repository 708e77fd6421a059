"""The JSON API under /api/v1 (token authentication, no CSRF)."""
