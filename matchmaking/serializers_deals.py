"""What the deals API reads and writes (contract: DESIGN.md, API contract part 2, "Deals")."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api import CleanTextField, StrictDecimalField, StrictIntegerField
from listings.serializers import UnitField
from matchmaking.models import Deal, DealEvent, Delivery, Match
from matchmaking.serializers import ByUserField, OrganizationSummarySerializer, enum_field
from matchmaking.services import deals as deal_service

QUANTITY = {"max_digits": 16, "decimal_places": 3}
VND = {"min_value": 0, "max_value": deal_service.MAX_VND - 1}


class DealEventSerializer(serializers.ModelSerializer):
    by = ByUserField()
    from_stage = enum_field(Deal.Stage.choices, blank=True, read_only=True)
    to_stage = enum_field(Deal.Stage.choices, read_only=True)
    side = enum_field(Match.Side.choices, blank=True, read_only=True)

    class Meta:
        model = DealEvent
        fields = ["from_stage", "to_stage", "by", "side", "as_officer", "delivery", "note", "at"]
        read_only_fields = fields


class DeliverySerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.code", read_only=True)

    class Meta:
        model = Delivery
        fields = [
            "id",
            "quantity",
            "unit",
            "quantity_in_contract_unit",
            "value_vnd",
            "delivered_on",
            "created_at",
        ]
        read_only_fields = fields


class DealSerializer(serializers.ModelSerializer):
    supply_organization = OrganizationSummarySerializer(
        source="match.supply.organization", read_only=True
    )
    demand_organization = OrganizationSummarySerializer(
        source="match.demand.organization", read_only=True
    )
    stage = enum_field(Deal.Stage.choices, read_only=True)
    contract_unit = serializers.CharField(
        source="contract_unit.code", read_only=True, allow_null=True, default=None
    )
    lost_reason = enum_field(Deal.LostReason.choices, blank=True, read_only=True)
    next_stages = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField(
        help_text="Signed, past `deliver_by` and nothing delivered yet."
    )
    history = DealEventSerializer(source="events", many=True, read_only=True)
    deliveries = DeliverySerializer(many=True, read_only=True)

    class Meta:
        model = Deal
        fields = [
            "id",
            "match",
            "event",
            "meeting",
            "supply_organization",
            "demand_organization",
            "stage",
            "next_stages",
            "contract_quantity",
            "contract_unit",
            "contract_value_vnd",
            "signed_on",
            "deliver_by",
            "overdue",
            "delivered_quantity",
            "delivered_value_vnd",
            "lost_reason",
            "lost_note",
            "deliveries",
            "history",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=Deal.Stage.choices),
            help_text="The stages `advance` accepts from here.",
        )
    )
    def get_next_stages(self, deal: Deal) -> list[str]:
        return list(deal_service.allowed_next(deal))

    def get_overdue(self, deal: Deal) -> bool:
        return deal.is_overdue()


class AdvanceSerializer(serializers.Serializer):
    stage = enum_field(
        Deal.Stage.choices,
        help_text="The stage to move to; `contract_signed` needs the contract fields, `lost` "
        "a `lost_reason`. `delivering` and `completed` follow from deliveries.",
    )
    side = enum_field(
        Match.Side.choices,
        required=False,
        help_text="Officers may name the side they act for (recorded as such).",
    )
    contract_quantity = StrictDecimalField(**QUANTITY, required=False, allow_null=True)
    contract_unit = UnitField(required=False, allow_null=True)
    contract_value_vnd = StrictIntegerField(**VND, required=False, allow_null=True)
    signed_on = serializers.DateField(required=False, allow_null=True)
    deliver_by = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="With `contract_signed` (optional): when the goods are due. A contract "
        "with no delivery by then is flagged to officers.",
    )
    lost_reason = enum_field(Deal.LostReason.choices, blank=True, required=False)
    note = CleanTextField(required=False, allow_blank=True, max_length=1000)


class DeliveryCreateSerializer(serializers.Serializer):
    quantity = StrictDecimalField(**QUANTITY)
    unit = UnitField()
    delivered_on = serializers.DateField()
    value_vnd = StrictIntegerField(**VND)
    side = enum_field(
        Match.Side.choices,
        required=False,
        help_text="Officers may name the side they act for (recorded as such).",
    )
