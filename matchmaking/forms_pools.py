"""The pool decline form (the page door of ``services.pool_review.pool_decline``): the match
decline form's fields, worded for several partners."""

from django.utils.translation import gettext_lazy as _

from matchmaking.forms import DeclineForm


class PoolDeclineForm(DeclineForm):
    def __init__(self, *args, prefix_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        reason = self.fields["reason"]
        reason.error_messages = {
            **reason.error_messages,
            "required": _("Choose a reason, so the others know why."),
        }
        self.fields["note"].label = _("A note (optional)")
        if prefix_id:  # distinct ids per form: several decline forms share one card
            self.auto_id = f"id_{prefix_id}_%s"
