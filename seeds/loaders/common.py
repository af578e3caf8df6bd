"""What every loader shares: the error for seed data that contradicts itself and the province
look-up that fails loudly."""

from __future__ import annotations

from catalog.models import Province


class SeedError(Exception):
    """The seed data contradicts itself (a name that resolves to no province, a clash…)."""


def province_named(name: str) -> Province:
    """The CURRENT province for a current or pre-2025 name; a typo fails loudly."""
    province = Province.objects.resolve(name)
    if province is None:
        raise SeedError(f"{name!r} does not resolve to a province")
    return province


def provinces_named(names) -> list[Province]:
    """Current provinces for a list of names, each once, in first-seen order."""
    return list({p.pk: p for p in map(province_named, names)}.values())
