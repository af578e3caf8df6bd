"""The outcome figures as the dashboard shows them: tables (the chart's numbers, for screen
readers and for the CSV download) and the plotly.js figure drawn from the same rows.

The numbers come from ``matchmaking.selectors_stats.outcome_stats``; this module only words,
orders and formats them in the page's language (``core.formatting``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from core.formatting import format_month, format_number, is_english, say
from matchmaking.models import Deal, Match

TOP = 10
NUMBER, MONEY, PERCENT, DAYS, TEXT = "number", "money", "percent", "days", "text"


@dataclass
class Table:
    key: str
    title: str
    caption: str
    columns: list[tuple[str, str]]  # (heading, kind); the first column heads the row
    rows: list[list] = field(default_factory=list)
    chart: dict | None = None

    @property
    def headings(self) -> list[str]:
        return [heading for heading, _kind in self.columns]

    def display_rows(self) -> list[list[str]]:
        return [
            [display(v, kind) for v, (_h, kind) in zip(row, self.columns, strict=True)]
            for row in self.rows
        ]


def display(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == MONEY:
        return f"{format_number(value, 0)} ₫"
    if kind == PERCENT:
        return f"{format_number(value * 100, 1)} %"
    if kind == DAYS:
        return format_number(value, 1)
    if kind == NUMBER:
        return format_number(value, 0)
    return str(value)


def _layout(**extra) -> dict:
    layout = {
        "showlegend": True,
        "legend": {"orientation": "h", "y": -0.2},
        "margin": {"l": 48, "r": 16, "t": 16, "b": 48},
        "height": 340,
        "separators": ".," if is_english() else ",.",
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "font": {"family": "system-ui, sans-serif", "size": 13},
    }
    layout.update(extra)
    return layout


def _month_label(key: str) -> str:
    year, month = key.split("-")
    return format_month(datetime.date(int(year), int(month), 1))


MONTH_FIGURES = ("connected", "contracts", "contract_value_vnd", "delivered_value_vnd")
TOP_FIGURES = ("listings", "proposed", "connected", "contracts", "contract_value_vnd")


def _rows(labels: list[str], records: list[dict], figures: tuple[str, ...]) -> list[list]:
    """A table row per record: its label, then the figures in order."""
    return [[label, *(r[f] for f in figures)] for label, r in zip(labels, records, strict=True)]


def _bars(labels: list[str], records: list[dict], series: list[tuple[str, str]]) -> dict:
    """A grouped bar chart: one bar series per (name, figure), the labels on the x axis."""
    return {
        "data": [
            {"type": "bar", "name": name, "x": labels, "y": [r[figure] for r in records]}
            for name, figure in series
        ],
        "layout": _layout(barmode="group"),
    }


def funnel(stats: dict) -> Table:
    steps = [
        (_("Listings"), stats["listings"]["supply"] + stats["listings"]["demand"]),
        (_("Proposals"), stats["matches"]["proposed"]),
        (pgettext("funnel", "Connected"), stats["matches"]["connected"]),
        (_("Contracts"), stats["deals"]["contract_signed"]),
        (pgettext("funnel", "Completed"), stats["deals"]["completed"]),
    ]
    return Table(
        key="funnel",
        title=_("From listings to completed deals"),
        caption=_("The funnel: listings posted, matches proposed, connected, contracts, completed"),
        columns=[(_("Step"), TEXT), (_("Number"), NUMBER)],
        rows=[[label, n] for label, n in steps],
        chart={
            "data": [
                {
                    "type": "funnel",
                    "name": _("Number"),
                    "y": [label for label, _n in steps],
                    "x": [n for _label, n in steps],
                    "textinfo": "value+percent initial",
                }
            ],
            "layout": _layout(margin={"l": 120, "r": 16, "t": 16, "b": 48}),
        },
    )


def by_month(stats: dict) -> Table:
    months = stats["by_month"]
    labels = [_month_label(m["month"]) for m in months]
    contract, delivered = _("Contract value (₫)"), _("Delivered value (₫)")
    return Table(
        key="months",
        title=_("Contract and delivered value by month"),
        caption=_("By month: connections, contracts signed and their value, value delivered (VND)"),
        columns=[
            (_("Month"), TEXT),
            (pgettext("funnel", "Connected"), NUMBER),
            (_("Contracts"), NUMBER),
            (contract, MONEY),
            (delivered, MONEY),
        ],
        rows=_rows(labels, months, MONTH_FIGURES),
        chart=_bars(
            labels, months, [(contract, "contract_value_vnd"), (delivered, "delivered_value_vnd")]
        ),
    )


def _top(stats: dict, key: str, *, table_key: str, title: str, caption: str, heading: str) -> Table:
    rows = stats[key][:TOP]
    names = [say(r["name"], r["name_en"] or r["name"]) for r in rows]
    connected, contracts = pgettext("funnel", "Connected"), _("Contracts")
    return Table(
        key=table_key,
        title=title,
        caption=caption,
        columns=[
            (heading, TEXT),
            (_("Listings"), NUMBER),
            (_("Proposals"), NUMBER),
            (connected, NUMBER),
            (contracts, NUMBER),
            (_("Contract value (₫)"), MONEY),
        ],
        rows=_rows(names, rows, TOP_FIGURES),
        chart=_bars(names, rows, [(connected, "connected"), (contracts, "contracts")]),
    )


def _reasons(counts: dict, choices, *, key: str, title: str, caption: str) -> Table:
    labels = dict(choices)
    rows = [[str(labels.get(code, code)), n] for code, n in counts.items()]
    return Table(
        key=key,
        title=title,
        caption=caption,
        columns=[(_("Reason"), TEXT), (_("Number"), NUMBER)],
        rows=rows,
        chart={
            "data": [
                {
                    "type": "pie",
                    "name": title,
                    "labels": [r[0] for r in rows],
                    "values": [r[1] for r in rows],
                    "hole": 0.4,
                    "sort": False,
                }
            ],
            "layout": _layout(),
        },
    )


def connections(stats: dict) -> Table:
    c = stats["connections"]
    small, remote = _("Small producers"), _("Remote provinces")
    return Table(
        key="connections",
        title=_("Who the connections reach, and how fast"),
        caption=_(
            "Connections involving small producers (cooperatives, farms and household "
            "businesses) and remote provinces (Northern Midlands and Mountains, Central "
            "Highlands); median days from posting to connection"
        ),
        columns=[(_("Figure"), TEXT), (_("Connections"), NUMBER), (_("Share"), PERCENT)],
        rows=[
            [_("All connections"), c["total"], 1.0 if c["total"] else None],
            [small, c["small_producers"], c["small_producer_share"]],
            [remote, c["remote_provinces"], c["remote_province_share"]],
        ],
        chart={
            "data": [
                {
                    "type": "bar",
                    "name": _("Share of connections (%)"),
                    "x": [small, remote],
                    "y": [
                        round((c["small_producer_share"] or 0) * 100, 1),
                        round((c["remote_province_share"] or 0) * 100, 1),
                    ],
                }
            ],
            "layout": _layout(yaxis={"range": [0, 100], "ticksuffix": " %"}),
        },
    )


def tables(stats: dict) -> list[Table]:
    return [
        funnel(stats),
        by_month(stats),
        _top(
            stats,
            "by_province",
            title=_("Top provinces"),
            caption=_("Provinces by connections (a match counts in its supply's province)"),
            heading=_("Province"),
            table_key="provinces",
        ),
        _top(
            stats,
            "by_category",
            title=_("Top product categories"),
            caption=_("Categories by connections (a match counts in its supply's category)"),
            heading=_("Product category"),
            table_key="categories",
        ),
        _reasons(
            stats["decline_reasons"],
            Match.DeclineReason.choices,
            key="decline-reasons",
            title=_("Why proposals were declined"),
            caption=_("Declined matches by the reason given"),
        ),
        _reasons(
            stats["lost_reasons"],
            Deal.LostReason.choices,
            key="lost-reasons",
            title=_("Why deals were lost"),
            caption=_("Lost deals by their reason"),
        ),
        connections(stats),
    ]


TABLE_KEYS = (
    "funnel",
    "months",
    "provinces",
    "categories",
    "decline-reasons",
    "lost-reasons",
    "connections",
)
