"""Time the listing page's save (``POST /listings/new/``) as a member does it, N times.

    python manage.py bench_page_save --user supplier --runs 10

Run it with ``REDIS_URL`` pointing at a closed port (and ``CELERY_TASK_ALWAYS_EAGER=0``) to see
what a save costs while Redis is down (issue 16, finding 1; figures in docs/BENCHMARKS.md).
The listings it creates are deleted again.
"""

from __future__ import annotations

import datetime
import statistics
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProductCategory, Unit
from listings.models import Listing


class Command(BaseCommand):
    help = "Time the listing page's save, as a member does it."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="supplier")
        parser.add_argument("--runs", type=int, default=10)

    def handle(self, *args, user, runs, **options):
        member = get_user_model().objects.filter(username=user).first()
        organization = member and member.organizations.first()
        if organization is None:
            raise CommandError(f"{user!r} is not a member of an organization (seed --demo).")
        if "testserver" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        client = Client()
        client.force_login(member)
        today = timezone.localdate()
        data = {
            "side": "supply",
            "organization": organization.pk,
            "title": "Bench: cà phê Robusta",
            "category": ProductCategory.objects.filter(parent__isnull=False).first().pk,
            "quantity": "20",
            "unit": Unit.objects.get(code="tonne").code,
            "province": organization.province.name,
            "available_from": today.isoformat(),
            "available_until": (today + datetime.timedelta(days=60)).isoformat(),
            "status": "open",
        }
        timings = []
        before = set(Listing.objects.values_list("pk", flat=True))
        try:
            for _ in range(runs):
                started = time.perf_counter()
                response = client.post(reverse("listings:create"), data, secure=True)
                timings.append(time.perf_counter() - started)
                if response.status_code != 302:
                    raise CommandError(f"the save answered {response.status_code}")
        finally:
            Listing.objects.exclude(pk__in=before).delete()
        self.stdout.write(
            f"page save ({runs} runs, REDIS_URL={settings.REDIS_URL or 'unset'}): "
            f"median {statistics.median(timings) * 1000:.0f} ms, "
            f"max {max(timings) * 1000:.0f} ms"
        )
