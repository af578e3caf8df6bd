"""Deal pages: the "Deals" tab next to the matches, one deal with its next step, history and
the contract and delivery forms. Reads go through ``Deal.objects.visible_to`` (outsiders get
404), writes through ``matchmaking.services.deals`` (the same rules as the API)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import apply_service_errors
from matchmaking.forms import DealAdvanceForm, DeliveryForm
from matchmaking.models import Deal
from matchmaking.services import deals as deal_service
from matchmaking.services.deals import DealStageError

PAGE_SIZE = 20
STAGES = [(value, label) for value, label in Deal.Stage.choices]


def _queryset(user):
    return Deal.objects.visible_to(user).select_related(
        "contract_unit", "match__supply__organization", "match__demand__organization"
    )


@login_required
@require_GET
def deal_list(request):
    qs = _queryset(request.user).order_by("-updated_at", "-pk")
    stage = request.GET.get("stage", "")
    if stage in Deal.Stage.values:
        qs = qs.filter(stage=stage)
    else:
        stage = ""
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "matchmaking/deals.html", {"page": page, "stage": stage, "stages": STAGES}
    )


@login_required
@require_http_methods(["GET", "POST"])
def deal_detail(request, pk: int):
    deal = get_object_or_404(_queryset(request.user), pk=pk)
    stages = deal_service.allowed_next(deal)
    advance = DealAdvanceForm(stages=stages, prefix="advance")
    delivery = DeliveryForm(prefix="delivery")
    status = 200
    if request.method == "POST":
        kind = request.POST.get("form")
        bound = (
            DeliveryForm(request.POST, prefix="delivery")
            if kind == "delivery"
            else DealAdvanceForm(request.POST, stages=stages, prefix="advance")
        )
        if bound.is_valid():
            try:
                if kind == "delivery":
                    deal_service.deal_deliver(deal=deal, by_user=request.user, **bound.cleaned_data)
                else:
                    deal_service.deal_advance(deal=deal, by_user=request.user, **bound.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(bound, exc)
            except (DealStageError, PermissionDenied) as exc:
                bound.add_error(None, getattr(exc, "message", None) or str(exc))
            else:
                messages.success(request, _("The deal is updated."))
                return redirect("matchmaking:deal", pk=deal.pk)
        status = 400
        if kind == "delivery":
            delivery = bound
        else:
            advance = bound
    events = deal.events.select_related("by_user")
    return render(
        request,
        "matchmaking/deal_detail.html",
        {
            "deal": deal,
            "events": events,
            "deliveries": deal.deliveries.select_related("unit"),
            "advance": advance if stages else None,
            "delivery": delivery if deal.stage in deal_service.DELIVERABLE else None,
            "officer": getattr(request.user, "is_officer", False),
        },
        status=status,
    )
