"""Connection conferences (kết nối cung cầu) run on the platform, b2match-style.

An officer sets up a ``ConnectionEvent`` with its ``EventSession`` rows; organizations register
(``Registration``: the listings they bring, the sessions they attend); they request 1:1
``Meeting`` rows with each other, proposed from their matches; the scheduler places accepted
meetings in slots and at tables; after the slot each side records a ``MeetingOutcome``.
The seeded past conferences are ``finished`` events with their sources.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy as _


class ConnectionEvent(models.Model):
    """A conference that connects supply and demand, past (seeded) or run on the platform."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Registration open")
        CLOSED = "closed", _("Registration closed")
        SCHEDULED = "scheduled", _("Scheduled")
        FINISHED = "finished", _("Finished")

    # The moves an officer may make; ``scheduled`` is reached by running the scheduler.
    TRANSITIONS = {
        Status.DRAFT: {Status.OPEN},
        Status.OPEN: {Status.CLOSED},
        Status.CLOSED: {Status.OPEN, Status.SCHEDULED},
        Status.SCHEDULED: {Status.FINISHED},
        Status.FINISHED: set(),
    }

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    name_en = models.CharField(_("English name"), max_length=300)
    held_on = models.DateField(_("held on"))
    place = models.ForeignKey(
        "catalog.Province",
        on_delete=models.PROTECT,
        related_name="events_held",
        verbose_name=_("place"),
    )
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    organiser = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events_organised",
        verbose_name=_("organiser"),
    )
    programme = models.ForeignKey(
        "matchmaking.CooperationProgramme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
    )
    provinces = models.ManyToManyField(
        "catalog.Province", related_name="events", verbose_name=_("participating provinces")
    )
    themes = models.JSONField(_("themes"), default=list, blank=True)
    product_categories = models.ManyToManyField(
        "catalog.ProductCategory",
        blank=True,
        related_name="events",
        verbose_name=_("product families named"),
    )
    source = models.ForeignKey(
        "catalog.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("source"),
        help_text=_("For past conferences seeded from public sources."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per meeting"),
        default=20,
        validators=[MinValueValidator(5), MaxValueValidator(240)],
    )
    tables = models.PositiveSmallIntegerField(
        _("tables"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1000)]
    )
    registration_deadline = models.DateTimeField(_("registration deadline"), null=True, blank=True)
    meeting_cap = models.PositiveSmallIntegerField(
        _("meetings per participant at most"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    request_days = models.PositiveSmallIntegerField(
        _("days to answer a meeting request"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    schedule_report = models.JSONField(_("last schedule"), default=dict, blank=True)
    schedule_progress = models.JSONField(_("scheduler progress"), default=dict, blank=True)
    scheduled_at = models.DateTimeField(_("scheduled at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    class Meta:
        ordering = ["-held_on"]
        verbose_name = _("connection event")
        verbose_name_plural = _("connection events")

    def __str__(self) -> str:
        return f"{self.name} ({self.held_on:%d/%m/%Y})"

    def slot_times(self) -> list[tuple[int, datetime.datetime, datetime.datetime]]:
        """Every meeting slot in time order: (session index, start, end)."""
        step = datetime.timedelta(minutes=self.slot_minutes)
        slots = []
        for index, session in enumerate(self.sessions.all()):
            start = session.starts_at
            while start + step <= session.ends_at:
                slots.append((index, start, start + step))
                start += step
        return slots


class EventSession(models.Model):
    """A block of meeting slots (e.g. 08:00–11:00); registrations name the ones they attend."""

    event = models.ForeignKey(
        ConnectionEvent, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting session")
        verbose_name_plural = _("meeting sessions")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%d/%m/%Y %H:%M}–{self.ends_at:%H:%M}"


class Registration(models.Model):
    """An organization taking part in an event, with the listings it brings."""

    class Side(models.TextChoices):
        SUPPLY = "supply", _("Supplier")
        DEMAND = "demand", _("Buyer")
        BOTH = "both", _("Supplier and buyer")

    event = models.ForeignKey(
        ConnectionEvent,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("event"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="event_registrations",
        verbose_name=_("organization"),
    )
    side = models.CharField(_("side"), max_length=6, choices=Side.choices)
    listings = models.ManyToManyField(
        "listings.Listing", related_name="event_registrations", verbose_name=_("listings")
    )
    sessions = models.ManyToManyField(
        EventSession, related_name="registrations", verbose_name=_("sessions attended")
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("registered by"),
    )
    # Start times (ISO 8601) of the slots the participant cannot take within the sessions it
    # attends; a stored time excludes the slot that contains it (see ``excluded_indexes``).
    excluded_slots = models.JSONField(
        _("unavailable slots"), default=list, blank=True, help_text=_("Slot start times.")
    )
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    # The agenda last emailed ([meeting id, start, table] each), so a re-published schedule
    # emails an "updated agenda" only to those whose meetings moved (services.agendas).
    agenda_emailed = models.JSONField(_("agenda last emailed"), default=list, blank=True)
    agenda_emailed_at = models.DateTimeField(_("agenda emailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organization"], name="registration_once_per_organization"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} @ {self.event}"

    def excluded_times(self) -> list[datetime.datetime]:
        """The stored exclusions as aware datetimes (unreadable entries are skipped)."""
        times = []
        for value in self.excluded_slots or []:
            try:
                times.append(datetime.datetime.fromisoformat(str(value)))
            except ValueError:
                continue
        return sorted(t for t in times if t.tzinfo is not None)

    def excluded_indexes(self, slot_times) -> frozenset[int]:
        """Indexes into ``slot_times`` (``ConnectionEvent.slot_times()``) of the excluded slots:
        those holding a stored time, so a change of slot length keeps the hour excluded."""
        times = self.excluded_times()
        return frozenset(
            t
            for t, (_session, start, end) in enumerate(slot_times)
            if any(start <= x < end for x in times)
        )


class MeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> MeetingQuerySet:
        """Officers see every meeting; members those of their organizations."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_officer", False):
            return self
        from accounts.selectors import member_organization_ids

        orgs = member_organization_ids(user)
        return self.filter(Q(requester_id__in=orgs) | Q(counterpart_id__in=orgs))

    def involving(self, organization_id: int) -> MeetingQuerySet:
        return self.filter(Q(requester_id=organization_id) | Q(counterpart_id=organization_id))


class Meeting(models.Model):
    """A 1:1 meeting between two registered organizations of one event."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No show")

    # A pair has at most one meeting in these at a time; they count towards the cap.
    LIVE_STATUSES = (Status.REQUESTED, Status.ACCEPTED, Status.SCHEDULED)
    AGENDA_STATUSES = (Status.SCHEDULED, Status.HELD, Status.NO_SHOW)

    event = models.ForeignKey(
        ConnectionEvent, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("event")
    )
    requester = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="meetings_requested",
        verbose_name=_("requester"),
    )
    counterpart = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="meetings_received",
        verbose_name=_("counterpart"),
    )
    match = models.ForeignKey(
        "matchmaking.Match",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("match"),
    )
    score = models.FloatField(_("match score"), default=0.0)
    note = models.CharField(_("note"), max_length=500, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    expires_at = models.DateTimeField(_("answer by"))
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    table = models.PositiveSmallIntegerField(_("table"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    cancelled_by = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    expired = models.BooleanField(_("expired unanswered"), default=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=~Q(requester=models.F("counterpart")), name="meeting_two_sides"
            ),
            models.UniqueConstraint(
                Least("requester", "counterpart"),
                Greatest("requester", "counterpart"),
                "event",
                condition=Q(status__in=["requested", "accepted", "scheduled"]),
                name="meeting_one_live_per_pair",
            ),
            models.UniqueConstraint(
                fields=["event", "starts_at", "table"], name="meeting_table_once_per_slot"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requester} ↔ {self.counterpart}"

    def sides(self) -> tuple[int, int]:
        return (self.requester_id, self.counterpart_id)


class MeetingOutcome(models.Model):
    """What one side reports after a meeting: held or not, interest, the next step."""

    class Interest(models.TextChoices):
        NONE = "none", _("No interest")
        LOW = "low", _("Some interest")
        HIGH = "high", _("Strong interest")

    class NextStep(models.TextChoices):
        NONE = "none", _("None")
        SAMPLES = "samples", _("Send samples")
        QUOTE = "quote", _("Send a quote")
        CONTRACT = "contract", _("Sign a contract")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("meeting")
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("reported for"),
    )
    held = models.BooleanField(_("held"))
    interest = models.CharField(
        _("interest"), max_length=4, choices=Interest.choices, default=Interest.NONE
    )
    next_step = models.CharField(
        _("next step"), max_length=8, choices=NextStep.choices, default=NextStep.NONE
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reported by"),
    )
    reported_at = models.DateTimeField(_("reported at"), auto_now=True)

    class Meta:
        ordering = ["meeting", "pk"]
        verbose_name = _("meeting outcome")
        verbose_name_plural = _("meeting outcomes")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "organization"], name="outcome_once_per_side"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.get_next_step_display()}"
