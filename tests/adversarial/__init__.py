"""Attacks on sync, each reproduced through real nodes or real bytes (issue 10)."""
