"""Signals the accounts app sends for apps above it (the audit log listens)."""

from django.dispatch import Signal

# A log-in lock has just started. Arguments: `request` (may be None), `scope` ("account"
# or "address"), `user` (the account when it exists and the scope is "account", else
# None: the address itself is never passed on), `seconds` (how long the lock lasts).
login_locked = Signal()
