"""Forms of the connection-event pages. They only collect input: the rules are the services'."""

from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from accounts.models import Organization
from listings.models import Listing
from matchmaking.models import ConnectionEvent, MeetingOutcome


def _slot_label(start, end) -> str:
    return (
        f"{date_format(start, 'SHORT_DATE_FORMAT')} "
        f"{date_format(start, 'H:i')}–{date_format(end, 'H:i')}"
    )


def slot_choices(event: ConnectionEvent) -> list[tuple[str, str]]:
    """Every slot of the event as (ISO start, "07/04/2027 08:20–08:40")."""
    return [
        (start.isoformat(), _slot_label(timezone.localtime(start), timezone.localtime(end)))
        for _session, start, end in event.slot_times()
    ]


def _parse_start(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


class ExcludedSlotsField(forms.TypedMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        super().__init__(
            label=_("Slots you cannot take"),
            coerce=_parse_start,
            required=False,
            help_text=_(
                "Tick the times you are busy within the sessions you attend: no meeting of "
                "yours is placed there."
            ),
            **kwargs,
        )


class RegistrationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=Organization.objects.none(), empty_label=None
    )
    listings = forms.ModelMultipleChoiceField(
        label=_("Listings you bring"),
        queryset=Listing.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Counterparts are suggested from the matches of these listings."),
    )
    sessions = forms.TypedMultipleChoiceField(
        label=_("Sessions you attend"), coerce=int, widget=forms.CheckboxSelectMultiple
    )
    excluded_slots = ExcludedSlotsField()

    def __init__(self, *args, event: ConnectionEvent, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["listings"].queryset = (
            Listing.objects.filter(organization__in=organizations, status=Listing.Status.OPEN)
            .select_related("organization")
            .order_by("organization__name", "title")
        )
        self.fields["listings"].label_from_instance = lambda listing: (
            f"{listing.get_side_display()}: {listing.title} ({listing.organization.name})"
        )
        self.fields["sessions"].choices = [
            (
                i,
                f"{date_format(s.starts_at, 'SHORT_DATE_FORMAT')} "
                f"{date_format(s.starts_at, 'H:i')}–{date_format(s.ends_at, 'H:i')}",
            )
            for i, s in enumerate(event.sessions.all())
        ]
        self.fields["excluded_slots"].choices = slot_choices(event)


class ExcludedSlotsForm(forms.Form):
    excluded_slots = ExcludedSlotsField()

    def __init__(self, *args, event: ConnectionEvent, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["excluded_slots"].choices = slot_choices(event)


class OutcomeForm(forms.Form):
    held = forms.TypedChoiceField(
        label=_("Did the meeting take place?"),
        choices=[("1", _("Yes")), ("0", _("No"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    interest = forms.ChoiceField(
        label=_("Interest"), choices=MeetingOutcome.Interest.choices, required=False
    )
    next_step = forms.ChoiceField(
        label=_("Next step"), choices=MeetingOutcome.NextStep.choices, required=False
    )
    note = forms.CharField(
        label=_("Note"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    open_deal = forms.TypedChoiceField(
        label=_("After samples, a quote or a contract"),
        choices=[("0", _("Note it for later")), ("1", _("Open a deal now"))],
        coerce=lambda v: v == "1",
        initial="0",
        required=False,
        empty_value=False,
        widget=forms.RadioSelect,
        help_text=_(
            "A deal follows the order from here to delivery, in the Deals tab of both sides."
        ),
    )
