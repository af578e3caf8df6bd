"""Listings in the officers' admin: search, filters, hide/close actions, history, and
spreadsheet import (with a dry-run preview) and export."""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from simple_history.admin import SimpleHistoryAdmin

from accounts.permissions import is_officer
from catalog.admin import FoldedSearchMixin
from catalog.text import fold
from core.formatting import format_number, localized_name
from listings import services
from listings.models import Listing
from listings.resources import ListingResource

ALLOWED_EXTENSIONS = {".csv": CSV, ".xlsx": XLSX}
EDITABLE_FIELDS_FOR_FORM = tuple(
    name for name in services.EDITABLE_FIELDS if name not in ("title", "description", "status")
)


class ListingImportForm(ImportForm):
    """Only .csv and .xlsx files, no larger than ``settings.IMPORT_MAX_BYTES``."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self._formats = formats
        self.fields["import_file"].help_text = _(
            "A .csv or .xlsx file of at most %(size)s; see docs/sample-listings.csv."
        ) % {"size": filesizeformat(settings.IMPORT_MAX_BYTES)}

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        extension = os.path.splitext(upload.name or "")[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                _("Only .csv and .xlsx files can be imported (this one is “%(name)s”).")
                % {"name": os.path.basename(upload.name or "")[:80]}
            )
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; at most %(max)s can be imported.")
                % {
                    "size": filesizeformat(upload.size),
                    "max": filesizeformat(settings.IMPORT_MAX_BYTES),
                }
            )
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, chosen = cleaned.get("import_file"), cleaned.get("format")
        if upload is not None and chosen not in (None, ""):
            extension = os.path.splitext(upload.name or "")[1].lower()
            if self._formats[int(chosen)] is not ALLOWED_EXTENSIONS.get(extension):
                self.add_error("format", _("The format chosen does not match the file."))
        return cleaned


class ListingAdminForm(forms.ModelForm):
    class Meta:
        model = Listing
        fields = (
            "side",
            "organization",
            "title",
            "description",
            "status",
            "hidden",
            *EDITABLE_FIELDS_FOR_FORM,
            "certifications",
        )

    def clean(self):
        """The service's rule, as a form message: an open listing cannot have ended."""
        cleaned = super().clean()
        status = cleaned.get("status", getattr(self.instance, "status", None))
        until = cleaned.get("available_until", getattr(self.instance, "available_until", None))
        reopened = "status" in self.changed_data and status == Listing.Status.OPEN
        if (
            status in (Listing.Status.OPEN, Listing.Status.DRAFT)
            and until
            and until < timezone.localdate()
            and (self.instance.pk is None or reopened or "available_until" in self.changed_data)
        ):
            self.add_error(
                "available_until", gettext("A listing that is open cannot end in the past.")
            )
        if status == Listing.Status.EXPIRED and "status" in self.changed_data:
            self.add_error("status", gettext("“expired” is set by the system."))
        return cleaned


