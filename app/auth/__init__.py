"""Sign-in, sign-out, roles and the access guard."""
