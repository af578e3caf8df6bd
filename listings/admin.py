"""Listings in the officers' admin: search, filters, hide/close actions, history, and
spreadsheet import (with a dry-run preview) and export."""

from __future__ import annotations

import os

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from import_export.admin import ImportExportModelAdmin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult
from simple_history.admin import SimpleHistoryAdmin

from accounts.selectors import is_officer
from catalog.admin import FoldedSearchMixin
from catalog.text import fold
from core.admin_filters import LocalizedRelatedFilter
from core.errors import DomainError
from core.formatting import format_number, localized_name, unit_name
from listings import import_jobs, services
from listings.imports import check_upload, template
from listings.models import ImportJob, Listing
from listings.resources import REQUIRED_COLUMNS, ListingResource, column_label, column_labels

ALLOWED_EXTENSIONS = {".csv": CSV, ".xlsx": XLSX}
TEMPLATE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
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
        self.rows = 0
        if upload is not None and not self.errors:
            # Rows, uncompressed size and columns, before the import parses anything.
            self.extension = os.path.splitext(upload.name)[1].lower()
            try:
                self.rows = check_upload(upload, self.extension, REQUIRED_COLUMNS)
            except ValidationError as exc:
                self.add_error("import_file", exc)
        return cleaned


class ListingAdminForm(forms.ModelForm):
    """The change form shows the service's rules as form errors: it asks the service what the
    save would say (``listing_check_*``) before the admin saves through it."""

    user = None  # the officer or member at the form, set by ListingAdmin.get_form

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

    def changes(self) -> dict:
        """What the form changes, as the listing service takes it."""
        names = self.changed_data if self.instance.pk else list(self.cleaned_data)
        return {
            name: self.cleaned_data[name]
            for name in names
            if name in (*services.EDITABLE_FIELDS, "certifications")
        }

    def _post_clean(self):
        # Not the ModelForm's own model validation: the service runs the model's rules with
        # its own (who may change what, status moves, windows), in one place.
        if self.errors:
            return
        fields = self.changes()
        certifications = fields.pop("certifications", None)
        try:
            if self.instance.pk is None:
                services.listing_check_create(
                    organization=self.cleaned_data["organization"],
                    side=self.cleaned_data["side"],
                    by_user=self.user,
                    on_behalf=True,
                    certifications=certifications,
                    confirm_price=True,  # officers key in records; the admin does not ask
                    **fields,
                )
            elif fields or certifications is not None:
                services.listing_check_update(
                    listing=self.instance,
                    by_user=self.user,
                    certifications=certifications,
                    confirm_price=True,
                    **fields,
                )
        except ValidationError as exc:
            self._update_errors(exc)
        except PermissionDenied as exc:
            self.add_error("status" if "status" in self.fields else None, str(exc))
        except DomainError as exc:
            self.add_error("status", exc.message)


class ListingExportForm(SelectableFieldsExportForm):
    """The export's column boxes, named as the file's columns are (in the admin's language)."""

    def _get_field_label(self, resource, field_name: str) -> str:
        field = resource.fields.get(field_name)
        return column_label(field.column_name if field else field_name)


def _label_fields_list(context) -> None:
    """The import and export pages list the columns as the file names them."""
    if context and context.get("fields_list"):
        context["fields_list"] = [
            (name, column_labels(columns)) for name, columns in context["fields_list"]
        ]


