"""``matched_at`` is matchmaking's state: matchmaking 0004 carried it to ``ListingMatchState``."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0002_listing_listing_updated_idx"),
        ("matchmaking", "0004_listing_match_state_and_notification_params"),
    ]

    operations = [
        migrations.RemoveField(model_name="listing", name="matched_at"),
    ]
