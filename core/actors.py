"""Who acts when no person does.

Services take the person who acts (``by_user=``) and check what that person may do. The
platform's own writes (seed data, nightly jobs, benchmarks) pass :data:`SYSTEM` instead, so an
unchecked write is always one somebody wrote down, never a ``None`` that slipped through.
"""


class System:
    """The platform itself: not a person, never at a page, the API or the admin."""

    is_authenticated = False
    is_active = False
    is_staff = False
    is_superuser = False
    is_officer = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = System()


def recorded_user(by_user):
    """The user an audit row names as having acted: the person, ``None`` for :data:`SYSTEM`
    (or nobody)."""
    return by_user if by_user is not None and by_user.is_authenticated else None
