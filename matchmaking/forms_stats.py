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

    def __init__(self, *args, with_choices: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if with_choices:
            self._add_choices()
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

    def _add_choices(self) -> None:
        """The dashboard's selects (the API takes the same values typed)."""
        from core.formatting import format_date, localized_name

        everything = [("", _("All"))]
        options = {
            "programme": [
                (p.slug, localized_name(p)) for p in CooperationProgramme.objects.order_by("name")
            ],
            "event": [
                (str(e.pk), f"{format_date(e.held_on)} · {localized_name(e)}")
                for e in ConnectionEvent.objects.order_by("-held_on").only(
                    "pk", "held_on", "name", "name_en"
                )
            ],
            "province": [(p.code, localized_name(p)) for p in Province.objects.order_by("name")],
            "region": [(r.code, localized_name(r)) for r in Region.objects.order_by("order")],
            "category": [
                (c.slug, localized_name(c))
                for c in ProductCategory.objects.order_by("parent_id", "order", "name")
            ],
        }
        for name, choices in options.items():
            self.fields[name].widget = forms.Select(choices=[*everything, *choices])

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
