"""Serializers of the connection-event API (events, registrations, meetings, agendas).

Participants see each other's public organization fields only (name, kind, province,
verification), never contact details: those open through a connected match.
"""

from __future__ import annotations

from rest_framework import serializers

from accounts.models import Organization
from catalog.models import Province
from core.api import IdField, NamedChoiceField
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


class SessionSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class RegisteredCountSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    supply = serializers.IntegerField(help_text="Suppliers (including those who also buy).")
    demand = serializers.IntegerField(help_text="Buyers (including those who also sell).")


class ScheduleProgressSerializer(serializers.Serializer):
    state = serializers.CharField(required=False, help_text="queued, running, done or failed.")
    fraction = serializers.FloatField(required=False)
    stage = serializers.CharField(required=False)
    error = serializers.CharField(required=False)


class EventSerializer(serializers.ModelSerializer):
    place = serializers.CharField(source="place.code", read_only=True)
    place_name = serializers.CharField(source="place.name", read_only=True)
    programme = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    provinces = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sessions = SessionSerializer(many=True, read_only=True)
    status = NamedChoiceField(
        enum_name="EventStatus", choices=ConnectionEvent.Status.choices, read_only=True
    )
    registered = serializers.SerializerMethodField()
    source_url = serializers.CharField(source="source.url", read_only=True, allow_null=True)
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
    name = serializers.CharField(max_length=300)
    name_en = serializers.CharField(max_length=300)
    held_on = serializers.DateField()
    place = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    venue = serializers.CharField(max_length=200, required=False, allow_blank=True)
    organiser = IdField(queryset=Organization.objects.all(), required=False, allow_null=True)
    programme = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=CooperationProgramme.objects.all(),
        required=False,
        allow_null=True,
    )
    provinces = serializers.SlugRelatedField(
        slug_field="code", queryset=Province.objects.all(), many=True, required=False
    )
    sessions = SessionSerializer(many=True, required=False, max_length=20)
    slot_minutes = serializers.IntegerField(min_value=5, max_value=240, required=False)
    tables = serializers.IntegerField(min_value=1, max_value=1000, required=False)
    registration_deadline = serializers.DateTimeField(required=False, allow_null=True)
    meeting_cap = serializers.IntegerField(min_value=1, max_value=200, required=False)
    request_days = serializers.IntegerField(min_value=1, max_value=60, required=False)
    status = NamedChoiceField(
        enum_name="EventStatus", choices=ConnectionEvent.Status.choices, required=False
    )

    def to_service(self) -> dict:
        data = dict(self.validated_data)
        if "sessions" in data:
            data["sessions"] = [(s["starts_at"], s["ends_at"]) for s in data["sessions"]]
        return data


class ListingBroughtSerializer(serializers.ModelSerializer):
    side = NamedChoiceField(enum_name="ListingSideEnum", choices=Listing.Side.choices)
    category = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Listing
        fields = ["id", "side", "title", "category"]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    organization = OrganizationSummarySerializer(read_only=True)
    side = NamedChoiceField(
        enum_name="RegistrationSide", choices=Registration.Side.choices, read_only=True
    )
    listings = ListingBroughtSerializer(many=True, read_only=True)
    sessions = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "event", "organization", "side", "listings", "sessions", "created_at"]
        read_only_fields = fields

    def get_sessions(self, registration) -> list[int]:
        order = self.context.get("session_order") or {}
        return sorted(order[s.pk] for s in registration.sessions.all() if s.pk in order)


class RegistrationCreateSerializer(serializers.Serializer):
    organization = IdField(queryset=Organization.objects.all())
    listings = IdField(queryset=Listing.objects.all(), many=True)
    sessions = serializers.ListField(
        child=serializers.IntegerField(min_value=0, max_value=100), max_length=100
    )


class SuggestionSerializer(serializers.Serializer):
    organization = OrganizationSummarySerializer()
    score = serializers.FloatField()
    match = serializers.IntegerField(source="match.pk")
    reasons = ExplanationItemSerializer(many=True, help_text="Why the best match fits.")
    meeting = serializers.IntegerField(
        source="meeting.pk", allow_null=True, help_text="A meeting the two already have."
    )
    meeting_status = NamedChoiceField(
        enum_name="MeetingStatus",
        choices=Meeting.Status.choices,
        source="meeting.status",
        allow_null=True,
    )


class MeetingSerializer(serializers.ModelSerializer):
    requester_name = serializers.CharField(source="requester.name", read_only=True)
    counterpart_name = serializers.CharField(source="counterpart.name", read_only=True)
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
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


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
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class OutcomeResultSerializer(serializers.ModelSerializer):
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
            "reported_at",
        ]
        read_only_fields = fields


class UnscheduledSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    reason = NamedChoiceField(
        enum_name="UnscheduledReason", choices=[(r, r) for r in REASONS], read_only=True
    )


class ScheduleResultSerializer(serializers.Serializer):
    scheduled = serializers.IntegerField()
    unscheduled = UnscheduledSerializer(many=True)
    upper_bound = serializers.IntegerField(help_text="No schedule can hold more meetings.")
    count_proven_optimal = serializers.BooleanField()
    total_score = serializers.FloatField()
    gaps = serializers.IntegerField()
    published_kept = serializers.IntegerField()
    published_moved = serializers.IntegerField()
    seconds = serializers.FloatField()


class AgendaItemSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(source="pk")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    table = serializers.IntegerField()
    status = NamedChoiceField(enum_name="MeetingStatus", choices=Meeting.Status.choices)
    counterpart = OrganizationSummarySerializer(source="other")
    match = serializers.IntegerField(source="match_id", allow_null=True)
    score = serializers.FloatField()


class AgendaSerializer(serializers.Serializer):
    event = serializers.IntegerField(source="event.pk")
    organization = OrganizationSummarySerializer()
    meetings = AgendaItemSerializer(many=True)
