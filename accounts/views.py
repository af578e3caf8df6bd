"""Account pages: sign up, log in (with the user's language), organizations."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from accounts import services
from accounts.forms import OrganizationForm, SignUpForm
from accounts.models import Organization
from accounts.selectors import member_organizations
from core import idempotency
from core.forms import apply_service_errors
from core.ratelimit import signup_allowed


def _apply_language(response, language: str):
    """Remember the user's language the way Django's set_language view does: a cookie."""
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response


def _safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        return _apply_language(response, form.get_user().preferred_language)


def signup(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    initial = {"preferred_language": (translation.get_language() or "vi")[:2]}
    form = SignUpForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        allowed, retry_after = signup_allowed(request)
        if not allowed:
            form.add_error(None, _("Too many sign-ups from your address. Try again later."))
            response = render(request, "registration/signup.html", {"form": form}, status=429)
            response["Retry-After"] = str(retry_after)
            return response
        try:
            user = services.user_register(
                username=data["username"],
                email=data["email"],
                password=data["password1"],
                preferred_language=data["preferred_language"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc, aliases={"password": "password1"})
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request, _("Welcome! Now tell us about the organization you trade for.")
            )
            response = redirect(_safe_next(request, "accounts:organization-create"))
            return _apply_language(response, user.preferred_language)
    return render(request, "registration/signup.html", {"form": form})


@login_required
def organization_list(request):
    organizations = member_organizations(request.user).select_related("province").order_by("name")
    created = request.GET.get("created", "")
    created = next((o for o in organizations if str(o.pk) == created), None)
    return render(
        request,
        "accounts/organization_list.html",
        {"organizations": organizations, "created": created},
    )


@login_required
def organization_create(request):
    form = OrganizationForm(request.POST or None)
    # A second submit of the same form (double click, back button) creates nothing.
    once, replayed = idempotency.claim_page_form(
        request,
        _("This form was already sent: the organization exists once."),
        "accounts:organizations",
    )
    if replayed:
        return replayed
    if request.method == "POST" and not form.is_valid():
        idempotency.form_failed(once)
    elif request.method == "POST":
        try:
            organization = services.organization_create(owner=request.user, **form.service_fields())
        except ValidationError as exc:
            idempotency.form_failed(once)
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Organization “%(name)s” created.") % {"name": organization.name}
            )
            # Next: its first listing (the listing form takes the organization's province).
            fallback = f"{reverse('accounts:organizations')}?created={organization.pk}"
            response = redirect(_safe_next(request, fallback))
            idempotency.form_done(once, response.url)
            return response
    return render(
        request,
        "accounts/organization_form.html",
        {
            "form": form,
            "creating": True,
            "next": _safe_next(request, ""),
            "form_token": idempotency.form_token(request),
        },
    )


@login_required
def organization_edit(request, pk: int):
    organization = get_object_or_404(Organization.objects.select_related("province"), pk=pk)
    # Members edit their organization; an officer verifies it in the admin (403 here).
    services.check_organization_change(organization=organization, by_user=request.user)
    # The form validates a copy, so a rejected edit never touches the loaded object.
    form = OrganizationForm(
        request.POST or None, instance=Organization.objects.get(pk=organization.pk)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organization_update(
                organization=organization, by_user=request.user, **form.service_fields()
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Organization saved."))
            return redirect("accounts:organizations")
    return render(
        request,
        "accounts/organization_form.html",
        {"form": form, "organization": organization, "creating": False},
    )
