"""The demo organizations, users and listings (``seed --demo``)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import OFFICERS_GROUP, Membership, Organization
from accounts.services import organization_verify
from catalog.models import Certification, Product, ProductCategory, Unit
from core.actors import SYSTEM
from listings.models import Listing
from listings.services import listing_create
from seeds.data import demo as demo_data
from seeds.loaders.common import SeedError, province_named
from seeds.sync import CREATED, UNCHANGED, UPDATED, SeedReport, label_of, sync


def _demo_user(report: SeedReport, username: str, first, last, email, *, staff, superuser):
    User = get_user_model()
    values = {
        "first_name": first,
        "last_name": last,
        "email": email,
        "is_staff": staff,
        "is_superuser": superuser,
        "is_active": True,
    }
    if not User.objects.filter(username=username).exists():
        user = User.objects.create_user(username, password=demo_data.DEMO_PASSWORD, **values)
        report.add(label_of(User), CREATED)
        return user
    user, outcome = sync(report, User, lookup={"username": username}, values=values)
    if not user.check_password(demo_data.DEMO_PASSWORD):
        user.set_password(demo_data.DEMO_PASSWORD)
        user.save(update_fields=["password"])
        if outcome == UNCHANGED:
            report.counts[label_of(User)][UNCHANGED] -= 1
            report.add(label_of(User), UPDATED)
    return user


def load_demo(report: SeedReport, *, officers: Group, today: datetime.date | None = None):
    today = today or timezone.localdate()
    users = {}
    for username, (first, last, email, _org) in demo_data.USERS.items():
        users[username] = _demo_user(
            report,
            username,
            first,
            last,
            email,
            staff=username in ("officer", "admin"),
            superuser=username == "admin",
        )
    if not users["officer"].groups.filter(pk=officers.pk).exists():
        users["officer"].groups.add(officers)

    organizations = {}
    for key, (
        name,
        kind,
        province,
        person,
        email,
        what,
        verified,
    ) in demo_data.ORGANIZATIONS.items():
        org, _ = sync(
            report,
            Organization,
            lookup={"name": name, "province": province_named(province)},
            values={
                "kind": kind,
                "contact_person": person,
                "email": email,
                "description": f"{demo_data.DEMO_NOTE} {what}",
            },
        )
        if verified and not org.verified:
            organization_verify(organization=org, by_user=users["officer"])
        organizations[key] = org

    members: dict[int, object] = {}
    for username, (_first, _last, _email, org_key) in demo_data.USERS.items():
        if org_key:
            sync(
                report,
                Membership,
                lookup={"user": users[username], "organization": organizations[org_key]},
                values={"role": Membership.Role.OWNER},
            )
            members[organizations[org_key].pk] = users[username]

    categories = {c.slug: c for c in ProductCategory.objects.all()}
    units = {u.code: u for u in Unit.objects.all()}
    certifications = {c.code: c for c in Certification.objects.all()}
    label = label_of(Listing)
    for row in demo_data.LISTINGS:
        org = organizations[row.org]
        if Listing.objects.filter(organization=org, title=row.title).exists():
            report.add(label, UNCHANGED)
            continue
        fields = {
            "title": row.title,
            "description": row.description,
            "category": categories[row.category],
            "product": Product.objects.filter(name=row.product).first() if row.product else None,
            "quantity": Decimal(row.quantity),
            "unit": units[row.unit],
            "min_order_quantity": Decimal(row.min_order) if row.min_order else None,
            "price_min": row.price_min,
            "price_max": row.price_max,
            "province": org.province,
            "available_from": today + datetime.timedelta(days=row.start),
            "available_until": today + datetime.timedelta(days=row.start + row.days),
            "status": Listing.Status.OPEN,
        }
        if row.product and fields["product"] is None:
            raise SeedError(f"demo listing {row.title!r}: no product named {row.product!r}")
        stars_field = "ocop_stars" if row.side == Listing.Side.SUPPLY else "min_ocop_stars"
        fields[stars_field] = row.stars
        listing_create(
            organization=org,
            side=row.side,
            # Posted by the organization's demo member, or by the platform when it has none.
            by_user=members.get(org.pk) or SYSTEM,
            certifications=[certifications[c] for c in row.certs],
            confirm_price=True,  # curated prices: nobody to ask
            **fields,
        )
        report.add(label, CREATED)

    report.logins = [
        ("admin", demo_data.DEMO_PASSWORD, "superuser: /admin/"),
        ("officer", demo_data.DEMO_PASSWORD, f"staff, group “{OFFICERS_GROUP}”: /admin/"),
        ("supplier", demo_data.DEMO_PASSWORD, f"owner of {organizations['suoi-mo'].name}"),
        ("buyer", demo_data.DEMO_PASSWORD, f"owner of {organizations['phuong-nam'].name}"),
    ]
    return users, organizations
