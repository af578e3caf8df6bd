"""The API's shared conventions: ids in range, enums with stable schema names, lookups, and
strict fields for what a caller types.

Every app's API builds on these, so an id beyond the database's integers is a 400 or a 404
everywhere (never a 500) and enum names in the OpenAPI schema never depend on field names.

Strict fields (issue 16, finding 8) refuse what DRF's own fields silently coerce: a number
where text is expected (``{"name": 123}``), Python's digit separators in numbers (``"1_000"``
is not a quantity), the same item twice in a list of codes. Text fields also drop control
characters (``core.cleaning``). :class:`StrictModelSerializer` maps model fields onto them; a
test walks every serializer of the project to check that what a caller may write uses them.
"""

from __future__ import annotations

import copy
import re

from django.db import models
from django.http import Http404
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.relations import MANY_RELATION_KWARGS
from rest_framework.response import Response

from core import readcache
from core.cleaning import multi_line, single_line

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


def status_parameter(values, description: str) -> OpenApiParameter:
    """The ``status`` query filter of a list: comma-separated values of one enum."""
    return OpenApiParameter(
        "status",
        OpenApiTypes.STR,
        enum=list(values),
        many=True,
        explode=False,
        style="form",
        description=description,
    )


def filter_statuses(queryset, raw: str | None, allowed):
    """``queryset`` limited to the comma-separated statuses in ``raw`` (all when empty); an
    unknown one is a 400 on ``status`` naming the allowed values."""
    wanted = [v.strip() for v in (raw or "").split(",") if v.strip()]
    if not wanted:
        return queryset
    unknown = set(wanted) - set(allowed)
    if unknown:
        raise ValidationError(
            {
                "status": [
                    gettext("Unknown status: %(values)s. Use one of %(allowed)s.")
                    % {"values": ", ".join(sorted(unknown)), "allowed": ", ".join(allowed)}
                ]
            }
        )
    return queryset.filter(status__in=wanted)


class CachedReadMixin:
    """``list`` and ``retrieve`` served by :mod:`core.readcache` while none of the tables their
    SQL read has changed: the same bytes the view would render, keyed by the caller, the path
    and query and the negotiated format (JSON only: the browsable API carries forms)."""

    def list(self, request, *args, **kwargs):
        return self._cached_read(super().list, request, *args, **kwargs)

    def retrieve(self, request, *args, **kwargs):
        return self._cached_read(super().retrieve, request, *args, **kwargs)

    def _cached_read(self, handler, request, *args, **kwargs):
        if not readcache.enabled():
            return handler(request, *args, **kwargs)
        renderer = getattr(request, "accepted_renderer", None)
        if renderer is None or renderer.format != "json":
            response = handler(request, *args, **kwargs)
            response[readcache.HEADER] = "skip"
            return response
        key = readcache.key_for(
            "api",
            type(self).__module__,
            type(self).__qualname__,
            self.action,
            readcache.caller(request.user),
            request.build_absolute_uri(),  # the host too: links in the answer name it
            request.accepted_media_type,
        )
        return readcache.serve(
            key, lambda: handler(request, *args, **kwargs), prepare=self._ready_to_render
        )

    def _ready_to_render(self, response) -> None:
        response.accepted_renderer = self.request.accepted_renderer
        response.accepted_media_type = self.request.accepted_media_type
        response.renderer_context = self.get_renderer_context()


class AnswerMixin:
    """A viewset's answer actions (accept, decline…): the payload checked, the service called
    with the object as ``answer_target`` and the caller, the object read again as it sees it."""

    answer_target = "object"

    def _answer(self, request, service, payload_class):
        obj = self.get_object()
        payload = payload_class(data=request.data)
        payload.is_valid(raise_exception=True)
        service(**{self.answer_target: obj}, by_user=request.user, **payload.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=obj.pk)).data)


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


# --- strict fields ---------------------------------------------------------------------------

# A number as a JSON string: digits, one optional point, an optional sign. No "1_000", "1e3",
# "０" (full-width) or " 12 " with inner spaces: what Decimal() and int() would also accept.
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)", re.A)


class CleanCharField(serializers.CharField):
    """Text that must be sent as a JSON string; control characters are dropped.

    ``multiline=True`` keeps line breaks (descriptions, notes); ``secret=True`` keeps the value
    exactly as sent (passwords are compared, never displayed).
    """

    def __init__(self, *, multiline: bool = False, secret: bool = False, **kwargs):
        self.multiline = multiline
        self.secret = secret
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if not self.secret:
            data = multi_line(data) if self.multiline else single_line(data)
        return super().to_internal_value(data)


class CleanTextField(CleanCharField):
    """Multi-line text (a model ``TextField``)."""

    def __init__(self, **kwargs):
        super().__init__(multiline=True, **kwargs)


def _plain_number(field, data):
    if isinstance(data, bool):
        field.fail("invalid")
    if isinstance(data, str) and not _PLAIN_NUMBER.fullmatch(data.strip()):
        field.fail("invalid")
    return data


class StrictDecimalField(serializers.DecimalField):
    """A decimal as a JSON number or a plain numeric string."""

    def to_internal_value(self, data):
        return super().to_internal_value(_plain_number(self, data))


class StrictIntegerField(serializers.IntegerField):
    """A whole number as a JSON integer or a string of digits: not 1.5, "1_000" or true."""

    def to_internal_value(self, data):
        _plain_number(self, data)
        if isinstance(data, float) and not data.is_integer():
            self.fail("invalid")
        if isinstance(data, str) and "." in data:
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    def to_internal_value(self, data):
        return super().to_internal_value(_plain_number(self, data))


class NoDuplicates:
    """A list validator: the same item twice is an error, not silently merged."""

    message = _("“%(value)s” is listed more than once.")
    requires_context = False

    def __call__(self, values):
        seen = set()
        for value in values:
            key = getattr(value, "pk", value)
            if key in seen:
                raise serializers.ValidationError(self.message % {"value": str(value)[:60]})
            seen.add(key)

    def __eq__(self, other):
        return isinstance(other, NoDuplicates)


class UniqueManyRelatedField(serializers.ManyRelatedField):
    """``many=True`` of a related field that refuses the same item twice."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators = [*self.validators, NoDuplicates()]


class UniqueManyMixin:
    """For related fields: ``many=True`` builds a :class:`UniqueManyRelatedField`."""

    @classmethod
    def many_init(cls, *args, **kwargs):
        list_kwargs = {"child_relation": cls(*args, **kwargs)}
        list_kwargs.update({k: v for k, v in kwargs.items() if k in MANY_RELATION_KWARGS})
        return UniqueManyRelatedField(**list_kwargs)


class StrictModelSerializer(serializers.ModelSerializer):
    """A model serializer whose generated fields are the strict ones above.

    Its fields are worked out from the model once per class and copied for each instance:
    DRF introspects the model for every instance, which was a fifth of reading one match
    (six nested serializers, 46 fields built per request). The fields depend only on the
    class (``Meta``, the declared fields, the model), never on the instance or its context.
    """

    def get_fields(self):
        cls = type(self)
        template = cls.__dict__.get("_fields_template")
        if template is None:
            template = super().get_fields()
            cls._fields_template = template
        return copy.deepcopy(template)

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CleanCharField,
        models.TextField: CleanTextField,
        models.DecimalField: StrictDecimalField,
        models.IntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.FloatField: StrictFloatField,
    }
