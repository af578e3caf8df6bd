"""The page "what we learned from your declines" of one organization, and the officer's reset."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from accounts.models import Organization
from accounts.selectors import is_officer
from matchmaking.services import learning


def _refused(request, organization, exc: PermissionDenied):
    return render(
        request,
        "matchmaking/learning.html",
        {"lesson": None, "organization": organization, "error": str(exc)},
        status=403,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organization_learning(request, pk: int):
    organization = get_object_or_404(Organization, pk=pk)
    if request.method == "POST":
        try:
            learning.learning_reset(organization=organization, by_user=request.user)
        except PermissionDenied as exc:
            return _refused(request, organization, exc)
        messages.success(request, _("What the matching learned was reset."))
        return redirect("matchmaking:learning", pk=organization.pk)
    try:
        lesson = learning.learning_summary(organization=organization, user=request.user)
    except PermissionDenied as exc:
        return _refused(request, organization, exc)
    return render(
        request,
        "matchmaking/learning.html",
        {"lesson": lesson, "organization": organization, "can_reset": is_officer(request.user)},
    )
