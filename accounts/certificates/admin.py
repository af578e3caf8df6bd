"""The officers' review queue: certificates awaiting a check first, the document beside the
fields, Verify / Reject buttons (a rejection needs its reason) and a bulk Verify action.

Nothing here writes a certificate but the services: the form shows the member's data
read-only and its only input is the rejection reason.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts.certificates import services
from accounts.models import Certificate
from core.errors import DomainError

MEMBER_FIELDS = (
    "organization",
    "scheme",
    "number",
    "issuer",
    "issued_on",
    "valid_until",
    "categories_text",
    "document_public",
    "state",
    "submitted_by",
    "reviewed_by",
    "reviewed_at",
    "created_at",
)


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ("number", "scheme", "organization", "issuer", "valid_until", "state")
    list_filter = ("state", "scheme", "valid_until")
    list_select_related = ("organization", "scheme")
    search_fields = ("number", "issuer", "organization__name")
    readonly_fields = (*MEMBER_FIELDS, "document_preview")
    fieldsets = (
        (None, {"fields": ("document_preview",)}),
        (_("Certificate"), {"fields": MEMBER_FIELDS}),
        (_("Verification"), {"fields": ("reason",)}),
    )
    actions = ["verify_certificates", "reject_certificates"]
    change_form_template = "admin/accounts/certificate/change_form.html"

    def get_ordering(self, request):
        # The queue: what awaits a check first, then by how soon it expires.
        waiting = Case(
            When(state=Certificate.State.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (waiting.asc(), "valid_until")

    def has_add_permission(self, request):
        return False  # members submit certificates from their organization's pages or the API

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description=_("categories covered"))
    def categories_text(self, obj):
        names = [c.name for c in obj.categories.all()]
        return ", ".join(names) or _("all products")

    @admin.display(description=_("document"))
    def document_preview(self, obj):
        if not obj or not obj.document:
            return "—"
        url = reverse("accounts:certificate-document", args=[obj.pk])
        link = format_html(
            '<a href="{}" target="_blank" rel="noopener">{}</a>', url, _("Open the document")
        )
        if obj.document.name.lower().endswith(".pdf"):
            frame = format_html(
                '<iframe src="{}" title="{}" class="certificate-preview" '
                'style="width:100%;max-width:720px;height:480px;border:1px solid #ccc"></iframe>',
                url,
                obj.number,
            )
        else:
            frame = format_html(
                '<img src="{}" alt="{}" class="certificate-preview" '
                'style="max-width:100%;max-height:480px;border:1px solid #ccc">',
                url,
                obj.number,
            )
        return format_html("{}<br>{}", frame, link)

    # --- writes go through the services ---------------------------------------------------

    def save_model(self, request, obj, form, change):
        """The change form saves nothing by itself: its buttons call the services."""

    def save_related(self, request, form, formsets, change):
        pass

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context.update(
            {
                "show_save": False,
                "show_save_and_continue": False,
                "show_save_and_add_another": False,
                "show_delete": request.user.is_superuser,
                "can_review": obj is not None
                and obj.state
                in (
                    Certificate.State.SUBMITTED,
                    Certificate.State.VERIFIED,
                    Certificate.State.REJECTED,
                ),
            }
        )
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        here = HttpResponseRedirect(request.path)
        try:
            if "_verify" in request.POST:
                services.certificate_verify(certificate=obj, by_user=request.user)
                self.message_user(request, _("Certificate verified."), messages.SUCCESS)
            elif "_reject" in request.POST:
                services.certificate_reject(
                    certificate=obj, by_user=request.user, reason=request.POST.get("reason", "")
                )
                self.message_user(request, _("Certificate rejected."), messages.SUCCESS)
            else:
                return here
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            return here
        except (DomainError, PermissionDenied) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return here
        return HttpResponseRedirect(reverse("admin:accounts_certificate_changelist"))

    def _each(self, request, queryset, change, done_message) -> None:
        """``change(certificate)`` for each selected one; how many were done (when any), then
        each refusal with the certificate's number."""
        done, refused = 0, []
        for certificate in queryset:
            try:
                change(certificate)
            except (DomainError, PermissionDenied) as exc:
                refused.append(f"{certificate.number}: {exc}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done) % {"count": done}, messages.SUCCESS)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @admin.action(description=_("Verify the selected certificates"))
    def verify_certificates(self, request, queryset):
        self._each(
            request,
            queryset,
            lambda certificate: services.certificate_verify(
                certificate=certificate, by_user=request.user
            ),
            lambda n: ngettext(
                "%(count)d certificate verified.", "%(count)d certificates verified.", n
            ),
        )

    @admin.action(description=_("Reject the selected certificates (asks for the reason)"))
    def reject_certificates(self, request, queryset):
        """First the page asking why (one reason for all), then the rejections."""
        reason = (request.POST.get("reason") or "").strip()
        if "apply" not in request.POST or not reason:
            return TemplateResponse(
                request,
                "admin/accounts/certificate/reject.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("Reject certificates"),
                    "certificates": queryset.select_related("organization", "scheme"),
                    "opts": self.model._meta,
                    "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                    "reason_missing": "apply" in request.POST,
                },
            )
        self._each(
            request,
            queryset,
            lambda certificate: services.certificate_reject(
                certificate=certificate, by_user=request.user, reason=reason
            ),
            lambda n: ngettext(
                "%(count)d certificate rejected.", "%(count)d certificates rejected.", n
            ),
        )
        return None
