"""The accepted units of quantity: the API contract names these codes.

Each unit converts to the base unit of its dimension (kg, litre, piece), so that 2 tấn and
2000 kg compare equal. Vietnamese spellings are aliases accepted on input.
"""

from decimal import Decimal

from catalog.models import Unit

UNITS = [
    ("g", "gam", "gram", "mass", "0.001", ["gam", "gram"]),
    ("kg", "kg", "kilogram", "mass", "1", ["ki lô gam", "kilogram", "ky", "ký"]),
    ("yen", "yến", "yen (10 kg)", "mass", "10", ["yến"]),
    ("ta", "tạ", "quintal (100 kg)", "mass", "100", ["tạ", "quintal"]),
    ("tonne", "tấn", "tonne", "mass", "1000", ["tấn", "tan", "ton", "t"]),
    ("ml", "ml", "millilitre", "volume", "0.001", ["mililit"]),
    ("l", "lít", "litre", "volume", "1", ["lít", "lit", "litre", "liter"]),
    ("piece", "cái", "piece", "count", "1", ["cái", "chiếc", "quả", "con", "pcs"]),
    ("box", "hộp", "box", "count", "1", ["hộp"]),
    ("bag", "bao", "bag", "count", "1", ["bao", "túi"]),
    ("bottle", "chai", "bottle", "count", "1", ["chai"]),
    ("carton", "thùng", "carton", "count", "1", ["thùng"]),
]


def ensure_units() -> int:
    """Create or update the unit table; returns how many rows changed."""
    changed = 0
    for order, (code, name, name_en, dim, factor, aliases) in enumerate(UNITS):
        wanted = dict(
            name=name,
            name_en=name_en,
            dimension=dim,
            factor=Decimal(factor),
            aliases=aliases,
            order=order,
        )
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            Unit.objects.create(code=code, **wanted)
            changed += 1
        elif any(getattr(unit, k) != v for k, v in wanted.items()):
            Unit.objects.filter(pk=unit.pk).update(**wanted)
            changed += 1
    return changed