@admin.register(Listing)
class ListingAdmin(FoldedSearchMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    form = ListingAdminForm
    resource_classes = [ListingResource]
    import_form_class = ListingImportForm
    formats = [CSV, XLSX]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]

    list_display = (
        "title",
        "side",
        "organization",
        "category",
        "province",
        "quantity_with_unit",
        "status",
        "hidden",
        "created_at",
    )
    list_filter = (
        "side",
        "status",
        "hidden",
        "category",
        "province__region",
        "certifications",
    )
    list_select_related = ("organization", "category", "province", "unit")
    search_fields = ("title",)  # shows the search box; the folded search does the rest
    folded_search_fields = ("search_text", "organization__search_text")
    search_help_text = _("Title, description, product, category or organization; accents optional.")
    date_hierarchy = "created_at"
    actions = ["hide_listings", "unhide_listings", "close_listings"]
    raw_id_fields = ("organization", "product")
    filter_horizontal = ("certifications",)
    readonly_fields = ("quantity_base", "created_by", "created_at", "updated_at", "matched_at")
    fieldsets = (
        (None, {"fields": ("side", "organization", "title", "description", "status", "hidden")}),
        (
            _("Product and quantity"),
            {
                "fields": (
                    "category",
                    "product",
                    ("quantity", "unit", "quantity_base"),
                    "min_order_quantity",
                    ("price_min", "price_max"),
                    ("ocop_stars", "min_ocop_stars"),
                    "certifications",
                )
            },
        ),
        (_("Place and time"), {"fields": ("province", ("available_from", "available_until"))}),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at", "matched_at")}),
    )

    @admin.display(description=_("quantity"), ordering="quantity_base")
    def quantity_with_unit(self, listing: Listing) -> str:
        return f"{format_number(listing.quantity)} {localized_name(listing.unit)}"

    def get_search_results(self, request, queryset, search_term):
        """Every word in the folded text of the listing or its organization (the project's
        admin search), plus the listings' own synonym search ("coffee" finds "cà phê")."""
        found, _duplicates = super().get_search_results(request, queryset, search_term)
        if not fold(search_term):
            return found, False
        synonyms = queryset.search(search_term).values("pk")
        return queryset.filter(Q(pk__in=found.values("pk")) | Q(pk__in=synonyms)), False

    # --- who may do what ------------------------------------------------------------------

    def has_import_permission(self, request):
        return is_officer(request.user) and self.has_add_permission(request)

    def has_export_permission(self, request):
        return is_officer(request.user) and self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        # Members delete their own listings; officers close or hide them instead.
        return request.user.is_superuser

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not request.user.is_superuser:
            # Officers close or hide someone else's listing; its content stays its owners'.
            editable = {"status", "hidden"}
            model_fields = [*Listing._meta.fields, *Listing._meta.many_to_many]
            readonly += [
                f.name
                for f in model_fields
                if f.editable and f.name not in editable and f.name not in readonly
            ]
        return readonly

    # --- writes go through the services ---------------------------------------------------

    def save_model(self, request, obj, form, change):
        data = {
            name: form.cleaned_data[name]
            for name in services.EDITABLE_FIELDS
            if name in form.cleaned_data
        }
        certifications = form.cleaned_data.get("certifications")
        hidden = form.cleaned_data.get("hidden")
        if change:
            stored = Listing.objects.get(pk=obj.pk)
            saved = services.listing_update(
                listing=stored, by_user=request.user, certifications=certifications, **data
            )
            if hidden is not None and hidden != stored.hidden:
                services.listing_hide(listing=saved, hidden=hidden, by_user=request.user)
        else:
            saved = services.listing_create(
                organization=form.cleaned_data["organization"],
                side=form.cleaned_data["side"],
                by_user=request.user,
                certifications=certifications or [],
                **data,
            )
            if hidden:
                services.listing_hide(listing=saved, hidden=True, by_user=request.user)
        for field in Listing._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        """Certifications were saved by the service; inline formsets (none today) still run."""
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def delete_model(self, request, obj):
        services.listing_delete(listing=obj, by_user=None)

    # --- actions --------------------------------------------------------------------------

    def _each(self, request, queryset, change, done_message):
        done = 0
        for listing in queryset:
            try:
                change(listing)
                done += 1
            except (PermissionDenied, ValidationError) as exc:
                self.message_user(request, f"{listing}: {exc}", messages.ERROR)
        self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description=_("Hide the selected listings"), permissions=["change"])
    def hide_listings(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda listing: services.listing_hide(
                listing=listing, hidden=True, by_user=request.user
            ),
            lambda n: ngettext("%(n)d listing hidden.", "%(n)d listings hidden.", n) % {"n": n},
        )

    @admin.action(description=_("Show the selected listings again"), permissions=["change"])
    def unhide_listings(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda listing: services.listing_hide(
                listing=listing, hidden=False, by_user=request.user
            ),
            lambda n: ngettext("%(n)d listing shown.", "%(n)d listings shown.", n) % {"n": n},
        )

    @admin.action(description=_("Close the selected listings"), permissions=["change"])
    def close_listings(self, request, queryset):
        self._each(
            request,
            queryset.exclude(status=Listing.Status.CLOSED),
            lambda listing: services.listing_set_status(
                listing=listing, status=Listing.Status.CLOSED, by_user=request.user
            ),
            lambda n: ngettext("%(n)d listing closed.", "%(n)d listings closed.", n) % {"n": n},
        )
