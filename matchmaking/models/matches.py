"""Proposed matches between a supply and a demand, the runs that make them, and their audit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Case, FloatField, Q, Value, When
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Abs, Cast
from django.db.models.lookups import LessThan
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.selectors import member_organization_ids, organization_ids_of
from core.cleaning import CleanTextModelMixin

# Where ``Match.facts`` holds the ``intent`` fact (``matchmaking.services.facts.FACT_KEYS``).
INTENT_FACT = "10"
# How proposals are listed: every one that fits the buyer's words first, then by score.
RANKING = ("off_intent", "-score", "-created_at")


class MatchQuerySet(models.QuerySet):
    """Matches; :meth:`with_sides` reads both listings of the fetched matches at once."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._sides = None

    def _clone(self):
        clone = super()._clone()
        clone._sides = self._sides
        return clone

    def with_sides(self, listings) -> MatchQuerySet:
        """Each fetched match's supply and demand from ``listings`` (a listing queryset with
        what the reader shows), both sides in one query: two prefetches (and their own
        prefetches, such as certifications) would read them in two."""
        clone = self._chain()
        clone._sides = listings
        return clone

    def _fetch_all(self):
        fetched = self._result_cache is not None
        super()._fetch_all()
        if fetched or self._sides is None or not self._result_cache:
            return
        matches = [m for m in self._result_cache if isinstance(m, Match)]
        ids = {m.supply_id for m in matches} | {m.demand_id for m in matches}
        listings = {listing.pk: listing for listing in self._sides.filter(pk__in=ids)}
        supply, demand = Match._meta.get_field("supply"), Match._meta.get_field("demand")
        for m in matches:
            for field, pk in ((supply, m.supply_id), (demand, m.demand_id)):
                if pk in listings:
                    field.set_cached_value(m, listings[pk])

    def visible_to(self, user) -> MatchQuerySet:
        """Officers see every match; members see the unhidden ones of their organizations."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_officer", False):
            return self
        return self.for_organizations(member_organization_ids(user)).filter(hidden=False)

    def for_organizations(self, organization_ids) -> MatchQuerySet:
        """Matches where either listing belongs to one of these organizations.

        The organizations' listing ids are read first (one small query), so that the two
        sides are two index look-ups on the match table (a bitmap OR): the same condition
        through the listings' ``organization_id`` is an OR across two joins, which scans
        every match of the market (0.1 s at 100k × 100k, against 0.3 ms).
        """
        from listings.models import Listing

        listing_ids = list(
            Listing.objects.filter(organization_id__in=organization_ids).values_list(
                "pk", flat=True
            )
        )
        return self.filter(Q(supply_id__in=listing_ids) | Q(demand_id__in=listing_ids))

    def for_listing(self, listing_id: int) -> MatchQuerySet:
        return self.filter(Q(supply_id=listing_id) | Q(demand_id=listing_id))

    def active(self) -> MatchQuerySet:
        return self.filter(status__in=Match.ACTIVE_STATUSES)

    def pending(self) -> MatchQuerySet:
        return self.filter(status__in=Match.PENDING_STATUSES)


class Match(CleanTextModelMixin, models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED_BY_SUPPLY = "accepted_by_supply", _("Accepted by the supplier")
        ACCEPTED_BY_DEMAND = "accepted_by_demand", _("Accepted by the buyer")
        CONNECTED = "connected", _("Connected")
        DECLINED = "declined", _("Declined")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Origin(models.TextChoices):
        ENGINE = "engine", _("Proposed by matching")
        OFFICER = "officer", _("Introduced by an officer")

    class DeclineReason(models.TextChoices):
        PRICE = "price", _("Price")
        QUANTITY = "quantity", _("Quantity")
        QUALITY = "quality", _("Quality or certification")
        DISTANCE = "distance", _("Distance or logistics")
        TIMING = "timing", _("Timing")
        OTHER = "other", _("Other")

    class Side(models.TextChoices):
        SUPPLY = "supply", _("Supplier")
        DEMAND = "demand", _("Buyer")

    # Waiting for an answer: these hold part of a supply's capacity.
    PENDING_STATUSES = (
        Status.PROPOSED,
        Status.ACCEPTED_BY_SUPPLY,
        Status.ACCEPTED_BY_DEMAND,
    )
    ACTIVE_STATUSES = (*PENDING_STATUSES, Status.CONNECTED)
    FINAL_STATUSES = (Status.DECLINED, Status.EXPIRED, Status.WITHDRAWN, Status.CONNECTED)

    supply = models.ForeignKey(
        "listings.Listing",
        on_delete=models.CASCADE,
        related_name="supply_matches",
        verbose_name=_("supply"),
    )
    demand = models.ForeignKey(
        "listings.Listing",
        on_delete=models.CASCADE,
        related_name="demand_matches",
        verbose_name=_("demand"),
    )
    score = models.FloatField(_("score"), db_index=True)
    explanation = models.JSONField(
        _("explanation"),
        default=list,
        blank=True,
        help_text=_(
            "Written reasons (officer introductions). Engine proposals keep only "
            "their factor values; the reasons are worded when read, in the reader's "
            "language."
        ),
    )
    # Factor values in the engine's FACTORS order; weights are on the run that scored them.
    factors = models.JSONField(_("factor values"), default=list, blank=True)
    # What the reasons say besides the factor values, as the engine saw the pair when it
    # scored it (``matchmaking.services.facts.FACT_KEYS`` order): reads word them, no engine.
    facts = models.JSONField(_("scoring facts"), default=list, blank=True)
    # The supply names none of what the demand's words ask for ("Arabica" for "Robusta
    # only"): such a proposal is listed after every one that fits, whatever the scores
    # (strict intent, ``matchmaking.engine.relevance``). Read from the ``intent`` fact
    # (-1 nothing asked, 1 fit, the penalty < 1 for a misfit); no facts, no misfit.
    off_intent = models.GeneratedField(
        expression=Case(
            When(
                LessThan(Abs(Cast(KeyTextTransform(INTENT_FACT, "facts"), FloatField())), 1.0),
                then=Value(True),
            ),
            default=Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
        verbose_name=_("off the buyer's words"),
    )
    suggested_quantity = models.DecimalField(
        _("suggested quantity (base unit)"), max_digits=20, decimal_places=3
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.PROPOSED,
        db_index=True,
    )
    origin = models.CharField(
        _("origin"), max_length=10, choices=Origin.choices, default=Origin.ENGINE
    )
    introduced_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("introduced by"),
    )
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)
    hidden = models.BooleanField(_("hidden by an officer"), default=False)
    decline_reason = models.CharField(
        _("decline reason"), max_length=10, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("decline note"), blank=True, max_length=1000)
    declined_by_side = models.CharField(
        _("declined by"), max_length=6, choices=Side.choices, blank=True
    )
    supply_accepted_at = models.DateTimeField(_("supplier accepted at"), null=True, blank=True)
    demand_accepted_at = models.DateTimeField(_("buyer accepted at"), null=True, blank=True)
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer due by"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    last_run = models.ForeignKey(
        "matchmaking.MatchRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last run"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "last_run", "off_intent"])
    objects = MatchQuerySet.as_manager()
    RANKING = RANKING

    class Meta:
        ordering = list(RANKING)
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        constraints = [
            models.UniqueConstraint(fields=["supply", "demand"], name="match_unique_pair"),
        ]
        indexes = [
            models.Index(fields=["status", "respond_by"], name="match_status_due_idx"),
            # What the active matches of a few thousand supplies hold of their capacity
            # (services.pools.free_quantity, the single-listing path), from this alone
            # (index-only): a heap fetch per match cost that read up to 45 ms at 100k x 100k.
            models.Index(
                fields=["supply", "status", "demand", "suggested_quantity", "id"],
                name="match_held_cover_idx",
            ),
            # The outcome figures read the connected matches from this alone (index-only). All
            # key columns, not INCLUDE: SQLite (the embedded run) has no covering indexes.
            models.Index(
                fields=[
                    "status",
                    "created_at",
                    "decline_reason",
                    "supply",
                    "demand",
                    "connected_at",
                ],
                name="match_stats_cover_idx",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.supply_id} ↔ {self.demand_id} ({self.get_status_display()}, {self.score:.2f})"
        )

    def side_of(self, user) -> str | None:
        """Which side the user belongs to here, or None (an officer or an outsider).

        A user in both organizations (rare: a consultant) is taken as the supplier; they
        name the side explicitly when answering (see ``review.match_accept``).
        """
        sides = self.sides_of(user)
        return sides[0] if sides else None

    def sides_of(self, user) -> list[str]:
        if not user or not user.is_authenticated:
            return []
        cache = organization_ids_of(user)
        sides = []
        if self.supply.organization_id in cache:
            sides.append(self.Side.SUPPLY)
        if self.demand.organization_id in cache:
            sides.append(self.Side.DEMAND)
        return sides

    def listing_of(self, side: str):
        return self.supply if side == self.Side.SUPPLY else self.demand

    def counterpart_of(self, side: str):
        return self.demand if side == self.Side.SUPPLY else self.supply

    def has_accepted(self, side: str) -> bool:
        accepted = self.supply_accepted_at if side == self.Side.SUPPLY else self.demand_accepted_at
        return accepted is not None

    @property
    def is_pending(self) -> bool:
        return self.status in self.PENDING_STATUSES

    @property
    def is_connected(self) -> bool:
        return self.status == self.Status.CONNECTED


class ActedBy(models.Model):
    """Who made an audited change, for which side, and whether an officer acted for that side
    (match transitions and deal events record it alike)."""

    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    side = models.CharField(_("for side"), max_length=6, choices=Match.Side.choices, blank=True)
    as_officer = models.BooleanField(_("officer acting for the side"), default=False)

    class Meta:
        abstract = True


class MatchTransition(ActedBy):
    """Who moved a match from one status to another, when, and for which side."""

    match = models.ForeignKey(
        Match, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("match")
    )
    from_status = models.CharField(
        _("from"), max_length=20, choices=Match.Status.choices, blank=True
    )
    to_status = models.CharField(_("to"), max_length=20, choices=Match.Status.choices)
    reason = models.CharField(
        _("reason"), max_length=10, choices=Match.DeclineReason.choices, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("match transition")
        verbose_name_plural = _("match transitions")

    def __str__(self) -> str:
        # In the reader's language ("Đề xuất → Đã kết nối"), never the stored codes.
        before = self.get_from_status_display() if self.from_status else "∅"
        return f"{before} → {self.get_to_status_display()}"


class MatchRun(models.Model):
    """One matching job: a full re-match, or one listing against the other side."""

    class Kind(models.TextChoices):
        FULL = "full", _("Full re-match")
        LISTING = "listing", _("Single listing")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.QUEUED,
        db_index=True,
    )
    listing = models.ForeignKey(
        "listings.Listing",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("listing"),
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    listings_count = models.PositiveIntegerField(_("listings"), default=0)
    candidate_pairs = models.PositiveBigIntegerField(_("candidate pairs"), default=0)
    proposals_created = models.PositiveIntegerField(_("proposals created"), default=0)
    proposals_updated = models.PositiveIntegerField(_("proposals updated"), default=0)
    proposals_withdrawn = models.PositiveIntegerField(_("proposals withdrawn"), default=0)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    weights = models.JSONField(_("factor weights"), default=dict, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)
    engine_seconds = models.FloatField(_("engine seconds"), default=0)
    db_seconds = models.FloatField(_("database seconds"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} ({self.status})"

    @property
    def progress(self) -> float:
        if self.status == self.Status.DONE:
            return 1.0
        if not self.chunks_total:
            return 0.0
        return round(self.chunks_done / self.chunks_total, 4)

    @property
    def duration_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Notification(models.Model):
    """An in-app notification; emails are sent from these by a Celery job."""

    class Kind(models.TextChoices):
        NEW_PROPOSALS = "new_proposals", _("New proposed matches")
        OTHER_ACCEPTED = "other_accepted", _("The other side accepted")
        CONNECTED = "connected", _("Connected")
        DECLINED = "declined", _("Declined")
        EXPIRING = "expiring", _("Expiring soon")
        EXPIRED = "expired", _("Expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        MEETING = "meeting", _("Meetings at a connection event")
        CERTIFICATE_EXPIRING = "certificate_expiring", _("Certificate expiring")
        CERTIFICATE_EXPIRED = "certificate_expired", _("Certificate expired")
        POOL = "pool", _("Pooled supply")
        DEAL_QUIET = "deal_quiet", _("A deal with no news")
        DEAL_OVERDUE = "deal_overdue", _("Contracts past their delivery date")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    match = models.ForeignKey(
        Match,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        verbose_name=_("match"),
    )
    # The event's parameters (titles, names, a reason code, a date); worded when read, in the
    # reader's language, by ``matchmaking.services.notification_text.render``.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("emailed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread_idx"),
            models.Index(fields=["emailed_at", "kind"], name="notification_email_idx"),
        ]

    def __str__(self) -> str:
        return (
            f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"
            if self.created_at
            else (str(self.get_kind_display()))
        )
