"""Matchmaking keeps its own state: ``Listing.matched_at`` moves to ``ListingMatchState``
(values carried over; ``listings`` 0003 then drops the column), and notifications store their
event's parameters instead of two written sentences (derived from each row's match)."""

import re

import django.db.models.deletion
from django.db import migrations, models


def carry_matched_at(apps, schema_editor):
    Listing = apps.get_model("listings", "Listing")
    State = apps.get_model("matchmaking", "ListingMatchState")
    rows = Listing.objects.filter(matched_at__isnull=False).values_list("pk", "matched_at")
    State.objects.bulk_create(
        [State(listing_id=pk, matched_at=at) for pk, at in rows.iterator()], batch_size=2000
    )


def restore_matched_at(apps, schema_editor):
    Listing = apps.get_model("listings", "Listing")
    State = apps.get_model("matchmaking", "ListingMatchState")
    for pk, at in State.objects.values_list("listing_id", "matched_at").iterator():
        Listing.objects.filter(pk=pk).update(matched_at=at)


def _params(note) -> dict:
    """The parameters the sentence of ``note`` was written from, read back from its match."""
    match = note.match
    if match is None:
        count = re.match(r"\s*(\d+)", note.message or "")
        if note.kind == "new_proposals" and count:
            return {"count": int(count.group(1))}
        return {}
    supply, demand = match.supply, match.demand
    pair = {"supply": supply.title, "demand": demand.title}
    # The recipient's own listing, and the other side's.
    mine, theirs = (supply, demand) if note.organization_id == supply.organization_id else (
        demand,
        supply,
    )
    if note.kind == "new_proposals":
        return {"listing": mine.title, "other_org": theirs.organization.name, "other": theirs.title}
    if note.kind == "other_accepted":
        return {"org": theirs.organization.name, "listing": theirs.title, "other": mine.title}
    if note.kind == "declined":
        return {
            "org": theirs.organization.name,
            "other": mine.title,
            "reason": match.decline_reason,
        }
    if note.kind == "expiring":
        due = match.respond_by
        return {**pair, "due": due.date().isoformat() if due else ""}
    return pair


def derive_params(apps, schema_editor):
    Notification = apps.get_model("matchmaking", "Notification")
    notes = Notification.objects.select_related(
        "match__supply__organization", "match__demand__organization"
    )
    batch = []
    for note in notes.iterator(chunk_size=2000):
        note.params = _params(note)
        batch.append(note)
        if len(batch) == 2000:
            Notification.objects.bulk_update(batch, ["params"])
            batch = []
    Notification.objects.bulk_update(batch, ["params"])


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0002_listing_listing_updated_idx"),
        ("matchmaking", "0003_listing_features"),
    ]

    operations = [
        migrations.CreateModel(
            name="ListingMatchState",
            fields=[
                (
                    "listing",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="match_state",
                        serialize=False,
                        to="listings.listing",
                        verbose_name="listing",
                    ),
                ),
                ("matched_at", models.DateTimeField(verbose_name="last matched at")),
            ],
            options={
                "verbose_name": "listing match state",
                "verbose_name_plural": "listing match states",
            },
        ),
        migrations.RunPython(carry_matched_at, restore_matched_at),
        migrations.AddField(
            model_name="notification",
            name="params",
            field=models.JSONField(blank=True, default=dict, verbose_name="parameters"),
        ),
        migrations.RunPython(derive_params, migrations.RunPython.noop),
        migrations.RemoveField(model_name="notification", name="message"),
        migrations.RemoveField(model_name="notification", name="message_en"),
    ]
