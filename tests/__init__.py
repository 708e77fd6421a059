"""Sauti test suite."""
