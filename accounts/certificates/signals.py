"""Sent by the certificate services when a certificate starts or stops counting.

``accounts`` cannot know about matching (it sits below it); matchmaking listens and re-matches
the organization's supply, withdrawing proposals that relied on a certificate gone.
"""

from django.dispatch import Signal

# Sent on commit with ``certificate`` and ``previous_state``.
certificate_changed = Signal()
