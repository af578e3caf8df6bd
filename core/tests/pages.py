"""Reading rendered pages in tests (a helper module, not a test file)."""

import re

from django.utils.html import escape


def field_errors(html: str, name: str) -> str:
    """The error list rendered inside a form field's container, or "" when there is none."""
    match = re.search(
        rf'<div class="field field-{name} has-error[^"]*">.*?<ul class="errorlist" '
        rf'id="id_{name}_error">(.*?)</ul>',
        html,
        re.S,
    )
    return match.group(1) if match else ""


def shows(html: str, title: str) -> bool:
    """Whether a title appears in a page as a card or a heading shows it (escaped, whole)."""
    return f">{escape(title)}<" in html


def card_count(html: str, kind: str = "listing-card") -> int:
    return html.count(f'class="card {kind}')
