"""Forms of the match pages and the officers' admin. They check input; services write."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextFormMixin, LocalizedDecimalField
from listings.models import Listing
from matchmaking.models import Match


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
