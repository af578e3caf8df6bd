"""A person's own account: the settings page, email change, account deletion, password reset
(Django's views with our templates and namespaced URLs)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import account
from accounts.forms import AccountDeleteForm, EmailChangeForm
from core.forms import apply_service_errors


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset_email.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@login_required
def settings_page(request):
    """Email change (with a link to confirm), password change by reset, account deletion."""
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account.email_change_request(
                user=request.user,
                new_email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We sent a link to %(email)s: open it to confirm the change.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:settings")
    return render(request, "accounts/settings.html", {"form": form})


@require_GET
def email_confirm(request, token: str):
    try:
        user = account.email_change_confirm(token=token, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return render(request, "accounts/email_confirm.html", {"error": message}, status=400)
    return render(request, "accounts/email_confirm.html", {"email": user.email})


@login_required
def delete(request):
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            account.account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted. Thank you for trading with us."))
            return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
