"""Admin for users, organizations and memberships: where officers verify businesses."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from accounts import services
from accounts.models import Membership, Organization, User
from accounts.selectors import is_member
from catalog.admin import FoldedSearchMixin, SeededSourceMixin
from core.forms import HTTPS_URLS

# Only a superuser hands out admin rights; officers (who may change users) see these read-only.
PRIVILEGE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


class OrganizationMembershipInline(admin.TabularInline):
    model = Membership
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("user",)
    extra = 0
    verbose_name = _("member")
    verbose_name_plural = _("members")


class UserMembershipInline(admin.TabularInline):
    model = Membership
    fields = ("organization", "role", "created_at")
    readonly_fields = ("created_at",)
    autocomplete_fields = ("organization",)
    extra = 0
    verbose_name = _("organization")
    verbose_name_plural = _("organizations")


@admin.register(Organization)
class OrganizationAdmin(FoldedSearchMixin, SeededSourceMixin, SimpleHistoryAdmin):
    formfield_overrides = HTTPS_URLS
    list_display = (
        "name",
        "kind",
        "province",
        "region",
        "verified",
        "verified_at",
        "member_count",
    )
    list_filter = ("verified", "kind", "province__region", "province")
    list_select_related = ("province__region",)
    # Officers read contacts, so they search them too (the public search text holds the name).
    search_fields = ("tax_code", "email", "phone", "contact_person", "address")
    folded_search_fields = ("search_text", "province__search_text")
    autocomplete_fields = ("province", "source")
    readonly_fields = ("verified", "verified_by", "verified_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "kind", "province", "description")}),
        (
            _("Contact"),
            {"fields": ("contact_person", "phone", "email", "address", "website", "tax_code")},
        ),
        (
            _("Verification"),
            {"fields": ("verified", "verified_by", "verified_at", "source")},
        ),
        (_("Dates"), {"fields": ("created_at", "updated_at")}),
    )
    inlines = [OrganizationMembershipInline]
    actions = ["verify_organizations", "unverify_organizations"]

    def get_queryset(self, request):
        # Counted for the page's rows only: a grouped count joined every organization with
        # its memberships before the page was cut (79 ms at 32,000 organizations).
        members = (
            Membership.objects.filter(organization=OuterRef("pk"))
            .order_by()
            .values("organization")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(_members=Coalesce(Subquery(members), 0))

    # --- members edit, officers verify (accounts.services) --------------------------------

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and not is_member(request.user, obj):
            # Officers (superusers too) verify a business; its details stay its members'.
            fields += [
                f.name for f in Organization._meta.fields if f.editable and f.name not in fields
            ]
        return fields

    def save_model(self, request, obj, form, change):
        model_fields = {f.name for f in Organization._meta.fields}
        if change:
            changed = {
                name: form.cleaned_data[name]
                for name in form.changed_data
                if name in model_fields and name in form.cleaned_data
            }
            if not changed:
                return  # only the members inline changed
            saved = services.organization_update(
                organization=Organization.objects.get(pk=obj.pk), by_user=request.user, **changed
            )
        else:
            saved = services.organization_register(
                by_user=request.user,
                **{k: v for k, v in form.cleaned_data.items() if k in model_fields},
            )
        for field in Organization._meta.concrete_fields:
            setattr(obj, field.attname, getattr(saved, field.attname))
        obj._state.adding = False

    @admin.display(description=_("region"), ordering="province__region__order")
    def region(self, obj):
        return obj.province.region

    @admin.display(description=_("members"), ordering="_members")
    def member_count(self, obj):
        return obj._members

    def _set_verified(self, request, queryset, verified: bool) -> int:
        changed = 0
        for organization in queryset.select_related("province"):
            if organization.verified != verified:
                services.organization_verify(
                    organization=organization, by_user=request.user, verified=verified
                )
                changed += 1
        return changed

    @admin.action(description=_("Verify the selected organizations"), permissions=["change"])
    def verify_organizations(self, request, queryset):
        changed = self._set_verified(request, queryset, True)
        self.message_user(
            request,
            ngettext(
                "%(count)d organization verified.",
                "%(count)d organizations verified.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )

    @admin.action(description=_("Withdraw verification"), permissions=["change"])
    def unverify_organizations(self, request, queryset):
        changed = self._set_verified(request, queryset, False)
        self.message_user(
            request,
            ngettext(
                "%(count)d organization no longer verified.",
                "%(count)d organizations no longer verified.",
                changed,
            )
            % {"count": changed},
            messages.SUCCESS,
        )


@admin.register(User)
class UserAdmin(FoldedSearchMixin, DjangoUserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "officer",
        "preferred_language",
        "is_active",
    )
    list_filter = (
        "is_staff",
        "is_superuser",
        "is_active",
        "groups",
        "preferred_language",
        "email_notifications",
    )
    search_fields = ("username", "email")
    python_fold_fields = ("username", "first_name", "last_name", "email")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("preferred_language", "email_notifications")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "preferred_language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    inlines = [UserMembershipInline]

    def get_inlines(self, request, obj):
        # Adding a user is Django's two-step form; memberships come on the change page.
        return self.inlines if obj is not None else []

    @admin.display(description=_("trade officer"), boolean=True)
    def officer(self, obj):
        return obj.is_officer

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += [f for f in PRIVILEGE_FIELDS if f not in fields]
        return fields

    def has_change_permission(self, request, obj=None):
        # An officer may fix a business user's details, not another staff member's account
        # (nor its password: Django's password view asks this same question).
        if (
            obj is not None
            and not request.user.is_superuser
            and obj.pk != request.user.pk
            and (obj.is_staff or obj.is_superuser)
        ):
            return False
        return super().has_change_permission(request, obj)


@admin.register(Membership)
class MembershipAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("user", "organization", "role", "created_at")
    list_filter = ("role", "organization__kind", "organization__province__region")
    list_select_related = ("user", "organization")
    search_fields = ("user__username", "user__email")
    folded_search_fields = ("organization__search_text",)
    autocomplete_fields = ("user", "organization")


# Certificates: the officers' review queue (accounts/certificates/admin.py).
from accounts.certificates import admin as _certificates_admin  # noqa: E402, F401
