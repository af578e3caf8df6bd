"""The officers' admin of matches, match runs, their audit trail and notifications.

Imported by ``matchmaking/admin.py``. Nothing here changes a match directly: every action
calls ``matchmaking.services.review`` (or ``matching``), which checks that the user is an
officer and records the transition. Matches are read-only in the admin; officers hide,
unhide, reopen, export, and introduce two listings by hand.

By job: ``matches`` (the match admin: columns, reasons, contacts, audit inline), ``actions``
(hide / show / reopen), ``introduce`` (a match by hand), ``resources`` (the export),
``filters``, ``runs`` (match runs, the audit trail, notifications), ``common``.
"""

from matchmaking.admin_matches import matches, runs  # noqa: F401 - register the admin classes
from matchmaking.admin_matches.resources import MatchResource

__all__ = ["MatchResource"]
