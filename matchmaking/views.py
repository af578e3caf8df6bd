"""Match pages: the inbox with its tabs, one match, a listing's matches, notifications.

Reads go through ``Match.objects.visible_to(user)`` (an outsider gets 404), writes through
``matchmaking.services``. Accept and decline answer an htmx request with the match card alone,
swapped in place; without JavaScript they redirect back (or show the decline form again).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.pagination import CheapCountPaginator
from core.readcache import cached_page
from listings.models import Listing
from matchmaking import selectors
from matchmaking.forms import DeclineForm, EmailSettingsForm
from matchmaking.models import Match, Notification
from matchmaking.selectors import matches_queryset
from matchmaking.services import learning, near_misses, notifications, review
from matchmaking.services.review import MatchStateError
from matchmaking.templatetags.matchmaking_tags import prime_explanations

S = Match.Status
PAGE_SIZE = 20


def _card_context(request, match: Match, *, form: DeclineForm | None = None, error: str = ""):
    """What the match card needs: the viewer's side, what they may do, what they may see."""
    user = request.user
    officer = getattr(user, "is_officer", False)
    sides = match.sides_of(user)
    side = sides[0] if sides else None
    mine = match.listing_of(side) if side else None
    theirs = match.counterpart_of(side) if side else None
    can_answer = bool(side) and match.is_pending and not match.hidden
    show_contacts = match.is_connected or officer
    columns = []
    for column_side, listing, label in (
        (Match.Side.SUPPLY, match.supply, _("Supply")),
        (Match.Side.DEMAND, match.demand, _("Demand")),
    ):
        is_mine = column_side in sides
        columns.append(
            {
                "side": column_side,
                "label": label,
                "listing": listing,
                "is_mine": is_mine,
                "accepted": match.has_accepted(column_side),
                # The listing page shows open listings to all, others to members/officers.
                "linkable": is_mine or officer or listing.status == Listing.Status.OPEN,
                # Contacts of the other side open on connection; officers see both.
                "contacts": show_contacts and (officer or not is_mine),
            }
        )
    return {
        "match": match,
        "side": side,
        "mine": mine,
        "theirs": theirs,
        "officer": officer,
        "columns": columns,
        "can_accept": can_answer and not match.has_accepted(side),
        "can_decline": can_answer,
        "waiting_for_other": bool(side) and match.is_pending and match.has_accepted(side),
        "show_contacts": show_contacts,
        "decline_form": form or (DeclineForm(match=match) if can_answer else None),
        "error": error,
        "next": (request.htmx.current_url_abs_path if request.htmx else None)
        or request.get_full_path(),
    }


def _render_card(request, match: Match, *, status: int = 200, tabs: bool = False, **extra):
    response = render(
        request,
        "matchmaking/partials/match_card.html",
        {"card": _card_context(request, match, **extra)},
        status=status,
    )
    if tabs:  # the answer moved the match to another tab: the counts follow
        response.content += _tabs_oob(request).encode()
    return response


def _tabs_oob(request) -> str:
    """The inbox's tabs with fresh counts, swapped out of band after an in-place answer (only
    when the answer came from the inbox)."""
    if not request.htmx or not request.htmx.current_url:
        return ""
    current = urlsplit(request.htmx.current_url)
    if current.path != reverse("matchmaking:inbox"):
        return ""
    params = QueryDict(current.query)
    _orgs, selected, org_ids = selectors.inbox_scope(request.user, params.get("org", ""))
    base = selectors.visible_matches(request.user)
    if org_ids is not None:
        base = base.for_organizations(org_ids)
    if params.get("listing", "").isdigit():
        base = base.for_listing(int(params["listing"]))
    counts = selectors.tab_counts(base, org_ids)
    tab = params.get("tab") if params.get("tab") in counts else "proposed"
    return render_to_string(
        "matchmaking/partials/match_tabs.html",
        {
            "tabs": [(key, label, counts[key]) for key, label in selectors.TABS],
            "tab": tab,
            "selected": selected,
            "oob": True,
        },
        request=request,
    )


def _visible_match(request, pk: int) -> Match:
    return get_object_or_404(selectors.visible_matches(request.user), pk=pk)


@login_required
@require_GET
@cached_page
def inbox(request):
    user = request.user
    officer = getattr(user, "is_officer", False)
    my_orgs, selected, org_ids = selectors.inbox_scope(user, request.GET.get("org", ""))

    base = selectors.visible_matches(user)
    if org_ids is not None:
        base = base.for_organizations(org_ids)
    listing_param = request.GET.get("listing", "")
    if listing_param.isdigit():
        base = base.for_listing(int(listing_param))
    filters = selectors.tab_filters(org_ids)
    counts = selectors.tab_counts(base, org_ids)
    tab = request.GET.get("tab") or "proposed"
    if tab not in filters:
        tab = "proposed"
    matches = base.filter(filters[tab]).order_by(*Match.RANKING)
    page = CheapCountPaginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    prime_explanations(request, page.object_list)
    cards = [_card_context(request, m) for m in page.object_list]
    return render(
        request,
        "matchmaking/inbox.html",
        {
            "tabs": [(key, label, counts[key]) for key, label in selectors.TABS],
            "tab": tab,
            "page": page,
            "cards": cards,
            "organizations": my_orgs,
            "selected": selected,
            "officer_view": org_ids is None,
            "no_organization": not my_orgs and not officer,
            # "Why so few?": the near misses of the viewer's listings with few proposals.
            "near_misses": near_misses.inbox_hints(org_ids)
            if org_ids and tab == "proposed" and page.paginator.count < near_misses.FEW
            else [],
            "hints_editable": not officer,
            # "What we learned from your declines" (services.learning).
            "lessons": learning.lessons_for(org_ids) if org_ids else [],
        },
    )


