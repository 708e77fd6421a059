"""Administration pages: node identity, settings, users, disk space, sync, enrolment."""
