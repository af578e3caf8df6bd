"""Pool pages: the pools the user takes part in, one pool, and the answers (htmx swaps the
pool card in place; without JavaScript the answer redirects back). Reads go through
``selectors_pools.visible_pools`` (an outsider gets 404), answers through
``services.pool_review`` — the same door as the API."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import organization_ids_of
from matchmaking.forms_pools import PoolDeclineForm
from matchmaking.models import Pool, PoolMember
from matchmaking.selectors_pools import visible_pools
from matchmaking.services import pool_review

PAGE_SIZE = 20


def _visible(request, pk: int) -> Pool:
    return get_object_or_404(visible_pools(request.user), pk=pk)


def _card(request, pool: Pool, *, error: str = "", form=None, form_for: str = "") -> dict:
    """What the pool card needs: whom the viewer answers for, what they may see."""
    user = request.user
    officer = bool(getattr(user, "is_officer", False))
    mine = organization_ids_of(user)
    buyer = pool.demand.organization_id in mine
    proposed = pool.status == Pool.Status.PROPOSED
    rows = []
    for m in sorted(pool.members.all(), key=lambda m: (m.status == "declined", -m.pk)):
        own = m.organization_id in mine
        current = m.status != PoolMember.Status.DECLINED
        rows.append(
            {
                "member": m,
                "own": own,
                "contacts": officer or own or (pool.is_connected and buyer and current),
                "can_answer": own and proposed and current,
                "can_accept": own and proposed and m.status == PoolMember.Status.PROPOSED,
                "form": form if form_for == str(m.supply_id) else None,
                "key": f"p{pool.pk}s{m.supply_id}",
            }
        )
    in_pool = any(r["own"] and r["member"].status != "declined" for r in rows)
    return {
        "pool": pool,
        "rows": rows,
        "officer": officer,
        "buyer": buyer,
        "buyer_can_accept": buyer and proposed and pool.demand_accepted_at is None,
        "buyer_can_decline": buyer and proposed,
        "buyer_form": form if form_for == "demand" else None,
        "buyer_contacts": officer or buyer or (pool.is_connected and in_pool),
        "error": error,
    }


def _render_card(request, pool: Pool, **extra):
    return render(
        request, "matchmaking/partials/pool_card.html", {"card": _card(request, pool, **extra)}
    )


@login_required
@require_GET
def pool_list(request):
    """The pools of the user's organizations: as buyer, and as a member."""
    qs = visible_pools(request.user)
    status = request.GET.get("status", "")
    if status in Pool.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "matchmaking/pools.html",
        {
            "page": page,
            "cards": [_card(request, pool) for pool in page.object_list],
            "status": status,
            "statuses": Pool.Status.choices,
        },
    )


@login_required
@require_GET
def pool_detail(request, pk: int):
    pool = _visible(request, pk)
    return render(request, "matchmaking/pool_detail.html", {"card": _card(request, pool)})


def _answer_for(request) -> dict:
    """``side`` and ``supply`` as the service takes them (the buttons post them)."""
    side = request.POST.get("side") or None
    supply = request.POST.get("supply", "")
    return {"side": side, "supply": int(supply) if supply.isdigit() else None}


def _error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, pool_review.PoolStateError):
        return str(exc.message)
    return str(exc) or _("You may not answer for this pool.")


def _done(request, pool: Pool, message: str):
    if request.htmx:
        return _render_card(request, _visible(request, pool.pk))
    messages.success(request, message)
    return redirect(reverse("matchmaking:pool", args=[pool.pk]))


def _refused(request, pk: int, exc: Exception, **extra):
    pool = _visible(request, pk)
    if request.htmx:
        return _render_card(request, pool, error=_error_text(exc), **extra)
    messages.error(request, _error_text(exc))
    return redirect(reverse("matchmaking:pool", args=[pk]))


@login_required
@require_POST
def pool_accept(request, pk: int):
    pool = _visible(request, pk)
    try:
        pool = pool_review.pool_accept(pool=pool, by_user=request.user, **_answer_for(request))
    except (pool_review.PoolStateError, PermissionDenied, ValidationError) as exc:
        return _refused(request, pk, exc)
    if pool.is_connected:
        return _done(request, pool, _("Connected! The contact details are now shown."))
    return _done(request, pool, _("Accepted. We will tell you when the others answer."))


@login_required
@require_POST
def pool_decline(request, pk: int):
    pool = _visible(request, pk)
    who = _answer_for(request)
    form_for = "demand" if who["side"] == "demand" else str(who["supply"] or "")
    form = PoolDeclineForm(request.POST, prefix_id=f"p{pk}{form_for}")
    if not form.is_valid():
        if request.htmx:
            return _render_card(request, pool, form=form, form_for=form_for)
        messages.error(request, _("Choose a reason, so the others know why."))
        return redirect(reverse("matchmaking:pool", args=[pk]))
    try:
        pool = pool_review.pool_decline(
            pool=pool,
            by_user=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            **who,
        )
    except (pool_review.PoolStateError, PermissionDenied, ValidationError) as exc:
        return _refused(request, pk, exc)
    return _done(request, pool, _("Declined."))
