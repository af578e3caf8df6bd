"""Reads of pools: what a caller may see (officers all, the buyer's members the pools of
their demands, each member's organization the pools it takes part in)."""

from __future__ import annotations

from django.db.models import Prefetch

from matchmaking.models import Pool, PoolMember


def visible_pools(user):
    members = PoolMember.objects.select_related(
        "organization__province", "supply__province", "supply__unit"
    ).order_by("-suggested_quantity", "pk")
    return (
        Pool.objects.visible_to(user)
        .select_related(
            "demand__organization__province",
            "demand__province",
            "demand__unit",
            "demand__category",
        )
        .prefetch_related(Prefetch("members", queryset=members), "demand__certifications")
        .order_by("-created_at", "-pk")
    )
