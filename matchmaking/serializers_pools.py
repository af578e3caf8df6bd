"""Serializers of the pools API (DESIGN.md, API contract part 2).

Quantities are in the demand's unit (``unit``). Contacts stay ``null`` until the pool is
``connected``; then the buyer sees each member's and each member sees the buyer's (members
do not see each other's). Officers see everything.
"""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.selectors import organization_ids_of
from core.api import (
    CleanCharField,
    CleanTextField,
    StrictDecimalField,
    StrictIntegerField,
    StrictModelSerializer,
)
from listings.models import Listing
from matchmaking.explanations_pools import pool_explanation
from matchmaking.models import Match, Pool, PoolMember
from matchmaking.serializers import (
    ContactSerializer,
    ExplanationItemSerializer,
    ListingSummarySerializer,
    OrganizationSummarySerializer,
    enum_field,
)


def _in_unit(quantity: Decimal, listing: Listing) -> Decimal:
    factor = listing.unit.factor or Decimal(1)
    return (Decimal(quantity) / factor).quantize(Decimal("0.001"))


def _caller(serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class PoolSupplySerializer(StrictModelSerializer):
    province = CleanCharField(source="province.code", read_only=True)

    class Meta:
        model = Listing
        fields = ["id", "title", "province"]
        read_only_fields = fields


class PoolMemberSerializer(StrictModelSerializer):
    supply = PoolSupplySerializer(read_only=True)
    organization = OrganizationSummarySerializer(read_only=True)
    suggested_quantity = serializers.SerializerMethodField()
    status = enum_field(PoolMember.Status.choices, read_only=True)
    decline_reason = enum_field(Match.DeclineReason.choices, blank=True, read_only=True)
    mine = serializers.SerializerMethodField()
    contact = serializers.SerializerMethodField()

    class Meta:
        model = PoolMember
        fields = [
            "supply",
            "organization",
            "suggested_quantity",
            "score",
            "status",
            "accepted_at",
            "decline_reason",
            "mine",
            "contact",
        ]
        read_only_fields = fields

    @extend_schema_field(StrictDecimalField(max_digits=20, decimal_places=3))
    def get_suggested_quantity(self, member: PoolMember) -> Decimal:
        """This member's share, in the demand's unit."""
        return _in_unit(member.suggested_quantity, self.context["pool"].demand)

    @extend_schema_field(serializers.BooleanField())
    def get_mine(self, member: PoolMember) -> bool:
        return member.organization_id in organization_ids_of(_caller(self))

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_contact(self, member: PoolMember) -> dict | None:
        """Open to its own organization, officers, and the buyer once connected."""
        user = _caller(self)
        pool = self.context["pool"]
        mine = organization_ids_of(user)
        if (
            getattr(user, "is_officer", False)
            or member.organization_id in mine
            or (
                pool.is_connected
                and member.status != PoolMember.Status.DECLINED
                and pool.demand.organization_id in mine
            )
        ):
            return ContactSerializer(member.organization).data
        return None


class PoolSerializer(StrictModelSerializer):
    demand = ListingSummarySerializer(read_only=True)
    members = serializers.SerializerMethodField()
    covered_quantity = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    status = enum_field(Pool.Status.choices, read_only=True)
    explanation = serializers.SerializerMethodField()
    member_count = StrictIntegerField(source="figures.members", read_only=True, default=0)
    my_roles = serializers.SerializerMethodField()
    demand_contact = serializers.SerializerMethodField()

    class Meta:
        model = Pool
        fields = [
            "id",
            "demand",
            "members",
            "member_count",
            "covered_quantity",
            "unit",
            "coverage",
            "score",
            "status",
            "explanation",
            "my_roles",
            "demand_accepted_at",
            "connected_at",
            "decline_reason",
            "created_at",
            "updated_at",
            "demand_contact",
        ]
        read_only_fields = fields

    @extend_schema_field(PoolMemberSerializer(many=True))
    def get_members(self, pool: Pool) -> list[dict]:
        """Current members, then those who declined (with their status)."""
        rows = sorted(
            pool.members.all(), key=lambda m: (m.status == PoolMember.Status.DECLINED, -m.pk)
        )
        context = {**self.context, "pool": pool}
        return PoolMemberSerializer(rows, many=True, context=context).data

    @extend_schema_field(StrictDecimalField(max_digits=20, decimal_places=3))
    def get_covered_quantity(self, pool: Pool) -> Decimal:
        """What the members cover together, in the demand's unit."""
        return _in_unit(pool.covered_quantity, pool.demand)

    @extend_schema_field(serializers.CharField(help_text="The demand's unit code."))
    def get_unit(self, pool: Pool) -> str:
        return pool.demand.unit.code

    @extend_schema_field(ExplanationItemSerializer(many=True))
    def get_explanation(self, pool: Pool) -> list[dict]:
        return pool_explanation(pool)

    @extend_schema_field(
        serializers.ListField(
            child=serializers.CharField(),
            help_text='"demand" when the caller answers for the buyer, and the id of each '
            "supply whose share the caller answers for.",
        )
    )
    def get_my_roles(self, pool: Pool) -> list[str]:
        mine = organization_ids_of(_caller(self))
        roles = ["demand"] if pool.demand.organization_id in mine else []
        roles += [str(m.supply_id) for m in pool.current_members() if m.organization_id in mine]
        return roles

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_demand_contact(self, pool: Pool) -> dict | None:
        """Open to the buyer, officers, and each current member once connected."""
        user = _caller(self)
        mine = organization_ids_of(user)
        organization = pool.demand.organization
        if (
            getattr(user, "is_officer", False)
            or organization.pk in mine
            or (
                pool.is_connected and any(m.organization_id in mine for m in pool.current_members())
            )
        ):
            return ContactSerializer(organization).data
        return None


class PoolAnswerSerializer(serializers.Serializer):
    side = enum_field(
        Match.Side.choices,
        required=False,
        help_text="demand: answer for the buyer; supply: for your share. Needed only when "
        "the caller could answer for both, and for officers (recorded as acting for them).",
    )
    supply = StrictIntegerField(
        required=False,
        min_value=1,
        help_text="The member supply whose share is answered (officers; several shares).",
    )


class PoolDeclineSerializer(PoolAnswerSerializer):
    reason = enum_field(
        Match.DeclineReason.choices,
        help_text="price, quantity, quality (or certification), distance (or logistics), "
        "timing, other.",
    )
    note = CleanTextField(required=False, allow_blank=True, max_length=1000)
