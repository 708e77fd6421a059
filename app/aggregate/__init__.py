"""Aggregate: disparity views, Goals view, coverage, open data (parents and councils)."""
