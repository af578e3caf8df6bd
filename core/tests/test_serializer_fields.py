"""Model serializers work their fields out once per class; every instance gets its own copy."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth.models import Group
from rest_framework import serializers

from core.api import StrictModelSerializer


class GroupSerializer(StrictModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name"]


class GroupWithLabelSerializer(GroupSerializer):
    label = serializers.SerializerMethodField()

    class Meta(GroupSerializer.Meta):
        fields = [*GroupSerializer.Meta.fields, "label"]

    def get_label(self, group) -> str:
        return f"{group.pk}: {group.name}"


def test_the_model_is_introspected_once_per_class():
    class FreshGroupSerializer(GroupSerializer):
        class Meta(GroupSerializer.Meta):
            pass

    original = serializers.ModelSerializer.build_field
    with mock.patch.object(
        serializers.ModelSerializer, "build_field", autospec=True, side_effect=original
    ) as build:
        assert list(FreshGroupSerializer().fields) == ["id", "name"]
        assert build.call_count == 2
        assert list(FreshGroupSerializer().fields) == ["id", "name"]
        assert build.call_count == 2  # the second instance copies the class's fields


def test_each_instance_has_its_own_fields_and_a_subclass_its_own_template():
    first, second = GroupSerializer(), GroupSerializer()
    first.fields["name"].read_only = True
    assert first.fields["name"] is not second.fields["name"]
    assert second.fields["name"].read_only is False
    assert first.fields["name"].parent is first and second.fields["name"].parent is second
    assert list(GroupWithLabelSerializer().fields) == ["id", "name", "label"]
    assert list(GroupSerializer().fields) == ["id", "name"]


@pytest.mark.django_db
def test_copies_serialize_like_fresh_fields():
    group = Group.objects.create(name="Cán bộ xúc tiến")
    for _ in range(2):
        assert GroupWithLabelSerializer(group).data == {
            "id": group.pk,
            "name": "Cán bộ xúc tiến",
            "label": f"{group.pk}: Cán bộ xúc tiến",
        }
