"""The officers' outcome dashboard (charts, their tables, CSV downloads) and the public page
of each cooperation programme. The figures come from ``matchmaking.selectors_stats`` (the
same function as ``GET /api/v1/stats/``, counted once per request); who may see them is decided
there too. The public page's figures are cached (``matchmaking.selectors_programmes``)."""

from __future__ import annotations

import csv
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.spreadsheets import safe_cell
from matchmaking import outcome_tables
from matchmaking.forms_stats import StatsFilterForm
from matchmaking.models import CooperationProgramme
from matchmaking.selectors_programmes import programme_outcomes
from matchmaking.selectors_stats import StatsFilters, outcome_figures, require_officer


def _filtered(request):
    """(form, stats or None): the figures for the query's filters, None when they are bad."""
    form = StatsFilterForm(request.GET or None, with_choices=True)
    if form.is_bound:
        if not form.is_valid():
            return form, None
        return form, outcome_figures(form.filters())
    return form, outcome_figures(StatsFilters())


@login_required
@require_GET
def outcomes(request):
    require_officer(request.user)
    form, stats = _filtered(request)
    query = urlencode(form.as_query())
    context = {
        "form": form,
        "stats": stats,
        "tables": outcome_tables.tables(stats) if stats else [],
        "query": query,
    }
    return render(request, "matchmaking/outcomes.html", context, status=200 if stats else 400)


@login_required
@require_GET
def outcomes_csv(request, key: str):
    require_officer(request.user)
    if key not in outcome_tables.TABLE_KEYS:
        raise Http404
    form, stats = _filtered(request)
    if stats is None:
        lines = [f"{name}: {' '.join(errors)}" for name, errors in form.errors.items()]
        return HttpResponse("\n".join(lines), status=400, content_type="text/plain; charset=utf-8")
    table = next(t for t in outcome_tables.tables(stats) if t.key == key)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="outcomes-{key}-{stamp}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 (Vietnamese) only with the mark
    writer = csv.writer(response)
    writer.writerow([safe_cell(h) for h in table.headings])
    for row in table.rows:
        writer.writerow([safe_cell("" if v is None else v) for v in row])
    return response


@require_GET
def programme_detail(request, slug: str):
    programme = get_object_or_404(CooperationProgramme.objects.select_related("source"), slug=slug)
    outcome = programme_outcomes(programme)
    return render(request, "matchmaking/programme.html", {"programme": programme, **outcome})


@require_GET
def programme_list(request):
    programmes = CooperationProgramme.objects.prefetch_related("provinces")
    return render(request, "matchmaking/programmes.html", {"programmes": programmes})