@login_required
@require_GET
@cached_page
def detail(request, pk: int):
    match = _visible_match(request, pk)
    transitions = match.transitions.select_related("by_user")
    return render(
        request,
        "matchmaking/detail.html",
        {"card": _card_context(request, match), "transitions": transitions},
    )


def _back(request, match: Match) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return f"{target}#match-{match.pk}"
    return reverse("matchmaking:detail", args=[match.pk])


@login_required
@require_POST
def accept(request, pk: int):
    match = _visible_match(request, pk)
    try:
        match = review.match_accept(match=match, by_user=request.user)
    except (MatchStateError, PermissionDenied, ValidationError) as exc:
        return _answer_error(request, pk, match, exc)
    match = _visible_match(request, pk)
    if request.htmx:
        return _render_card(request, match, tabs=True)
    if match.is_connected:
        messages.success(request, _("Connected! The contact details are now shown."))
    else:
        messages.success(request, _("Accepted. We will tell you when the other side answers."))
    return redirect(_back(request, match))


@login_required
@require_http_methods(["GET", "POST"])
def decline(request, pk: int):
    match = _visible_match(request, pk)
    form = DeclineForm(request.POST if request.method == "POST" else None, match=match)
    if request.method == "POST" and form.is_valid():
        try:
            match = review.match_decline(
                match=match,
                by_user=request.user,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            field_errors = getattr(exc, "message_dict", {})
            if field_errors and set(field_errors) <= set(form.fields):
                for field, errors in field_errors.items():
                    form.add_error(field, errors)
            else:  # not about the form (an officer must act for a side): say it on the card
                return _answer_error(request, pk, match, exc)
        except (MatchStateError, PermissionDenied) as exc:
            return _answer_error(request, pk, match, exc)
        else:
            match = _visible_match(request, pk)
            if request.htmx:
                return _render_card(request, match, tabs=True)
            messages.success(request, _("Declined. This pair will not be proposed again."))
            return redirect(_back(request, match))
    if request.htmx:
        # htmx swaps only 2xx answers: the card comes back with the form's errors in it.
        return _render_card(request, match, form=form)
    status = 400 if request.method == "POST" else 200
    context = _card_context(request, match, form=form)
    context["decline_open"] = True
    return render(request, "matchmaking/decline.html", {"card": context}, status=status)


def _answer_error(request, pk: int, match: Match, exc: Exception):
    """The answer was refused: the card comes back with the reason (htmx), or a message."""
    error = _error_text(exc)
    if request.htmx:
        return _render_card(request, _visible_match(request, pk), error=error)
    messages.error(request, error)
    return redirect(_back(request, match))


def _error_text(exc: Exception) -> str:
    if isinstance(exc, MatchStateError):
        return str(exc.message)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("You may not do this.")


@login_required
@require_GET
def listing_matches(request, pk: int):
    """A listing's owner (or an officer) sees how its proposals went and why they were
    declined."""
    listing = get_object_or_404(Listing.objects.select_related("organization"), pk=pk)
    officer = getattr(request.user, "is_officer", False)
    if not officer and not listing.organization.has_member(request.user):
        raise Http404
    matches = (
        matches_queryset().visible_to(request.user).for_listing(listing.pk).order_by(*Match.RANKING)
    )
    page = Paginator(matches, PAGE_SIZE).get_page(request.GET.get("page"))
    prime_explanations(request, page.object_list)
    return render(
        request,
        "matchmaking/listing.html",
        {
            "listing": listing,
            "summary": selectors.decline_summary(listing),
            "page": page,
            "cards": [_card_context(request, m) for m in page.object_list],
        },
    )


# --- notifications ------------------------------------------------------------------------------


@login_required
@require_GET
def notification_list(request):
    qs = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
    only_unread = request.GET.get("unread") == "1"
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "matchmaking/notifications.html",
        {
            "page": page,
            "notifications": page.object_list,
            "only_unread": only_unread,
            "unread": notifications.unread_count(request.user),
            "settings_form": EmailSettingsForm(
                initial={"email_notifications": request.user.email_notifications}
            ),
        },
    )


@login_required
@require_POST
def notifications_mark_read(request):
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    marked = notifications.mark_read(user=request.user, ids=ids)
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": marked})
    return redirect("matchmaking:notifications")


@login_required
@require_GET
def notification_open(request, pk: int):
    """Open a notification: mark it read and go to its match."""
    note = get_object_or_404(Notification, pk=pk, user=request.user)
    notifications.mark_read(user=request.user, ids=[note.pk])
    if note.match_id and Match.objects.visible_to(request.user).filter(pk=note.match_id).exists():
        return redirect("matchmaking:detail", pk=note.match_id)
    return redirect("matchmaking:notifications")


@login_required
@require_POST
def notification_settings(request):
    form = EmailSettingsForm(request.POST)
    form.is_valid()  # a checkbox: absent means off
    enabled = bool(form.cleaned_data.get("email_notifications"))
    notifications.set_email_notifications(user=request.user, enabled=enabled)
    if enabled:
        text = _("Email notifications are on.")
    else:
        text = _("Email notifications are off. You still see everything here.")
    if request.htmx:
        return render(
            request,
            "matchmaking/partials/email_settings.html",
            {
                "settings_form": EmailSettingsForm(initial={"email_notifications": enabled}),
                "saved": text,
            },
        )
    messages.success(request, text)
    return redirect("matchmaking:notifications")
