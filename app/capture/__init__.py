"""Capture: the facilitator's need form, meetings, needs list and need pages,
paper-form import, and the offline support (service worker, queue import)."""
