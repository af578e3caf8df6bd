"""The trade-promotion officers' group and its permissions."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

from accounts.models import OFFICERS_GROUP
from seeds.data import officers as officer_data
from seeds.sync import SeedReport, sync


def officer_permissions() -> list[Permission]:
    """What the "Trade officers" group may do (see ``seeds.data.officers``)."""
    wanted = []
    perms = Permission.objects.filter(content_type__app_label__in=officer_data.APPS).select_related(
        "content_type"
    )
    for perm in perms:
        model = perm.content_type.model
        action, _, _ = perm.codename.partition("_")
        label = f"{perm.content_type.app_label}.{model}"
        is_default = perm.codename in {f"{a}_{model}" for a in ("add", "change", "delete", "view")}
        if model.startswith("historical"):
            allowed = action == "view"  # audit history is read-only
        elif not is_default:
            allowed = True  # custom permissions of these apps exist for officers' work
        else:
            allowed = action in ("view", "change") or action in officer_data.EXTRA.get(label, ())
        if allowed:
            wanted.append(perm)
    return wanted


def load_officers_group(report: SeedReport) -> Group:
    group, _ = sync(
        report, Group, lookup={"name": OFFICERS_GROUP}, m2m={"permissions": officer_permissions()}
    )
    return group
