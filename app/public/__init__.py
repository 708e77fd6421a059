"""Public pages without sign-in: status lookup, kiosk, "You said, we did" board."""
