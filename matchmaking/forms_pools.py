"""The pool decline form (the page door of ``services.pools.pool_decline``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CleanTextFormMixin
from matchmaking.models import Match


class PoolDeclineForm(CleanTextFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you decline?"),
        choices=[("", _("— choose a reason —")), *Match.DeclineReason.choices],
        error_messages={"required": _("Choose a reason, so the others know why.")},
    )
    note = forms.CharField(
        label=_("A note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": 1000}),
    )

    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if prefix_id:  # distinct ids per form: several decline forms share one card
            self.auto_id = f"id_{prefix_id}_%s"
