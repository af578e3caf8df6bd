"""One family of the synthetic category tree, and the shorthand its data is written in."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    """A root category: its groups, each with its kinds, and the provinces that grow it."""

    name: str
    name_en: str
    dimension: int
    price: float  # typical VND per base unit
    weight: float  # share of listings
    growers: tuple[str, ...]
    groups: tuple[tuple[str, str, int | None, tuple[tuple[str, str], ...]], ...]


def kinds(text: str) -> tuple[tuple[str, str], ...]:
    """``"Vietnamese/English; ..."`` as pairs: the leaves of a group."""
    return tuple(
        (vi.strip(), en.strip())
        for vi, en in (item.split("/") for item in text.split(";") if item.strip())
    )