@admin.register(Listing)
class ListingAdmin(FoldedSearchMixin, ImportExportModelAdmin, SimpleHistoryAdmin):
    form = ListingAdminForm
    resource_classes = [ListingResource]
    import_form_class = ListingImportForm
    export_form_class = ListingExportForm
    import_template_name = "admin/listings/listing/import.html"
    formats = [CSV, XLSX]
    import_formats = [CSV, XLSX]
    export_formats = [CSV, XLSX]

    list_display = (
        "title",
        "side",
        "organization",
        "category_name",
        "province_name",
        "quantity_with_unit",
        "status",
        "hidden",
        "created_at",
    )
    list_filter = (
        "side",
        "status",
        "hidden",
        # Reference data by its name in the admin's language.
        ("category", LocalizedRelatedFilter),
        ("province__region", LocalizedRelatedFilter),
        ("certifications", LocalizedRelatedFilter),
    )
    list_select_related = ("organization", "category", "province", "unit")
    search_fields = ("title",)  # shows the search box; the folded search does the rest
    folded_search_fields = ("search_text", "organization__search_text")
    search_help_text = _("Title, description, product, category or organization; accents optional.")
    date_hierarchy = "created_at"
    actions = ["hide_listings", "unhide_listings", "close_listings"]
    raw_id_fields = ("organization", "product")
    filter_horizontal = ("certifications",)
    readonly_fields = ("quantity_base", "created_by", "created_at", "updated_at")
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
                    ("ocop_stars", "ocop_year", "min_ocop_stars"),
                    "certifications",
                )
            },
        ),
        (_("Place and time"), {"fields": ("province", ("available_from", "available_until"))}),
        (_("Record"), {"fields": ("created_by", "created_at", "updated_at")}),
    )

    # --- import: the template to download, and a warning for skipped duplicates -------------

    def get_urls(self):
        template_view = self.admin_site.admin_view(self.import_template_view)
        own = [
            path(
                "import-template.<str:fmt>",
                template_view,
                name="listings_listing_import_template",
            )
        ]
        return own + super().get_urls()

    def import_template_view(self, request, fmt: str):
        if not self.has_import_permission(request):
            raise PermissionDenied
        if fmt not in TEMPLATE_TYPES:
            raise Http404
        resource = ListingResource()
        columns = [f.column_name for f in resource.get_import_fields() if not f.readonly]
        # The columns are written in the admin's language (listings.resources.columns).
        response = HttpResponse(template(columns, fmt), content_type=TEMPLATE_TYPES[fmt])
        response["Content-Disposition"] = f'attachment; filename="listings-template.{fmt}"'
        return response

    def import_action(self, request, **kwargs):
        if request.method == "POST" and self.has_import_permission(request):
            form = self.create_import_form(request)
            if form.is_valid() and form.rows > settings.IMPORT_SYNC_ROWS:
                # Too many rows to check within a request: a worker imports it (a job page).
                job = import_jobs.start_job(
                    upload=form.cleaned_data["import_file"],
                    file_format=form.extension.lstrip("."),
                    rows=form.rows,
                    by_user=request.user,
                )
                return redirect("admin:listings_importjob_change", job.pk)
        response = super().import_action(request, **kwargs)
        _label_fields_list(getattr(response, "context_data", None))
        result = (getattr(response, "context_data", None) or {}).get("result")
        if result is not None and not result.has_errors() and not result.has_validation_errors():
            skipped = result.totals.get(RowResult.IMPORT_TYPE_SKIP, 0)
            if skipped:
                messages.warning(
                    request,
                    ngettext(
                        "%(count)s row is already a listing (same organization, side, title and "
                        "dates): it is skipped, not created again.",
                        "%(count)s rows are already listings (same organization, side, title and "
                        "dates): they are skipped, not created again.",
                        skipped,
                    )
                    % {"count": skipped},
                )
        return response

    def init_request_context_data(self, request, form):
        context = super().init_request_context_data(request, form)
        _label_fields_list(context)
        return context

    @admin.display(description=_("category"), ordering="category__name")
    def category_name(self, listing: Listing) -> str:
        return localized_name(listing.category)

    @admin.display(description=_("province"), ordering="province__name")
    def province_name(self, listing: Listing) -> str:
        return localized_name(listing.province)

    @admin.display(description=_("quantity"), ordering="quantity_base")
    def quantity_with_unit(self, listing: Listing) -> str:
        return f"{format_number(listing.quantity)} {unit_name(listing.unit)}"

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
        # Members delete their own listings; officers (superusers too) close or hide them.
        return obj is not None and services.may_edit(request.user, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and not services.may_edit(request.user, obj):
            # Officers close or hide someone else's listing; its content stays its members'.
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
        fields = form.changes()
        certifications = fields.pop("certifications", None)
        hidden = form.cleaned_data.get("hidden")
        if change:
            saved = Listing.objects.get(pk=obj.pk)
            if fields or certifications is not None:
                saved = services.listing_update(
                    listing=saved,
                    by_user=request.user,
                    certifications=certifications,
                    confirm_price=True,
                    **fields,
                )
            if "hidden" in form.changed_data:
                services.listing_hide(listing=saved, hidden=hidden, by_user=request.user)
        else:
            # The add form is an officer's entry for any organization, like the import.
            saved = services.listing_create(
                organization=form.cleaned_data["organization"],
                side=form.cleaned_data["side"],
                by_user=request.user,
                on_behalf=True,
                certifications=certifications or [],
                confirm_price=True,
                **fields,
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
        services.listing_delete(listing=obj, by_user=request.user)

    # --- actions --------------------------------------------------------------------------

    def _each(self, request, queryset, change, done_message):
        done = 0
        for listing in queryset:
            try:
                change(listing)
                done += 1
            except (PermissionDenied, DomainError) as exc:
                self.message_user(request, f"{listing}: {exc}", messages.ERROR)
            except ValidationError as exc:
                self.message_user(request, f"{listing}: {' '.join(exc.messages)}", messages.ERROR)
        self.message_user(request, done_message(done), messages.SUCCESS)

    def _set_hidden(self, request, queryset, hidden: bool, done_message):
        self._each(
            request,
            queryset,
            lambda listing: services.listing_hide(
                listing=listing, hidden=hidden, by_user=request.user
            ),
            done_message,
        )

    @admin.action(description=_("Hide the selected listings"), permissions=["change"])
    def hide_listings(self, request, queryset):
        self._set_hidden(
            request,
            queryset,
            True,
            lambda n: ngettext("%(n)d listing hidden.", "%(n)d listings hidden.", n) % {"n": n},
        )

    @admin.action(description=_("Show the selected listings again"), permissions=["change"])
    def unhide_listings(self, request, queryset):
        self._set_hidden(
            request,
            queryset,
            False,
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


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Large imports run by a worker: their progress and, when they fail, every row error.
    The page reloads itself until the job is finished."""

    list_display = (
        "file_name",
        "status",
        "rows_total",
        "created_count",
        "skipped_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status",)
    fields = (
        "file_name",
        "status",
        "rows_total",
        "created_count",
        "skipped_count",
        "created_by",
        "created_at",
        "finished_at",
    )
    readonly_fields = fields
    change_form_template = "admin/listings/importjob/change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").select_related("created_by")

    def has_module_permission(self, request):
        return is_officer(request.user)

    def has_view_permission(self, request, obj=None):
        return is_officer(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return is_officer(request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra = {"job": job, "rows_done": import_jobs.progress(job) if job else 0}
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), **extra})
