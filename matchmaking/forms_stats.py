"""The outcome filters (programme, event, province, region, category, period), checked once.

The API (``GET /api/v1/stats/``), the officers' dashboard and its CSV downloads all read their
query string through :class:`StatsFilterForm`; its ``filters()`` is what
``matchmaking.selectors_stats`` computes from. A bad value is a field message (a 400 in the API).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import ProductCategory, Province, Region
from core.api import parse_id
from matchmaking.models import ConnectionEvent, CooperationProgramme
from matchmaking.selectors_stats import StatsFilters

DATE_FORMATS = ["%Y-%m-%d"]


class StatsFilterForm(forms.Form):
    programme = forms.CharField(label=_("Cooperation programme"), required=False, max_length=80)
    event = forms.CharField(label=_("Connection event"), required=False, max_length=20)
    province = forms.CharField(label=_("Province"), required=False, max_length=2)
    region = forms.CharField(label=_("Region"), required=False, max_length=40)
    category = forms.CharField(label=_("Product category"), required=False, max_length=80)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # ``from`` and ``to`` are the contract's names (and Python keywords), so added here.
        date_errors = {"invalid": _("Enter a date as YYYY-MM-DD.")}
        self.fields["from"] = forms.DateField(
            label=_("From"),
            required=False,
            input_formats=DATE_FORMATS,
            error_messages=date_errors,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            input_formats=DATE_FORMATS,
            error_messages=date_errors,
            widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        )

    def clean_programme(self):
        slug = self.cleaned_data["programme"].strip()
        if not slug:
            return None
        programme = CooperationProgramme.objects.filter(slug=slug).first()
        if programme is None:
            raise forms.ValidationError(_("Unknown cooperation programme."))
        return programme

    def clean_event(self):
        raw = self.cleaned_data["event"].strip()
        if not raw:
            return None
        pk = parse_id(raw)
        event = ConnectionEvent.objects.filter(pk=pk).first() if pk else None
        if event is None:
            raise forms.ValidationError(_("Unknown connection event."))
        return event

    def clean_province(self):
        code = self.cleaned_data["province"].strip()
        if not code:
            return None
        province = Province.objects.filter(code=code).first()
        if province is None:
            raise forms.ValidationError(_("Unknown province code."))
        return province

    def clean_region(self):
        code = self.cleaned_data["region"].strip()
        if not code:
            return None
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise forms.ValidationError(_("Unknown region."))
        return region

    def clean_category(self):
        slug = self.cleaned_data["category"].strip()
        if not slug:
            return None
        category = ProductCategory.objects.filter(slug=slug).first()
        if category is None:
            raise forms.ValidationError(_("Unknown product category."))
        return category

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("from"), cleaned.get("to")
        if start and end and start > end:
            self.add_error("to", _("The end of the period is before its start."))
        return cleaned

    def filters(self) -> StatsFilters:
        """The checked filters (call after ``is_valid()``)."""
        data = self.cleaned_data
        category = data.get("category")
        return StatsFilters(
            programme=data.get("programme"),
            event=data.get("event"),
            province=data.get("province"),
            region=data.get("region"),
            category=category,
            category_ids=tuple(category.descendant_ids()) if category else (),
            date_from=data.get("from"),
            date_to=data.get("to"),
        )

    def as_query(self) -> dict[str, str]:
        """The filters as query parameters (for the CSV links and the API link)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return {k: str(v) for k, v in self.data.items() if k in self.fields and v}
