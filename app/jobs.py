"""Scheduled jobs of the feature areas, registered with app.scheduler.job.

Import-only module: the scheduler imports it before starting, so every job
defined (or imported) here is scheduled inside `sauti serve`.
"""
