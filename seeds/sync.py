"""Write a row only when it differs, and count what happened.

``sync`` is ``update_or_create`` that leaves an unchanged row alone: no ``save()``, no history
record, no ``updated_at`` bump. That is what makes a second ``seed`` report nothing updated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


@dataclass
class SeedReport:
    """Created / updated / unchanged counts per model, in the order models were first seen."""

    counts: dict[str, Counter] = field(default_factory=dict)
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def add(self, label: str, outcome: str, n: int = 1) -> None:
        self.counts.setdefault(label, Counter())[outcome] += n

    def total(self, outcome: str) -> int:
        return sum(c[outcome] for c in self.counts.values())

    @property
    def changed(self) -> int:
        return self.total(CREATED) + self.total(UPDATED)

    def as_table(self) -> str:
        width = max([len(label) for label in self.counts] + [5])
        lines = [f"{'model':<{width}}  {'created':>8}  {'updated':>8}  {'unchanged':>9}"]
        for label, c in self.counts.items():
            lines.append(f"{label:<{width}}  {c[CREATED]:>8}  {c[UPDATED]:>8}  {c[UNCHANGED]:>9}")
        lines.append(
            f"{'total':<{width}}  {self.total(CREATED):>8}  {self.total(UPDATED):>8}  "
            f"{self.total(UNCHANGED):>9}"
        )
        return "\n".join(lines)


def label_of(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _comparable(model: type[models.Model], name: str, value: Any) -> tuple[str, Any]:
    """The attribute to compare on the instance and the value it should hold."""
    f = model._meta.get_field(name)
    if f.is_relation and f.many_to_one:
        return f.attname, (value.pk if isinstance(value, models.Model) else value)
    if isinstance(f, models.DecimalField) and value is not None:
        return f.attname, Decimal(str(value))
    return f.attname, value


def _clean(obj: models.Model) -> None:
    # Derived columns (search_text, compact…) are computed in save(); do not validate them.
    exclude = [f.name for f in obj._meta.fields if not f.editable]
    obj.full_clean(exclude=exclude)


def sync(
    report: SeedReport,
    model: type[M],
    *,
    lookup: Mapping[str, Any],
    values: Mapping[str, Any] | None = None,
    m2m: Mapping[str, Iterable[models.Model]] | None = None,
) -> tuple[M, str]:
    """Create the row found by ``lookup`` or bring ``values`` and ``m2m`` up to date."""
    values = dict(values or {})
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        _clean(obj)
        obj.save()
        outcome = CREATED
    else:
        changed = False
        for name, value in values.items():
            attname, wanted = _comparable(model, name, value)
            if getattr(obj, attname) != wanted:
                setattr(obj, name, value)
                changed = True
        if changed:
            _clean(obj)
            obj.save()
        outcome = UPDATED if changed else UNCHANGED
    for name, related in (m2m or {}).items():
        related = list(related)
        manager = getattr(obj, name)
        if set(manager.values_list("pk", flat=True)) != {r.pk for r in related}:
            manager.set(related)
            if outcome == UNCHANGED:
                outcome = UPDATED
    report.add(label_of(model), outcome)
    return obj, outcome
