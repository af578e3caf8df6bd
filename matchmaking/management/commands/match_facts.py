"""Fill the stored facts of matches scored before ``Match.facts`` existed.

Reads word a match's reasons from its stored factor values and facts; a row without facts
shows its values and weights but no sentence. This computes the facts from the two listings
as they are now, in batches, and stores them (a write job, never run by a read).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from matchmaking.models import Match
from matchmaking.services.facts import facts_for_pairs


class Command(BaseCommand):
    help = "Store the facts the reasons are worded from for matches that have none."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=2000)

    def handle(self, *args, batch: int, **options):
        todo = Match.objects.filter(facts=[]).exclude(factors=[]).order_by("pk")
        done = last = 0
        while True:
            rows = list(
                todo.filter(pk__gt=last).values_list("pk", "supply_id", "demand_id")[:batch]
            )
            if not rows:
                break
            last = rows[-1][0]
            facts = facts_for_pairs([(s, d) for _, s, d in rows])
            objs = [Match(pk=pk, facts=facts[(s, d)]) for pk, s, d in rows if (s, d) in facts]
            with transaction.atomic():
                Match.objects.bulk_update(objs, ["facts"], batch_size=500)
            done += len(objs)
        self.stdout.write(f"facts stored for {done} matches")
