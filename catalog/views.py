"""Small look-ups for the pages (htmx): they answer with HTML fragments."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from catalog.models import Province
from catalog.text import fold

MAX_SUGGESTIONS = 8


@require_GET
def province_suggestions(request):
    """Provinces whose current, English, legacy or unaccented name contains the query.

    The query comes as ``q``, or under the name of the input that asked (``field``), so a
    form's province box can send itself as it is. A legacy hit shows as "Kon Tum → Quảng Ngãi".
    """
    field = request.GET.get("field") or "q"
    query = (request.GET.get(field) or request.GET.get("q") or "").strip()[:100]
    folded = fold(query)
    suggestions = []
    if len(folded) >= 2:
        compact = folded.replace(" ", "")
        provinces = Province.objects.search(query).prefetch_related("legacy_names")
        for province in provinces[:MAX_SUGGESTIONS]:
            via = None
            if folded not in province.search_text:
                via = next(
                    (
                        legacy.name
                        for legacy in province.legacy_names.all()
                        if folded in legacy.folded or compact in legacy.compact
                    ),
                    None,
                )
            suggestions.append({"province": province, "via": via})
    return render(
        request,
        "catalog/province_suggestions.html",
        {"suggestions": suggestions, "query": query},
    )
