"""Pools: several supplies from different organizations proposed together for one demand
that none of them can fill alone (see ``matchmaking.engine.pools`` and
``matchmaking.services.pools``, ``pool_review``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.selectors import member_organization_ids, organization_ids_of
from matchmaking.models.matches import Match


class PoolQuerySet(models.QuerySet):
    def visible_to(self, user) -> PoolQuerySet:
        """Officers see every pool; the buyer's members see the pools of their demands, and a
        member's organization sees the pools it takes part in (only its own share of
        quantities is writable, but the pool is shown whole: coverage, the other members'
        organizations and shares, no contacts before connection)."""
        if not user.is_authenticated:
            return self.none()
        if getattr(user, "is_officer", False):
            return self
        from listings.models import Listing

        orgs = member_organization_ids(user)
        # The organizations' demand ids first (as for matches): through the demand's
        # organization the OR joined every pool with its listing (72 ms at 100k x 100k).
        demands = list(
            Listing.objects.filter(organization_id__in=orgs, side=Listing.Side.DEMAND).values_list(
                "pk", flat=True
            )
        )
        return self.filter(
            Q(demand_id__in=demands)
            | Q(pk__in=PoolMember.objects.filter(organization_id__in=orgs).values("pool_id"))
        )

    def active(self) -> PoolQuerySet:
        return self.filter(status__in=Pool.ACTIVE_STATUSES)


class Pool(models.Model):
    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        CONNECTED = "connected", _("Connected")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # These hold their members' shares of the supplies' capacity.
    ACTIVE_STATUSES = (Status.PROPOSED, Status.CONNECTED)

    demand = models.ForeignKey(
        "listings.Listing",
        on_delete=models.CASCADE,
        related_name="pools",
        verbose_name=_("demand"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.PROPOSED,
        db_index=True,
    )
    covered_quantity = models.DecimalField(
        _("covered quantity (base unit)"), max_digits=20, decimal_places=3
    )
    coverage = models.FloatField(_("coverage"), help_text=_("Share of the demand covered, 0–1."))
    score = models.FloatField(_("score"), db_index=True)
    # The seven factors in the engine's FACTORS order (quantity = coverage) and the pool's
    # own figures (members, km between members, km to the buyer); worded when read.
    factors = models.JSONField(_("factor values"), default=list, blank=True)
    figures = models.JSONField(_("pool figures"), default=dict, blank=True)
    # Unanswered by then, the pool is withdrawn as expired (``pool_review.expire_pools``); set
    # when it is proposed and again when its line-up changes (empty: the review period from
    # creation).
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True, db_index=True)
    demand_accepted_at = models.DateTimeField(_("buyer accepted at"), null=True, blank=True)
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("decline reason"), max_length=10, choices=Match.DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("decline note"), blank=True, max_length=1000)
    closed_note = models.CharField(_("why it closed"), max_length=200, blank=True)
    engine_version = models.CharField(_("engine version"), max_length=20, blank=True)
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

    objects = PoolQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pool")
        verbose_name_plural = _("pools")
        constraints = [
            models.UniqueConstraint(
                fields=["demand"],
                condition=Q(status__in=["proposed", "connected"]),
                name="pool_one_active_per_demand",
            ),
            models.CheckConstraint(
                condition=Q(coverage__gte=0) & Q(coverage__lte=1), name="pool_coverage_0_1"
            ),
            models.CheckConstraint(condition=Q(covered_quantity__gte=0), name="pool_covered_gte_0"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} → {self.demand_id} ({self.get_status_display()}, {self.coverage:.0%})"

    @property
    def is_connected(self) -> bool:
        return self.status == self.Status.CONNECTED

    def roles_of(self, user) -> tuple[bool, list[PoolMember]]:
        """(is the user on the buyer's side, the current members the user answers for)."""
        if not user or not user.is_authenticated:
            return False, []
        mine = organization_ids_of(user)
        buyer = self.demand.organization_id in mine
        members = [m for m in self.current_members() if m.organization_id in mine]
        return buyer, members

    def current_members(self) -> list[PoolMember]:
        return [m for m in self.members.all() if m.status != PoolMember.Status.DECLINED]


class PoolMember(models.Model):
    """One supply's share of a pool, with its own answer."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")

    pool = models.ForeignKey(
        Pool, on_delete=models.CASCADE, related_name="members", verbose_name=_("pool")
    )
    supply = models.ForeignKey(
        "listings.Listing",
        on_delete=models.CASCADE,
        related_name="pool_shares",
        verbose_name=_("supply"),
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.CASCADE,
        related_name="pool_shares",
        verbose_name=_("organization"),
    )
    suggested_quantity = models.DecimalField(
        _("suggested quantity (base unit)"), max_digits=20, decimal_places=3
    )
    score = models.FloatField(_("score"))
    factors = models.JSONField(_("factor values"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decline_reason = models.CharField(
        _("decline reason"), max_length=10, choices=Match.DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("decline note"), blank=True, max_length=1000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-suggested_quantity", "pk"]
        verbose_name = _("pool member")
        verbose_name_plural = _("pool members")
        constraints = [
            models.UniqueConstraint(fields=["pool", "supply"], name="pool_member_unique_supply"),
            models.UniqueConstraint(
                fields=["pool", "organization"],
                condition=~Q(status="declined"),
                name="pool_member_one_per_organization",
            ),
            models.CheckConstraint(
                condition=Q(suggested_quantity__gt=0), name="pool_member_quantity_gt_0"
            ),
        ]
        indexes = [
            # What a supply's shares of pools hold (services.pools.free_quantity, the saved
            # listing's path) from this alone, with a nested loop: the planner scanned the whole
            # table for a demand's 256 candidates (4.8 ms at 100k x 100k; 2-3 ms with this).
            models.Index(
                fields=["supply", "status", "pool", "suggested_quantity"],
                name="pool_member_held_cover_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.supply_id} → pool {self.pool_id} ({self.get_status_display()})"
