"""Backups that restore: a consistent snapshot while the app runs, checked before it is
restored, and erasures that survive a restore (docs/deploy.md, "Backups")."""
