"""Forms of the match pages and the officers' admin. They check input; services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextFormMixin, LocalizedDecimalField, LocalizedIntegerField
from listings.models import Listing
from matchmaking.models import Deal, Match


class DeclineForm(CleanTextFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline?"),
        choices=[("", _("— choose a reason —")), *Match.DeclineReason.choices],
        error_messages={"required": _("Choose a reason, so the other side knows why.")},
    )
    note = forms.CharField(
        label=_("A note for the other side (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )

    def __init__(self, *args, match: Match | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if match is not None:
            # Distinct ids per card: several decline forms share one page.
            self.auto_id = f"id_m{match.pk}_%s"


class EmailSettingsForm(forms.Form):
    email_notifications = forms.BooleanField(
        label=_("Send me an email digest of new proposals and answers"), required=False
    )


class IntroduceForm(CleanTextFormMixin, forms.Form):
    """An officer introduces a supply and a demand by hand (admin)."""

    supply = forms.ModelChoiceField(
        label=_("Supply listing"),
        queryset=Listing.objects.filter(side=Listing.Side.SUPPLY),
    )
    demand = forms.ModelChoiceField(
        label=_("Demand listing"),
        queryset=Listing.objects.filter(side=Listing.Side.DEMAND),
    )
    suggested_quantity = LocalizedDecimalField(
        label=_("Suggested quantity (kg, litre or piece)"),
        required=False,
        max_digits=20,
        decimal_places=3,
        min_value=Decimal("0.001"),
        error_messages={"min_value": _("Enter a quantity above zero.")},
        help_text=_(
            "Leave empty for the smaller of the demand and what the supply has not yet "
            "promised to other matches."
        ),
    )
    override = forms.BooleanField(
        label=_("Override the hard rules this pair fails"),
        required=False,
        help_text=_("Only when the pair fails a rule (it is named above after a first try)."),
    )
    override_reason = forms.CharField(
        label=_("Why the rules are overridden"),
        required=False,
        max_length=300,
        help_text=_("Kept in the match's history and shown to both sides."),
    )
    note = forms.CharField(
        label=_("Note shown to both sides"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# --- deals -----------------------------------------------------------------------------------


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        from core.formatting import localized_name

        return localized_name(obj)


def _units():
    from catalog.models import Unit

    return Unit.objects.order_by("dimension", "order", "code")


class DealAdvanceForm(forms.Form):
    """Move a deal on (pages); the service checks what each stage needs."""

    stage = forms.ChoiceField(label=_("Next stage"))
    contract_quantity = LocalizedDecimalField(
        label=_("Contract quantity"), required=False, max_digits=16, decimal_places=3
    )
    contract_unit = UnitChoiceField(label=_("Unit"), required=False, queryset=_units())
    contract_value_vnd = LocalizedIntegerField(label=_("Contract value (VND)"), required=False)
    signed_on = forms.DateField(
        label=_("Signed on"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    deliver_by = forms.DateField(
        label=_("Deliver by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    lost_reason = forms.ChoiceField(
        label=_("Why was it lost?"),
        required=False,
        choices=[("", _("— choose a reason —")), *Deal.LostReason.choices],
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )

    def __init__(self, *args, stages=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(s, Deal.Stage(s).label) for s in stages]
        self.fields["contract_unit"].queryset = _units()


class DeliveryForm(forms.Form):
    quantity = LocalizedDecimalField(label=_("Quantity"), max_digits=16, decimal_places=3)
    unit = UnitChoiceField(label=_("Unit"), queryset=_units())
    delivered_on = forms.DateField(
        label=_("Delivered on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    value_vnd = LocalizedIntegerField(label=_("Value (VND)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _units()
