"""Every serializer of the project takes what callers write through the strict fields of
``core.api`` (issue 16, finding 8), and those fields refuse what DRF's own would coerce."""

import contextlib
import importlib

import pytest
from django.urls import get_resolver
from rest_framework import serializers

from core.api import (
    CleanCharField,
    NoDuplicates,
    StrictDecimalField,
    StrictFloatField,
    StrictIntegerField,
)

PROJECT_APPS = ("core", "catalog", "accounts", "listings", "matchmaking", "seeds", "config")
# Documents the error answers in the schema; never reads input.
NOT_INPUT = {"core.schema"}


# DRF fields whose own parsing or validators refuse what is not of their kind.
_SELF_CHECKING = (
    serializers.EmailField,
    serializers.URLField,
    serializers.SlugField,
    serializers.RegexField,
    serializers.IPAddressField,
    serializers.UUIDField,
)


def loose_fields(serializer, path: str = "") -> list[str]:
    """The writable fields of ``serializer`` (nested ones too) that are not strict."""
    found = []
    for name, field in serializer.fields.items():
        if field.read_only:
            continue
        where = f"{path}{name}"
        if isinstance(field, serializers.BaseSerializer):
            child = getattr(field, "child", field)
            found += loose_fields(child, f"{where}.")
        elif isinstance(field, serializers.ManyRelatedField | serializers.ListField):
            if not any(isinstance(v, NoDuplicates) for v in field.validators):
                found.append(f"{where} (duplicates)")
            child = getattr(field, "child", None)
            if child is not None and _loose(child):
                found.append(f"{where}[]")
        elif _loose(field):
            found.append(where)
    return found


def _loose(field) -> bool:
    if isinstance(field, _SELF_CHECKING):
        return False
    if isinstance(field, serializers.CharField):
        return not isinstance(field, CleanCharField)
    if isinstance(field, serializers.DecimalField):
        return not isinstance(field, StrictDecimalField)
    if isinstance(field, serializers.IntegerField):
        return not isinstance(field, StrictIntegerField)
    if isinstance(field, serializers.FloatField):
        return not isinstance(field, StrictFloatField)
    return False


def _project_serializers():
    assert get_resolver().url_patterns  # imports every API module (and so every serializer)
    for app in PROJECT_APPS:
        for module in ("serializers", "api"):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app}.{module}")
    found, todo = set(), [serializers.BaseSerializer]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            module = sub.__module__
            ours = module.split(".")[0] in PROJECT_APPS and ".tests" not in module
            if ours and module not in NOT_INPUT:
                found.add(sub)
    return sorted(found, key=lambda c: f"{c.__module__}.{c.__qualname__}")


def test_every_serializer_takes_input_through_strict_fields():
    classes = _project_serializers()
    assert len(classes) >= 10  # the walk found the project's serializers
    loose = {
        f"{cls.__module__}.{cls.__qualname__}": fields
        for cls in classes
        if not cls.__name__.startswith("Strict") and (fields := loose_fields(cls()))
    }
    assert loose == {}


class Probe(serializers.Serializer):
    name = CleanCharField(max_length=50)
    note = CleanCharField(multiline=True, required=False)
    secret = CleanCharField(secret=True, required=False)
    quantity = StrictDecimalField(max_digits=10, decimal_places=3, required=False)
    count = StrictIntegerField(required=False)
    ratio = StrictFloatField(required=False)
    codes = serializers.ListField(
        child=CleanCharField(), required=False, validators=[NoDuplicates()]
    )


def _errors(**data):
    probe = Probe(data={"name": "x", **data})
    probe.is_valid()
    return probe.errors


@pytest.mark.parametrize(
    "data",
    [
        {"name": 123},
        {"name": True},
        {"name": ["a"]},
        {"quantity": "1_000"},
        {"quantity": "1e3"},
        {"quantity": True},
        {"quantity": "١٢"},
        {"count": "1_000"},
        {"count": 1.5},
        {"count": "2.0"},
        {"ratio": "1_0"},
        {"codes": ["vietgap", "vietgap"]},
    ],
)
def test_what_drf_would_coerce_is_refused_under_its_field(data):
    assert set(_errors(**data)) == set(data)


def test_numbers_written_plainly_are_read():
    probe = Probe(data={"name": "x", "quantity": "1000.5", "count": "12", "ratio": 0.5})
    assert probe.is_valid(), probe.errors
    assert str(probe.validated_data["quantity"]) == "1000.500"
    assert probe.validated_data["count"] == 12


def test_text_loses_its_control_characters():
    probe = Probe(
        data={
            "name": "HTX\r\nCà phê\x01\x1b Ea\u202eTu",
            "note": "dòng 1\r\ndòng 2\x07",
            "secret": "p\x01ss",
        }
    )
    assert probe.is_valid(), probe.errors
    assert probe.validated_data["name"] == "HTX Cà phê EaTu"
    assert probe.validated_data["note"] == "dòng 1\ndòng 2"
    assert probe.validated_data["secret"] == "p\x01ss"
