"""``python manage.py seed [--demo]``: reference data, the articles' facts, demo data.

Safe to run again: rows are only written when they differ, and the summary says what changed.
"""

from django.core.management.base import BaseCommand

from seeds.loaders import seed_all


class Command(BaseCommand):
    help = (
        "Load regions, the 34 provinces with their legacy names, units, certifications, "
        "product categories and products, the cooperation programmes and conferences of the "
        "source articles and the officers' group. --demo adds fictional organizations, users "
        "and open listings (never on a production database: it resets the demo passwords)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo",
            action="store_true",
            help="also create demo organizations, users (printed at the end) and listings",
        )
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="the port the login address is printed with (make run passes its PORT)",
        )

    def handle(self, *args, demo: bool = False, port: int = 8000, **options):
        report = seed_all(demo=demo)
        self.stdout.write(report.as_table())
        if report.changed:
            self.stdout.write(self.style.SUCCESS(f"Seeded: {report.changed} rows written."))
        else:
            self.stdout.write(self.style.SUCCESS("Already up to date: nothing written."))
        if report.logins:
            self.stdout.write("")
            self.stdout.write(f"Demo logins (http://127.0.0.1:{port}/accounts/login/, /admin/):")
            width = max(len(u) for u, _, _ in report.logins)
            self.stdout.write(f"  {'username':<{width}}  password   role")
            for username, password, role in report.logins:
                self.stdout.write(f"  {username:<{width}}  {password:<9}  {role}")
