"""Serializers of the connection-event API (events, registrations, meetings, agendas).

Participants see each other's public organization fields only (name, kind, province,
verification), never contact details: those open through a connected match.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organization
from catalog.models import Province
from core.api import (
    CleanCharField,
    CleanTextField,
    IdField,
    NamedChoiceField,
    NoDuplicates,
    StrictFloatField,
    StrictIntegerField,
    StrictModelSerializer,
    UniqueManyMixin,
)
from listings.models import Listing
from matchmaking.engine.schedule import REASONS
from matchmaking.models import (
    ConnectionEvent,
    CooperationProgramme,
    Match,
    Meeting,
    MeetingOutcome,
    Registration,
)
from matchmaking.serializers import ExplanationItemSerializer, OrganizationSummarySerializer


class UniqueSlugField(UniqueManyMixin, serializers.SlugRelatedField):
    """Codes or slugs, each at most once."""


class UniqueIdField(UniqueManyMixin, IdField):
    """Ids, each at most once."""


class SessionSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class RegisteredCountSerializer(serializers.Serializer):
    total = StrictIntegerField()
    supply = StrictIntegerField(help_text="Suppliers (including those who also buy).")
    demand = StrictIntegerField(help_text="Buyers (including those who also sell).")


class ScheduleProgressSerializer(serializers.Serializer):
    state = CleanCharField(required=False, help_text="queued, running, done or failed.")
    fraction = StrictFloatField(required=False)
    stage = CleanCharField(required=False)
    error = CleanCharField(required=False)


class EventSerializer(StrictModelSerializer):
    place = CleanCharField(source="place.code", read_only=True)
    place_name = CleanCharField(source="place.name", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    provinces = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    status = NamedChoiceField(
        enum_name="EventStatus", choices=ConnectionEvent.Status.choices, read_only=True
    )
    registered = serializers.SerializerMethodField()
    source_url = CleanCharField(source="source.url", read_only=True, allow_null=True)
    schedule_progress = ScheduleProgressSerializer(read_only=True)

    class Meta:
        model = ConnectionEvent
        fields = [
            "id",
            "slug",
            "name",
            "name_en",
            "held_on",
            "place",
            "place_name",
            "venue",
            "organiser",
            "programme",
            "provinces",
            "sessions",
            "slot_minutes",
            "tables",
            "registration_deadline",
            "meeting_cap",
            "request_days",
            "status",
            "registered",
            "schedule_progress",
            "source_url",
        ]
        read_only_fields = fields

    def get_registered(self, event) -> RegisteredCountSerializer:
        sides = [r.side for r in event.registrations.all()]
        return {
            "total": len(sides),
            "supply": sum(s in ("supply", "both") for s in sides),
            "demand": sum(s in ("demand", "both") for s in sides),
        }


class EventWriteSerializer(serializers.Serializer):
    name = CleanCharField(max_length=300)
    name_en = CleanCharField(max_length=300)
    held_on = serializers.DateField()
    place = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    venue = CleanTextField(max_length=200, required=False, allow_blank=True)
    organiser = IdField(queryset=Organization.objects.all(), required=False, allow_null=True)
    programme = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=CooperationProgramme.objects.all(),
        required=False,
        allow_null=True,
    )
    provinces = UniqueSlugField(
        slug_field="code", queryset=Province.objects.all(), many=True, required=False
    )
    sessions = SessionSerializer(many=True, required=False, max_length=20)
    slot_minutes = StrictIntegerField(min_value=5, max_value=240, required=False)
    tables = StrictIntegerField(min_value=1, max_value=1000, required=False)
    registration_deadline = serializers.DateTimeField(required=False, allow_null=True)
    meeting_cap = StrictIntegerField(min_value=1, max_value=200, required=False)
    request_days = StrictIntegerField(min_value=1, max_value=60, required=False)
    status = NamedChoiceField(
        enum_name="EventStatus", choices=ConnectionEvent.Status.choices, required=False
    )

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        if "sessions" in data:
            data["sessions"] = [(s["starts_at"], s["ends_at"]) for s in data["sessions"]]
        return data


class ListingBroughtSerializer(StrictModelSerializer):
    side = NamedChoiceField(enum_name="ListingSideEnum", choices=Listing.Side.choices)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Listing
        fields = ["id", "side", "title", "category"]
        read_only_fields = fields


class RegistrationSerializer(StrictModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    side = NamedChoiceField(
        enum_name="RegistrationSide", choices=Registration.Side.choices, read_only=True
    )
    listings = ListingBroughtSerializer(many=True, read_only=True)
    sessions = serializers.SerializerMethodField()
    excluded_slots = serializers.ListField(
        child=serializers.DateTimeField(),
        source="excluded_times",
        read_only=True,
        help_text="Start times of the slots the organization cannot take (the scheduler never "
        "places one of its meetings there).",
    )

    class Meta:
        model = Registration
        fields = [
            "id",
            "event",
            "organization",
            "side",
            "listings",
            "sessions",
            "excluded_slots",
            "created_at",
        ]
        read_only_fields = fields

    def get_sessions(self, registration) -> list[int]:
        order = self.context.get("session_order") or {}
        return sorted(order[s.pk] for s in registration.sessions.all() if s.pk in order)


class RegistrationCreateSerializer(serializers.Serializer):
    organization = IdField(queryset=Organization.objects.all())
    listings = UniqueIdField(queryset=Listing.objects.all(), many=True)
    sessions = serializers.ListField(
        child=StrictIntegerField(min_value=0, max_value=100),
        max_length=100,
        validators=[NoDuplicates()],
    )
    excluded_slots = serializers.ListField(
        child=serializers.DateTimeField(),
        max_length=200,
        required=False,
        default=list,
        validators=[NoDuplicates()],
        help_text="Start times of slots, within the sessions attended, the organization cannot "
        "take (optional; changeable later until the schedule is made).",
    )


class ExcludedSlotsSerializer(serializers.Serializer):
    excluded_slots = serializers.ListField(
        child=serializers.DateTimeField(),
        max_length=200,
        validators=[NoDuplicates()],
        help_text="The full new list of unavailable slot start times (empty: none).",
    )


class SuggestionSerializer(serializers.Serializer):
    organization = OrganizationSummarySerializer()
    score = StrictFloatField()
    match = StrictIntegerField(source="match.pk")
    reasons = ExplanationItemSerializer(many=True, help_text="Why the best match fits.")
    meeting = StrictIntegerField(
        source="meeting.pk", allow_null=True, help_text="A meeting the two already have."
    )
    meeting_status = NamedChoiceField(
        enum_name="MeetingStatus",
        choices=Meeting.Status.choices,
        source="meeting.status",
        allow_null=True,
    )


class MeetingSerializer(StrictModelSerializer):
    requester_name = CleanCharField(source="requester.name", read_only=True)
    counterpart_name = CleanCharField(source="counterpart.name", read_only=True)
    status = NamedChoiceField(
        enum_name="MeetingStatus", choices=Meeting.Status.choices, read_only=True
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "event",
            "requester",
            "requester_name",
            "counterpart",
            "counterpart_name",
            "match",
            "score",
            "note",
            "status",
            "expires_at",
            "expired",
            "starts_at",
            "ends_at",
            "table",
            "created_at",
        ]
        read_only_fields = fields


class MeetingCreateSerializer(serializers.Serializer):
    requester = IdField(queryset=Organization.objects.all())
    counterpart = IdField(queryset=Organization.objects.all())
    match = IdField(queryset=Match.objects.all(), required=False, allow_null=True)
    note = CleanTextField(max_length=500, required=False, allow_blank=True)


class OutcomeSerializer(serializers.Serializer):
    held = serializers.BooleanField()
    interest = NamedChoiceField(
        enum_name="MeetingInterest",
        choices=MeetingOutcome.Interest.choices,
        required=False,
        default=MeetingOutcome.Interest.NONE,
    )
    next_step = NamedChoiceField(
        enum_name="MeetingNextStep",
        choices=MeetingOutcome.NextStep.choices,
        required=False,
        default=MeetingOutcome.NextStep.NONE,
    )
    note = CleanTextField(max_length=1000, required=False, allow_blank=True, default="")
    open_deal = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Open the pair's deal now (next step samples, quote or contract). False: "
        "the next step is only noted, for later. 409 when no live match links the two's "
        "listings; a match still waiting for answers is connected by the meeting.",
    )


class OutcomeResultSerializer(StrictModelSerializer):
    interest = NamedChoiceField(
        enum_name="MeetingInterest", choices=MeetingOutcome.Interest.choices, read_only=True
    )
    next_step = NamedChoiceField(
        enum_name="MeetingNextStep", choices=MeetingOutcome.NextStep.choices, read_only=True
    )
    meeting_status = NamedChoiceField(
        enum_name="MeetingStatus",
        choices=Meeting.Status.choices,
        source="meeting.status",
        read_only=True,
    )
    deal = serializers.SerializerMethodField(
        help_text="The deal this outcome opened (or the pair's existing one), else null."
    )

    class Meta:
        model = MeetingOutcome
        fields = [
            "meeting",
            "organization",
            "held",
            "interest",
            "next_step",
            "note",
            "meeting_status",
            "deal",
            "reported_at",
        ]
        read_only_fields = fields

    def get_deal(self, outcome) -> int | None:
        deal = getattr(outcome, "deal", None)
        return deal.pk if deal is not None else None


class UnscheduledSerializer(serializers.Serializer):
    meeting = StrictIntegerField()
    reason = NamedChoiceField(
        enum_name="UnscheduledReason", choices=[(r, r) for r in REASONS], read_only=True
    )


class ScheduleResultSerializer(serializers.Serializer):
    scheduled = StrictIntegerField()
    unscheduled = UnscheduledSerializer(many=True)
    upper_bound = StrictIntegerField(help_text="No schedule can hold more meetings.")
    count_proven_optimal = serializers.BooleanField()
    total_score = StrictFloatField()
    gaps = StrictIntegerField()
    published_kept = StrictIntegerField()
    published_moved = StrictIntegerField()
    seconds = StrictFloatField()


class AgendaItemSerializer(serializers.Serializer):
    meeting = StrictIntegerField(source="pk")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    table = StrictIntegerField()
    status = NamedChoiceField(enum_name="MeetingStatus", choices=Meeting.Status.choices)
    counterpart = OrganizationSummarySerializer(source="other")
    match = StrictIntegerField(source="match_id", allow_null=True)
    score = StrictFloatField()


class AgendaSerializer(serializers.Serializer):
    event = StrictIntegerField(source="event.pk")
    organization = OrganizationSummarySerializer()
    meetings = AgendaItemSerializer(many=True)
