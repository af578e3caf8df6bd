"""Forms of the listing pages: the posting form and the browse filters.

They turn what was typed into the values ``listings.services`` takes; the services (and
``Listing.clean()``) hold the rules and their ValidationErrors are put back next to the fields by
the views, so every rule has one wording on every door.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.forms import ProvinceField
from accounts.models import Organization
from accounts.selectors import member_organizations
from catalog.models import Certification, Product, ProductCategory, Region, Unit
from core.formatting import localized_name
from core.forms import CleanTextFormMixin, LocalizedDecimalField, LocalizedIntegerField
from listings import services as listing_services
from listings.models import Listing
from listings.prices import price_warning

STAR_CHOICES = [("", "—"), (3, "3 ★"), (4, "4 ★"), (5, "5 ★")]
# What each status means to the one choosing it; the others are named by their label.
STATUS_HELP = {
    Listing.Status.OPEN: _("Open: shown to everyone and matched"),
    Listing.Status.DRAFT: _("Draft: only my organization sees it"),
}
NEW_STATUSES = (Listing.Status.OPEN, Listing.Status.DRAFT)
MAX_PRICE = 10**15  # VND per unit: far above any real price, far below the column's limit
# A supply's window is when the goods are available; a demand's is when they are needed.
WINDOW_LABELS = {
    "available_from": {
        Listing.Side.SUPPLY: _("Available from"),
        Listing.Side.DEMAND: _("Needed from"),
    },
    "available_until": {
        Listing.Side.SUPPLY: _("Available until"),
        Listing.Side.DEMAND: _("Needed until"),
    },
}
QUANTITY_MESSAGES = {
    "quantity": _("Quantity must be greater than 0."),
    "min_order_quantity": _("The minimum order must be greater than 0."),
}


def category_choices(*, empty_label=None) -> list:
    """Categories as optgroups, one per top-level category, children indented under it."""
    nodes = list(ProductCategory.objects.order_by("order", "slug"))
    children = defaultdict(list)
    for node in nodes:
        children[node.parent_id].append(node)

    def walk(node, depth, out):
        out.append((str(node.pk), "\u2003" * depth + localized_name(node)))
        for child in children[node.pk]:
            walk(child, depth + 1, out)

    grouped = [("", empty_label)] if empty_label is not None else []
    for root in children[None]:
        options: list = []
        walk(root, 0, options)
        grouped.append((localized_name(root), options))
    return grouped


def unit_choices() -> list:
    """Units grouped by what they measure, named in the page's language (tấn / tonne)."""
    labels = {
        Unit.Dimension.MASS: _("Weight"),
        Unit.Dimension.VOLUME: _("Volume"),
        Unit.Dimension.COUNT: _("Count"),
    }
    grouped = {dimension: [] for dimension in labels}
    for unit in Unit.objects.order_by("order", "code"):
        grouped.setdefault(unit.dimension, []).append((unit.code, localized_name(unit)))
    return [(labels.get(dim, dim), options) for dim, options in grouped.items() if options]


class LocalizedModelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return localized_name(obj)


class LocalizedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return localized_name(obj)


class ProductChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{localized_name(obj)} ({obj.origin_province.name})"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ListingForm(CleanTextFormMixin, forms.Form):
    side = forms.ChoiceField(
        label=_("I want to"),
        choices=[
            (Listing.Side.SUPPLY, _("Sell (supply)")),
            (Listing.Side.DEMAND, _("Buy (demand)")),
        ],
        widget=forms.RadioSelect,
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    title_en = forms.CharField(
        label=_("English title (optional)"),
        required=False,
        max_length=200,
        help_text=_("For foreign buyers: shown on English pages instead of the title."),
    )
    description_en = forms.CharField(
        label=_("English description (optional)"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    category = forms.ChoiceField(label=_("Category"))
    product = ProductChoiceField(
        label=_("Product (optional)"),
        queryset=Product.objects.select_related("origin_province").order_by("name"),
        required=False,
        help_text=_("A registered OCOP product or specialty, if it is one."),
    )
    quantity = LocalizedDecimalField(
        label=_("Quantity"),
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0.001"),
        error_messages={"min_value": QUANTITY_MESSAGES["quantity"]},
    )
    unit = forms.ChoiceField(label=_("Unit"))
    min_order_quantity = LocalizedDecimalField(
        label=_("Minimum order"),
        required=False,
        max_digits=14,
        decimal_places=3,
        min_value=Decimal("0.001"),
        error_messages={"min_value": QUANTITY_MESSAGES["min_order_quantity"]},
        help_text=_("In the same unit as the quantity."),
    )
    price_min = LocalizedIntegerField(
        label=_("Lowest price (VND per unit)"),
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        error_messages={"min_value": _("A price cannot be negative.")},
    )
    price_max = LocalizedIntegerField(
        label=_("Highest price (VND per unit)"),
        required=False,
        min_value=0,
        max_value=MAX_PRICE,
        error_messages={"min_value": _("A price cannot be negative.")},
    )
    confirm_price = forms.BooleanField(
        label=_("Yes, this price is right"),
        required=False,
        help_text=_("Asked only when a price is far from what the category usually costs."),
    )
    province = ProvinceField(
        label=_("Province"),
        help_text=_("Where the goods are (supply) or must be delivered (demand)."),
    )
    available_from = forms.DateField(label=_("Available from"), widget=DateInput)
    available_until = forms.DateField(label=_("Available until"), widget=DateInput)
    certifications = LocalizedModelMultipleChoiceField(
        label=_("Certifications"),
        queryset=Certification.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Supply: the ones held. Demand: the ones required."),
    )
    ocop_stars = forms.TypedChoiceField(
        label=_("OCOP stars"),
        choices=STAR_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    ocop_year = forms.IntegerField(
        label=_("OCOP rating year"),
        min_value=2018,
        max_value=2100,
        required=False,
        help_text=_("A rating counts for 36 months."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "placeholder": "2025"}),
    )
    min_ocop_stars = forms.TypedChoiceField(
        label=_("Minimum OCOP stars"),
        choices=STAR_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        widget=forms.RadioSelect,
        initial=Listing.Status.OPEN,
    )

    def __init__(self, *args, user, listing: Listing | None = None, **kwargs):
        self.listing = listing
        self.price_warning: str | None = None
        if listing is not None:
            kwargs.setdefault("initial", self.initial_from(listing))
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(empty_label="—")
        self.fields["category"].widget.attrs.update(
            {
                "hx-get": reverse("listings:lookup-products"),
                "hx-target": "#id_product",
                "hx-trigger": "change",
                "hx-include": "this, #id_product",
            }
        )
        self.fields["unit"].choices = unit_choices()
        # A new listing is opened or kept as a draft; a posted one offers where it may go.
        statuses = (
            NEW_STATUSES
            if listing is None
            else (listing.status, *listing_services.next_statuses(listing, user))
        )
        self.fields["status"].choices = [
            (status, STATUS_HELP.get(status, Listing.Status(status).label)) for status in statuses
        ]
        self._scope_products()
        if listing is None:
            self.fields["organization"].queryset = member_organizations(user)
            today = timezone.localdate()
            self.fields["unit"].initial = "kg"
            self.fields["available_from"].initial = today
            self.fields["available_until"].initial = today + datetime.timedelta(days=90)
        else:
            # The side and the organization of a listing are fixed once it is posted.
            del self.fields["side"]
            del self.fields["organization"]
        self._label_window(listing.side if listing is not None else None)

    def _label_window(self, side: str | None) -> None:
        """A demand's window is when the goods are needed. Before a side is chosen both labels
        are written and the stylesheet shows the one of the checked side."""
        for name, labels in WINDOW_LABELS.items():
            if side is not None:
                self.fields[name].label = labels[side]
            else:
                self.fields[name].label = format_html(
                    '<span class="for-supply">{}</span><span class="for-demand">{}</span>',
                    labels[Listing.Side.SUPPLY],
                    labels[Listing.Side.DEMAND],
                )

    def _scope_products(self) -> None:
        """Offer the products of the chosen category tree (htmx refreshes them on change)."""
        key = self.add_prefix("category")
        value = self.data.get(key) if self.is_bound else self.initial.get("category")
        category = (
            ProductCategory.objects.filter(pk=value).first() if str(value or "").isdigit() else None
        )
        field = self.fields["product"]
        if category is None:
            field.queryset = field.queryset.none()
        else:
            field.queryset = field.queryset.filter(category_id__in=category.descendant_ids())

    @staticmethod
    def initial_from(listing: Listing) -> dict:
        return {
            "title": listing.title,
            "description": listing.description,
            "title_en": listing.title_en,
            "description_en": listing.description_en,
            "category": str(listing.category_id),
            "product": listing.product_id,
            "quantity": listing.quantity,
            "unit": listing.unit.code,
            "min_order_quantity": listing.min_order_quantity,
            "price_min": listing.price_min,
            "price_max": listing.price_max,
            "province": listing.province,
            "available_from": listing.available_from,
            "available_until": listing.available_until,
            "certifications": [c.pk for c in listing.certifications.all()],
            "ocop_stars": listing.ocop_stars,
            "ocop_year": listing.ocop_year,
            "min_ocop_stars": listing.min_ocop_stars,
            "status": listing.status,
        }

    @property
    def side_value(self) -> str | None:
        if self.listing is not None:
            return self.listing.side
        return self.cleaned_data.get("side") if hasattr(self, "cleaned_data") else None

    def clean_category(self):
        value = self.cleaned_data["category"]
        category = ProductCategory.objects.filter(pk=value).first() if value.isdigit() else None
        if category is None:
            raise ValidationError(_("Choose a category."), code="invalid_choice")
        return category

    def clean_unit(self):
        unit = Unit.objects.filter(code=self.cleaned_data["unit"]).first()
        if unit is None:
            raise ValidationError(_("Choose a unit."), code="invalid_choice")
        return unit

    def clean(self):
        """Only what the form itself adds; the listing's rules are the service's (its errors
        come back next to the fields)."""
        cleaned = super().clean()
        # The form shows only the stars of the chosen side; drop what the other side left.
        if self.side_value == Listing.Side.DEMAND:
            cleaned["ocop_stars"] = None
            cleaned["ocop_year"] = None
        elif self.side_value == Listing.Side.SUPPLY:
            cleaned["min_ocop_stars"] = None
        self._check_price(cleaned)
        return cleaned

    def _check_price(self, cleaned: dict) -> None:
        """A price far from what the category costs is saved only once confirmed: the
        service's rule (``rules.check_price``), asked here first so that the question sits at
        the checkbox."""
        category, unit = cleaned.get("category"), cleaned.get("unit")
        if category is None or unit is None:
            return
        self.price_warning = price_warning(
            category=category,
            unit=unit,
            prices=[cleaned.get("price_min"), cleaned.get("price_max")],
            exclude_pk=self.listing.pk if self.listing is not None else None,
        )
        if self.price_warning and not cleaned.get("confirm_price"):
            self.add_error("confirm_price", self.price_warning)

    def service_kwargs(self) -> dict:
        """What ``listing_create`` / ``listing_update`` take."""
        data = self.cleaned_data
        kwargs = {name: data[name] for name in listing_services.EDITABLE_FIELDS}
        kwargs["certifications"] = list(data["certifications"])
        kwargs["confirm_price"] = bool(data.get("confirm_price"))
        if self.listing is None:
            kwargs["side"] = data["side"]
            kwargs["organization"] = data["organization"]
        return kwargs


SORT_CHOICES = [
    ("", _("Relevance")),
    ("newest", _("Newest first")),
    ("price", _("Price: lowest first")),
    ("-price", _("Price: highest first")),
    ("quantity", _("Quantity: largest first")),
]
SORTS = {
    # Relevance when something was searched, else the newest.
    "": lambda queryset: queryset.ranked(),
    "newest": lambda queryset: queryset.order_by("-created_at", "-id"),
    "price": lambda queryset: queryset.order_by(
        F("price_min").asc(nulls_last=True), "-created_at", "-id"
    ),
    "-price": lambda queryset: queryset.order_by(
        F("price_max").desc(nulls_last=True), "-created_at", "-id"
    ),
    "quantity": lambda queryset: queryset.order_by("-quantity_base", "-created_at", "-id"),
}


class BrowseForm(CleanTextFormMixin, forms.Form):
    """The filters of the browse page. Every field is optional; bad values are ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.SearchInput(attrs={"placeholder": _("e.g. cà phê, ca phe, coffee")}),
    )
    side = forms.ChoiceField(
        label=_("Side"),
        required=False,
        choices=[("", _("Supply and demand")), *Listing.Side.choices],
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    region = LocalizedModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("All regions"),
    )
    province = ProvinceField(label=_("Province"), required=False)
    certification = LocalizedModelChoiceField(
        label=_("Certification"),
        queryset=Certification.objects.all(),
        required=False,
        empty_label=_("Any"),
        to_field_name="code",
    )
    price_from = LocalizedIntegerField(label=_("Price from (VND)"), required=False, min_value=0)
    price_to = LocalizedIntegerField(label=_("Price up to (VND)"), required=False, min_value=0)
    quantity_from = LocalizedDecimalField(
        label=_("Quantity at least (kg, litres or pieces)"),
        required=False,
        min_value=0,
        max_digits=20,
        decimal_places=3,
    )
    available_from = forms.DateField(
        label=_("Available on or after"), required=False, widget=DateInput
    )
    available_until = forms.DateField(
        label=_("Available on or before"), required=False, widget=DateInput
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = category_choices(empty_label=_("All categories"))

    def filter(self, queryset):
        """Apply the valid filters; a filter whose value did not clean is left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        queryset = queryset.search((data.get("q") or "")[:100])
        if data.get("side"):
            queryset = queryset.filter(side=data["side"])
        category_id = data.get("category")
        if category_id and category_id.isdigit():
            category = ProductCategory.objects.filter(pk=category_id).first()
            if category is not None:
                queryset = queryset.filter(category_id__in=category.descendant_ids())
        if data.get("region"):
            queryset = queryset.filter(province__region=data["region"])
        if data.get("province"):
            queryset = queryset.filter(province=data["province"])
        if data.get("certification"):
            queryset = queryset.filter(certifications=data["certification"])
        # A price range overlaps the one asked for; listings without a price are left out.
        if data.get("price_from") is not None:
            queryset = queryset.filter(
                Q(price_max__gte=data["price_from"])
                | Q(price_max__isnull=True, price_min__gte=data["price_from"])
            )
        if data.get("price_to") is not None:
            queryset = queryset.filter(
                Q(price_min__lte=data["price_to"])
                | Q(price_min__isnull=True, price_max__lte=data["price_to"])
            )
        if data.get("quantity_from") is not None:
            queryset = queryset.filter(quantity_base__gte=data["quantity_from"])
        # The listing's window overlaps the period asked for (as the API's filters).
        if data.get("available_from"):
            queryset = queryset.filter(available_until__gte=data["available_from"])
        if data.get("available_until"):
            queryset = queryset.filter(available_from__lte=data["available_until"])
        return SORTS[data.get("sort") or ""](queryset)
