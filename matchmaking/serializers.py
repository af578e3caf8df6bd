"""Serializers of the matchmaking API.

Privacy: before a match is ``connected`` each side sees the other's organization (name, kind,
province, verification) and listing, never its contact details; once connected both see
them. Officers see everything. ``supply_contact`` / ``demand_contact`` are ``null`` when the
caller may not see them.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Organization
from accounts.selectors import organization_ids_of
from core.api import (
    CleanCharField,
    CleanTextField,
    NoDuplicates,
    StrictFloatField,
    StrictIntegerField,
    StrictModelSerializer,
)
from listings.models import Listing
from matchmaking.explanations import explain_page
from matchmaking.models import Match, MatchRun, MatchTransition, Notification
from matchmaking.services import notifications

BASE_UNITS = {"mass": "kg", "volume": "l", "count": "piece"}


def enum_schema(values, *, blank: bool = False, null: bool = False, description: str = ""):
    """An inline enum schema, wrapped in ``allOf`` so it stays inline.

    Several apps have fields named ``status``, ``side`` or ``kind`` with different choices.
    drf-spectacular turns every top-level ``enum`` property into a shared component named
    after the field, and warns when those names collide; an enum one level down is left
    where it is, still precise, and the matchmaking schema stays warning-free without
    project-wide ``ENUM_NAME_OVERRIDES``.
    """
    inner: dict = {"type": "string", "enum": [*values, *([""] if blank else [])]}
    if null:
        inner["nullable"] = True
        inner["enum"].append(None)
    schema: dict = {"allOf": [inner]}
    if description:
        schema["description"] = description
    return schema


def enum_field(choices, *, blank: bool = False, null: bool = False, **kwargs):
    """A ChoiceField documented with :func:`enum_schema`."""
    values = [value for value, _label in choices]
    schema = enum_schema(
        values, blank=blank, null=null, description=str(kwargs.get("help_text", ""))
    )
    field_class = extend_schema_field(schema)(type("EnumField", (serializers.ChoiceField,), {}))
    return field_class(choices=choices, allow_blank=blank, allow_null=null, **kwargs)


@extend_schema_field(
    CleanCharField(
        allow_null=True, help_text="Username; shown to officers and to the user themself."
    )
)
class ByUserField(serializers.Field):
    """Who made an audited change (a row's ``by_user``): named to officers and to that user
    only, ``null`` for everyone else and for the system."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, row) -> str | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if row.by_user_id is None or user is None:
            return None
        if getattr(user, "is_officer", False) or row.by_user_id == user.pk:
            return row.by_user.get_username()
        return None


class OrganizationSummarySerializer(StrictModelSerializer):
    """What each side sees of the other before they connect: no contact details."""

    kind = enum_field(Organization.Kind.choices, read_only=True)
    province = CleanCharField(source="province.code", read_only=True)
    province_name = CleanCharField(source="province.name", read_only=True)

    class Meta:
        model = Organization
        fields = ["id", "name", "kind", "province", "province_name", "verified"]
        read_only_fields = fields


class ContactSerializer(StrictModelSerializer):
    class Meta:
        model = Organization
        fields = ["contact_person", "phone", "email", "address", "website", "tax_code"]
        read_only_fields = fields


class ListingSummarySerializer(StrictModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    province = CleanCharField(source="province.code", read_only=True)
    province_name = CleanCharField(source="province.name", read_only=True)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    certifications = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Listing
        fields = [
            "id",
            "side",
            "title",
            "organization",
            "province",
            "province_name",
            "category",
            "quantity",
            "unit",
            "min_order_quantity",
            "price_min",
            "price_max",
            "available_from",
            "available_until",
            "certifications",
            "ocop_stars",
            "min_ocop_stars",
            "status",
        ]
        read_only_fields = fields


class ExplanationItemSerializer(serializers.Serializer):
    factor = CleanCharField(help_text="product, quantity, price, distance, programme, …")
    value = StrictFloatField(help_text="How well this factor fits, 0 to 1.")
    weight = StrictFloatField(help_text="The factor's weight in the score.")
    detail = CleanCharField(help_text="Why, in the request's language.")


class MatchSerializer(StrictModelSerializer):
    supply = ListingSummarySerializer(read_only=True)
    demand = ListingSummarySerializer(read_only=True)
    explanation = serializers.SerializerMethodField()
    suggested_unit = serializers.SerializerMethodField()
    my_side = serializers.SerializerMethodField()
    status = enum_field(Match.Status.choices, read_only=True)
    origin = enum_field(
        Match.Origin.choices, read_only=True, help_text="officer: introduced by hand."
    )
    decline_reason = enum_field(Match.DeclineReason.choices, blank=True, read_only=True)
    declined_by = enum_field(
        Match.Side.choices, blank=True, read_only=True, source="declined_by_side"
    )
    supply_contact = serializers.SerializerMethodField()
    demand_contact = serializers.SerializerMethodField()

    class Meta:
        model = Match
        fields = [
            "id",
            "supply",
            "demand",
            "score",
            "explanation",
            "suggested_quantity",
            "suggested_unit",
            "status",
            "origin",
            "my_side",
            "decline_reason",
            "decline_note",
            "declined_by",
            "respond_by",
            "supply_accepted_at",
            "demand_accepted_at",
            "connected_at",
            "created_at",
            "updated_at",
            "supply_contact",
            "demand_contact",
        ]
        read_only_fields = fields

    @extend_schema_field(ExplanationItemSerializer(many=True))
    def get_explanation(self, match: Match) -> list[dict]:
        """Worded once for the whole page being serialized (one batch of queries)."""
        explained = self.context.setdefault("explanations", {})
        if match.pk not in explained:
            page = getattr(self.parent, "instance", None) if self.parent is not None else None
            batch = list(page) if isinstance(page, list | tuple) else [match]
            if match not in batch:
                batch = [match]
            explained.update(explain_page(batch))
        return explained.get(match.pk, [])

    @extend_schema_field(
        enum_schema(sorted(BASE_UNITS.values()), description="Base unit of suggested_quantity.")
    )
    def get_suggested_unit(self, match: Match) -> str:
        return BASE_UNITS.get(match.supply.unit.dimension, "")

    @extend_schema_field(
        enum_schema(
            Match.Side.values,
            null=True,
            description="The caller's side in this match; null for officers and outsiders.",
        )
    )
    def get_my_side(self, match: Match) -> str | None:
        org_ids = self._my_org_ids()
        if match.supply.organization_id in org_ids:
            return Match.Side.SUPPLY
        if match.demand.organization_id in org_ids:
            return Match.Side.DEMAND
        return None

    def _user(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def _my_org_ids(self) -> frozenset[int]:
        return organization_ids_of(self._user())

    def _contact(self, match: Match, organization: Organization) -> dict | None:
        """Contacts open once both sides have accepted; officers and members see their own."""
        user = self._user()
        if (
            match.is_connected
            or getattr(user, "is_officer", False)
            or organization.pk in self._my_org_ids()
        ):
            # One serializer for the whole page: building a ModelSerializer's fields per row
            # cost a fifth of an inbox request.
            contacts = self.context.setdefault("_contact_serializer", ContactSerializer())
            return contacts.to_representation(organization)
        return None

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_supply_contact(self, match: Match) -> dict | None:
        return self._contact(match, match.supply.organization)

    @extend_schema_field(ContactSerializer(allow_null=True))
    def get_demand_contact(self, match: Match) -> dict | None:
        return self._contact(match, match.demand.organization)


class AcceptSerializer(serializers.Serializer):
    side = enum_field(
        Match.Side.choices,
        required=False,
        help_text="Only for officers acting for one side (recorded as such); members answer "
        "for their own side.",
    )


class DeclineSerializer(serializers.Serializer):
    reason = enum_field(
        Match.DeclineReason.choices,
        help_text="price, quantity, quality (or certification), distance (or logistics), "
        "timing, other.",
    )
    note = CleanTextField(required=False, allow_blank=True, max_length=1000)
    side = enum_field(
        Match.Side.choices,
        required=False,
        help_text="Only for officers acting for one side (recorded as such).",
    )


class TransitionSerializer(StrictModelSerializer):
    by = ByUserField()
    from_status = enum_field(Match.Status.choices, blank=True, read_only=True)
    to_status = enum_field(Match.Status.choices, read_only=True)
    side = enum_field(Match.Side.choices, blank=True, read_only=True)
    reason = enum_field(Match.DeclineReason.choices, blank=True, read_only=True)

    class Meta:
        model = MatchTransition
        fields = ["from_status", "to_status", "by", "side", "as_officer", "reason", "note", "at"]
        read_only_fields = fields


class MatchRunSerializer(StrictModelSerializer):
    kind = enum_field(MatchRun.Kind.choices, read_only=True)
    status = enum_field(MatchRun.Status.choices, read_only=True)
    progress = StrictFloatField(read_only=True)
    duration_seconds = StrictFloatField(read_only=True, allow_null=True)

    class Meta:
        model = MatchRun
        fields = [
            "id",
            "kind",
            "status",
            "listing",
            "listings_count",
            "candidate_pairs",
            "proposals_created",
            "proposals_updated",
            "proposals_withdrawn",
            "chunks_total",
            "chunks_done",
            "progress",
            "engine_seconds",
            "db_seconds",
            "duration_seconds",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class MatchRunCreateSerializer(serializers.Serializer):
    """Nothing to send: a full re-match of every open listing."""


class NotificationSerializer(StrictModelSerializer):
    kind = enum_field(Notification.Kind.choices, read_only=True)
    message = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "match", "message", "read_at", "created_at"]
        read_only_fields = fields

    def get_message(self, notification: Notification) -> str:
        return notifications.render(notification)


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(
        child=StrictIntegerField(min_value=1),
        required=False,
        max_length=1000,
        validators=[NoDuplicates()],
        help_text="The notifications to mark as read; all unread ones when left out.",
    )


class MarkReadResultSerializer(serializers.Serializer):
    marked = StrictIntegerField(help_text="How many notifications were marked as read.")
    unread = StrictIntegerField(help_text="How many remain unread.")


class UnreadCountSerializer(serializers.Serializer):
    unread = StrictIntegerField()
