"""The node itself, without Flask: its home folder, settings, scheduler, backups, TLS, clock."""
