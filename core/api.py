"""The API's shared conventions: ids in range, enums with stable schema names, lookups.

Every app's API builds on these, so an id beyond the database's integers is a 400 or a 404
everywhere (never a 500) and enum names in the OpenAPI schema never depend on field names.
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

# The largest value of a PostgreSQL bigint (Django's BigAutoField).
MAX_ID = 2**63 - 1


def parse_id(value) -> int | None:
    """A positive database id from a path or query value, or None."""
    text = str(value if value is not None else "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


class SafeLookupMixin:
    """``get_object`` that answers 404 (not 500) for a path id beyond the database's integers."""

    def get_object(self):
        lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if parse_id(lookup) is None:
            raise Http404
        return super().get_object()


class IdField(serializers.PrimaryKeyRelatedField):
    """A primary key that answers 400 (not 500) for ids beyond the database's integers."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | str):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            pk = int(data)
        except ValueError:
            self.fail("incorrect_type", data_type=type(data).__name__)
        if not 0 < pk <= MAX_ID:
            self.fail("does_not_exist", pk_value=str(data)[:60])
        return super().to_internal_value(pk)


class NamedChoiceField(serializers.ChoiceField):
    """A choice field whose enum has a fixed name in the OpenAPI schema.

    drf-spectacular names enums after the property ("side", "status", "kind"); other apps
    use the same property names for other choice sets, which it could only tell apart by a
    hash (and a warning). These enums carry their own, stable names.
    """

    def __init__(self, *, enum_name: str, **kwargs):
        self.enum_name = enum_name
        super().__init__(**kwargs)


class NamedChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "core.api.NamedChoiceField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        component = ResolvedComponent(
            name=field.enum_name,
            type=ResolvedComponent.SCHEMA,
            object=field.enum_name,
            schema={
                "enum": list(field.choices),
                "type": "string",
                "description": "\n".join(
                    f"* `{value}` - {label}" for value, label in field.choices.items()
                ),
            },
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref
