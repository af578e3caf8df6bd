"""The shape of ``GET /api/v1/stats/`` (DESIGN.md, API contract part 2, "Statistics").

Read-only: the answer of ``matchmaking.selectors_stats.outcome_stats`` as the schema documents
it (every field required, so a client may rely on each one being there).
"""

from __future__ import annotations

from rest_framework import serializers

from matchmaking.models import Deal, Match


def _count(help_text: str = ""):
    return serializers.IntegerField(read_only=True, min_value=0, help_text=help_text)


def _reasons_serializer(name: str, codes, help_text: str):
    fields = {code: _count() for code in codes}
    cls = type(name, (serializers.Serializer,), {**fields, "__doc__": help_text})
    return cls


DeclineReasonsSerializer = _reasons_serializer(
    "DeclineReasonsSerializer",
    Match.DeclineReason.values,
    "Declined matches by the reason given (`other` includes none given).",
)
LostReasonsSerializer = _reasons_serializer(
    "LostReasonsSerializer", Deal.LostReason.values, "Lost deals by their reason."
)


class ListingCountsSerializer(serializers.Serializer):
    supply = _count("Supply listings posted (not drafts).")
    demand = _count("Demand listings posted (not drafts).")


class MatchCountsSerializer(serializers.Serializer):
    proposed = _count("Every match proposed, whatever its status now.")
    connected = _count("Matches both sides accepted.")
    declined = _count("Matches one side declined.")


class MeetingCountsSerializer(serializers.Serializer):
    requested = _count("Every meeting requested at an event.")
    scheduled = _count("Meetings given a slot and a table (scheduled, held or no-show).")
    held = _count("Meetings held.")


class DealCountsSerializer(serializers.Serializer):
    contract_signed = _count("Deals with a signed contract (including completed ones).")
    completed = _count("Deals whose contract quantity was delivered.")
    lost = _count("Deals lost.")


class ConnectionsSerializer(serializers.Serializer):
    total = _count("Connected matches.")
    small_producers = _count(
        "Connections with a small producer (a `producer` — farm or household business — or "
        "a `cooperative`) on either side."
    )
    small_producer_share = serializers.FloatField(
        read_only=True, allow_null=True, help_text="small_producers / total (null if none)."
    )
    remote_provinces = _count(
        "Connections with either listing in a remote province (Northern Midlands and "
        "Mountains, Central Highlands)."
    )
    remote_province_share = serializers.FloatField(
        read_only=True, allow_null=True, help_text="remote_provinces / total (null if none)."
    )


class _FiguresSerializer(serializers.Serializer):
    listings = _count("Listings posted.")
    proposed = _count("Matches proposed.")
    connected = _count("Matches connected.")
    contracts = _count("Contracts signed.")
    contract_value_vnd = _count("Value of the signed contracts, VND.")
    delivered_value_vnd = _count("Value delivered, VND.")


class MonthSerializer(_FiguresSerializer):
    month = serializers.CharField(read_only=True, help_text="YYYY-MM")


class ProvinceFiguresSerializer(_FiguresSerializer):
    code = serializers.CharField(read_only=True, help_text="Official province code.")
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class CategoryFiguresSerializer(_FiguresSerializer):
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)
    name_en = serializers.CharField(read_only=True)


class StatsSerializer(serializers.Serializer):
    listings = ListingCountsSerializer(read_only=True)
    matches = MatchCountsSerializer(read_only=True)
    meetings = MeetingCountsSerializer(read_only=True)
    deals = DealCountsSerializer(read_only=True)
    contract_value_vnd = _count("Value of the signed contracts, VND.")
    delivered_value_vnd = _count("Value delivered, VND.")
    decline_reasons = DeclineReasonsSerializer(read_only=True)
    lost_reasons = LostReasonsSerializer(read_only=True)
    median_days_to_connection = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Median days from the later listing's posting to the connection.",
    )
    connections = ConnectionsSerializer(read_only=True)
    by_month = MonthSerializer(
        many=True,
        read_only=True,
        help_text="Listings and proposals by the month they were made, connections by the "
        "month of connection, contracts by the month signed, deliveries by the month "
        "delivered.",
    )
    by_province = ProvinceFiguresSerializer(
        many=True,
        read_only=True,
        help_text="By province: a listing by its own, a match or deal by its supply's; most "
        "connections first.",
    )
    by_category = CategoryFiguresSerializer(
        many=True,
        read_only=True,
        help_text="By category, the same way as by province.",
    )
