"""Connection events: an officer sets one up and moves it along; organizations register.

One rule, one home: the API, the pages and the admin all call these. Bad input is a Django
``ValidationError`` by field (400), a refused move a ``DomainError`` (409), a caller who may
not act a ``PermissionDenied`` (403).
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import Organization
from accounts.selectors import is_member, is_officer
from core.errors import DomainError
from listings.models import Listing
from matchmaking.models import ConnectionEvent, EventSession, Registration

EVENT_FIELDS = (
    "name",
    "name_en",
    "held_on",
    "place",
    "venue",
    "organiser",
    "programme",
    "slot_minutes",
    "tables",
    "registration_deadline",
    "meeting_cap",
    "request_days",
)


class EventStateError(DomainError):
    code = "illegal_transition"


def require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDenied(_("Only trade-promotion officers may do this."))


def _unique_slug(event: ConnectionEvent) -> str:
    base = slugify(event.name_en or event.name)[:60] or "event"
    base = f"{base}-{event.held_on:%Y}" if event.held_on else base
    slug, n = base, 1
    while ConnectionEvent.objects.filter(slug=slug).exclude(pk=event.pk).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def check_sessions(sessions: Sequence[tuple[datetime.datetime, datetime.datetime]], slot_minutes):
    """Each session holds at least one slot and none overlaps another."""
    errors = []
    step = datetime.timedelta(minutes=slot_minutes or 20)
    ordered = sorted(sessions)
    for starts_at, ends_at in sessions:
        if ends_at <= starts_at:
            errors.append(_("A session must end after it starts."))
        elif ends_at - starts_at < step:
            errors.append(_("A session must be at least one meeting slot long."))
    for (_s1, end1), (start2, _e2) in itertools.pairwise(ordered):
        if start2 < end1:
            errors.append(_("Sessions must not overlap."))
            break
    if errors:
        raise ValidationError({"sessions": errors})


def _save_sessions(event: ConnectionEvent, sessions) -> None:
    current = [(s.starts_at, s.ends_at) for s in event.sessions.all()]
    if sorted(sessions) == current:
        return
    if event.registrations.exists():
        raise ValidationError(
            {"sessions": [_("Sessions cannot change once organizations have registered.")]}
        )
    event.sessions.all().delete()
    EventSession.objects.bulk_create(
        EventSession(event=event, starts_at=s, ends_at=e) for s, e in sorted(sessions)
    )


def _check_deadline(event: ConnectionEvent, sessions) -> None:
    if event.registration_deadline and sessions:
        first = min(s for s, _e in sessions)
        if event.registration_deadline > first:
            raise ValidationError(
                {"registration_deadline": [_("Registration must close before the first session.")]}
            )


@transaction.atomic
def event_create(
    *, by_user, provinces: Sequence = (), sessions: Sequence = (), status: str = "draft", **fields
) -> ConnectionEvent:
    """A new event (draft unless ``status`` says ``open``), with its sessions."""
    require_officer(by_user)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    event = ConnectionEvent(created_by=by_user, status=ConnectionEvent.Status.DRAFT, **fields)
    event.slug = _unique_slug(event)
    event.full_clean()
    check_sessions(sessions, event.slot_minutes)
    _check_deadline(event, sessions)
    event.save()
    event.provinces.set(provinces)
    _save_sessions(event, sessions)
    if status != ConnectionEvent.Status.DRAFT:
        event_set_status(event=event, status=status, by_user=by_user)
    return event


@transaction.atomic
def event_update(
    *,
    event: ConnectionEvent,
    by_user,
    provinces: Sequence | None = None,
    sessions: Sequence | None = None,
    status: str | None = None,
    **fields,
) -> ConnectionEvent:
    require_officer(by_user)
    event = ConnectionEvent.objects.select_for_update().get(pk=event.pk)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(event, name, value)
    event.full_clean(exclude=["slug"])
    if sessions is None:
        sessions = [(s.starts_at, s.ends_at) for s in event.sessions.all()]
    check_sessions(sessions, event.slot_minutes)
    _check_deadline(event, sessions)
    event.save()
    if provinces is not None:
        event.provinces.set(provinces)
    _save_sessions(event, sessions)
    if status is not None and status != event.status:
        event_set_status(event=event, status=status, by_user=by_user)
    return event


@transaction.atomic
def event_set_status(*, event: ConnectionEvent, status: str, by_user) -> ConnectionEvent:
    """Move the event along draft → open → closed (→ open) → scheduled → finished."""
    require_officer(by_user)
    event = ConnectionEvent.objects.select_for_update().get(pk=event.pk)
    allowed = ConnectionEvent.TRANSITIONS.get(event.status, set())
    if status == ConnectionEvent.Status.SCHEDULED and event.status == "closed":
        raise EventStateError(_("An event becomes scheduled by running the scheduler."))
    if status not in allowed:
        raise EventStateError(
            _("An event cannot move from “%(old)s” to “%(new)s”.")
            % {"old": event.status, "new": status}
        )
    if status == ConnectionEvent.Status.OPEN and not event.sessions.exists():
        raise EventStateError(_("Add at least one meeting session before opening registration."))
    event.status = status
    event.save(update_fields=["status"])
    return event


def public_events():
    return ConnectionEvent.objects.exclude(status=ConnectionEvent.Status.DRAFT)


def events_visible_to(user):
    return ConnectionEvent.objects.all() if is_officer(user) else public_events()


# --- registration ----------------------------------------------------------------------------


def _side_of(listings) -> str:
    sides = {listing.side for listing in listings}
    if sides == {Listing.Side.SUPPLY}:
        return Registration.Side.SUPPLY
    if sides == {Listing.Side.DEMAND}:
        return Registration.Side.DEMAND
    return Registration.Side.BOTH


@transaction.atomic
def registration_create(
    *,
    event: ConnectionEvent,
    organization: Organization,
    listings: Sequence[Listing],
    sessions: Sequence[int],
    by_user,
    excluded_slots: Sequence[datetime.datetime] = (),
    now: datetime.datetime | None = None,
) -> Registration:
    """A member registers its organization once, while registration is open.

    ``excluded_slots``: start times of slots (within the sessions it attends) it cannot take.
    """
    now = now or timezone.now()
    if not is_member(by_user, organization):
        raise PermissionDenied(_("Only members of an organization may register it."))
    event = ConnectionEvent.objects.select_for_update().get(pk=event.pk)
    if event.status != ConnectionEvent.Status.OPEN:
        raise ValidationError(_("Registration for this event is not open."))
    if event.registration_deadline and now > event.registration_deadline:
        raise ValidationError(_("The registration deadline has passed."))
    errors: dict[str, list[str]] = {}
    if Registration.objects.filter(event=event, organization=organization).exists():
        errors["organization"] = [_("This organization is already registered for the event.")]
    if organization.kind == Organization.Kind.AGENCY:
        errors["organization"] = [_("Agencies organise events; suppliers and buyers register.")]
    listings = list({listing.pk: listing for listing in listings}.values())
    if not listings:
        errors["listings"] = [_("Bring at least one of your open listings.")]
    elif any(
        listing.organization_id != organization.pk or listing.status != Listing.Status.OPEN
        for listing in listings
    ):
        errors["listings"] = [_("Only the organization's own open listings can be brought.")]
    all_sessions = list(event.sessions.all())
    indexes = sorted(set(sessions))
    if not indexes:
        errors["sessions"] = [_("Choose at least one session.")]
    elif any(i < 0 or i >= len(all_sessions) for i in indexes):
        errors["sessions"] = [
            _("The event has sessions 0 to %(last)d.") % {"last": len(all_sessions) - 1}
        ]
    chosen = [all_sessions[i] for i in indexes] if "sessions" not in errors else []
    excluded = _check_excluded(event, chosen, excluded_slots, errors)
    if errors:
        raise ValidationError(errors)
    registration = Registration.objects.create(
        event=event,
        organization=organization,
        side=_side_of(listings),
        registered_by=by_user,
        excluded_slots=excluded,
    )
    registration.listings.set(listings)
    registration.sessions.set(chosen)
    return registration


# Exclusions may change while the schedule is not made yet (registration open or closed).
EXCLUDABLE = (ConnectionEvent.Status.OPEN, ConnectionEvent.Status.CLOSED)
MAX_EXCLUDED = 200


def _aware(value) -> bool:
    return isinstance(value, datetime.datetime) and not timezone.is_naive(value)


def _check_excluded(event, sessions, excluded_slots, errors: dict) -> list[str]:
    """The exclusions as stored (sorted ISO start times), or a field error in ``errors``.

    Each must be the start of a slot of a session the participant attends, at most once.
    """
    wanted = list(excluded_slots or [])
    if not wanted:
        return []
    if len(wanted) > MAX_EXCLUDED:
        errors["excluded_slots"] = [_("Exclude at most %(n)d slots.") % {"n": MAX_EXCLUDED}]
        return []
    attended = {s.pk for s in sessions}
    ids = [s.pk for s in event.sessions.all()]
    starts = {start for index, start, _end in event.slot_times() if ids[index] in attended}
    if len(set(wanted)) != len(wanted):
        errors["excluded_slots"] = [_("Name each slot once.")]
    elif not all(_aware(value) and value in starts for value in wanted):
        errors["excluded_slots"] = [_("Name the start times of slots in the sessions you attend.")]
    elif len(wanted) >= len(starts):
        errors["excluded_slots"] = [_("Leave at least one slot free to meet in.")]
    if "excluded_slots" in errors:
        return []
    return [value.astimezone(datetime.UTC).isoformat() for value in sorted(wanted)]


@transaction.atomic
def registration_set_excluded_slots(
    *, registration: Registration, excluded_slots: Sequence[datetime.datetime], by_user
) -> Registration:
    """A member (or an officer) changes the slots the organization cannot take, until the
    schedule is made; the scheduler never puts a meeting of it in one of them."""
    registration = (
        Registration.objects.select_for_update()
        .select_related("event", "organization")
        .get(pk=registration.pk)
    )
    if not (is_member(by_user, registration.organization) or is_officer(by_user)):
        raise PermissionDenied(_("Only members of the organization and officers may do this."))
    event = registration.event
    if event.status not in EXCLUDABLE:
        raise EventStateError(_("Unavailable slots can change only until the schedule is made."))
    errors: dict[str, list[str]] = {}
    excluded = _check_excluded(event, list(registration.sessions.all()), excluded_slots, errors)
    if errors:
        raise ValidationError(errors)
    registration.excluded_slots = excluded
    registration.save(update_fields=["excluded_slots"])
    return registration


def session_indexes(registration: Registration) -> list[int]:
    """The indexes (into the event's sessions) of the sessions a registration attends."""
    ids = [s.pk for s in registration.event.sessions.all()]
    attended = {s.pk for s in registration.sessions.all()}
    return [i for i, pk in enumerate(ids) if pk in attended]


@transaction.atomic
def registration_check_in(*, registration: Registration, by_user) -> Registration:
    """An officer at the desk checks a participant in on the day."""
    require_officer(by_user)
    if registration.checked_in_at is None:
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at"])
    return registration
