"""Every match connected before deals existed gets its deal (stage ``connected``)."""

from django.db import migrations


def create_deals(apps, schema_editor):
    Match = apps.get_model("matchmaking", "Match")
    Deal = apps.get_model("matchmaking", "Deal")
    DealEvent = apps.get_model("matchmaking", "DealEvent")
    missing = Match.objects.filter(status="connected", deal__isnull=True).values_list(
        "pk", flat=True
    )
    ids = list(missing)
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        deals = Deal.objects.bulk_create([Deal(match_id=pk, stage="connected") for pk in chunk])
        DealEvent.objects.bulk_create(
            [
                DealEvent(deal=deal, from_stage="", to_stage="connected", note="backfilled")
                for deal in deals
            ]
        )


class Migration(migrations.Migration):
    dependencies = [("matchmaking", "0008_deals")]

    operations = [migrations.RunPython(create_deals, migrations.RunPython.noop)]
