"""The market: open listings as the engine's columnar tables, and the copy a worker keeps.

:func:`build_table` is the one place that turns listing rows into a
:class:`~matchmaking.engine.records.ListingTable` (one query, plus one for certifications);
the text signature of each listing is reused from ``ListingFeatures`` while its text is
unchanged. :class:`MarketCache` keeps both sides of the open market in a worker's memory and
patches it with the rows changed since its last look.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import time
from collections import defaultdict

import numpy as np
from cachetools import TTLCache, cached
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from listings.models import Listing
from matchmaking.engine import records
from matchmaking.engine.factors import trust_score
from matchmaking.engine.text import listing_text, signatures, tokens
from matchmaking.models import ListingFeatures, Match
from matchmaking.services import certificates, relevance
from matchmaking.services.reference import Reference, load_reference

log = logging.getLogger(__name__)

DIMENSIONS = {"mass": records.MASS, "volume": records.VOLUME, "count": records.COUNT}
# Organisations' answered proposals feed their trust; recounted at most once a minute.
HISTORY_SECONDS = 60
_history: TTLCache = TTLCache(maxsize=1, ttl=HISTORY_SECONDS)
# This process's market ({"market": MarketCache}), created on first use.
_market: dict[str, MarketCache] = {}


def clear_caches() -> None:
    _history.clear()
    _market.clear()


_COLUMNS = (
    "pk",
    "organization_id",
    "category_id",
    "product_id",
    "province_id",
    "unit__dimension",
    "unit__factor",
    "quantity_base",
    "min_order_base",
    "price_min",
    "price_max",
    "available_from",
    "available_until",
    "ocop_stars",
    "min_ocop_stars",
    "product__ocop_stars",
    "organization__verified",
    "title",
    "product__name",
    "product__name_en",
    "category__name",
    "category__name_en",
    "status",
    "hidden",
    "match_features__text_key",
    "match_features__sig_lo",
    "match_features__sig_hi",
    "description",
    "organization__kind",
    "match_features__offer_lo",
    "match_features__offer_hi",
    "match_features__intent_lo",
    "match_features__intent_hi",
    "match_features__wants_producer",
)
# Bumped when what is read from a listing's words changes (the vocabulary's code or the
# relevance rules): every stored key then misses once and is read again.
FEATURES_VERSION = "2"
_U64 = 0xFFFFFFFFFFFFFFFF


def _to_signed(value: int) -> int:
    return value - 2**64 if value >= 2**63 else value


@cached(_history, key=lambda: "history")
def organization_history() -> dict[int, tuple[int, int]]:
    """(accepted, declined) proposals per organization: trust grows with answered matches."""
    accepted: dict[int, int] = defaultdict(int)
    declined: dict[int, int] = defaultdict(int)
    for side in ("supply", "demand"):
        field = f"{side}__organization_id"
        rows = Match.objects.filter(status=Match.Status.CONNECTED)
        for org_id, n in rows.values_list(field).annotate(n=Count("pk")).values_list(field, "n"):
            accepted[org_id] += n
        # An organization whose listing was declined by the other side.
        other = "demand" if side == "supply" else "supply"
        rows = Match.objects.filter(status=Match.Status.DECLINED, declined_by_side=other)
        for org_id, n in rows.values_list(field).annotate(n=Count("pk")).values_list(field, "n"):
            declined[org_id] += n
    return {k: (accepted.get(k, 0), declined.get(k, 0)) for k in {*accepted, *declined}}


def build_table(
    queryset,
    ref: Reference,
    *,
    side: str,
    history: dict[int, tuple[int, int]] | None = None,
    keep_signatures: bool = True,
) -> records.ListingTable:
    """The engine table of the listings in ``queryset`` (one SQL query plus one for certs).

    Signatures missing or out of date are computed; ``keep_signatures`` stores them for next
    time (matching does; a read such as explaining a match passes False and writes nothing).
    """
    # In id order: the engine breaks ties by row, so the same market gives the same proposals
    # (a join may return rows in another order each time the features table is rewritten).
    rows = list(queryset.order_by("pk").values_list(*_COLUMNS))
    n = len(rows)
    if history is None:
        history = organization_history()
    cert_masks: dict[int, int] = defaultdict(int)
    if rows:
        through = Listing.certifications.through.objects.filter(
            listing_id__in=queryset.order_by().values("pk")
        ).values_list("listing_id", "certification_id")
        for listing_id, cert_id in through:
            bit = ref.cert_bit.get(cert_id)
            if bit is not None:
                cert_masks[listing_id] |= 1 << bit
    is_supply = side == Listing.Side.SUPPLY
    # Verified certificates prove schemes too (matchmaking.services.certificates).
    proven = (
        certificates.verified_scheme_bits(((r[0], r[1], r[2]) for r in rows), ref.cert_bit)
        if is_supply
        else {}
    )
    # An OCOP rating older than 36 months holds no stars (catalog.ocop).
    stale_ocop = (
        set(queryset.order_by().stale_ocop().values_list("pk", flat=True)) if is_supply else set()
    )
    cols: dict[str, list] = {
        name: [None] * n for name in records._COLUMNS if name not in records.WIDE
    }
    sigs = np.zeros((n, 2), dtype=np.uint64)
    offer = np.zeros((n, 2), dtype=np.uint64)
    intent = np.zeros((n, 2), dtype=np.uint64)
    category_words: dict[int, tuple[frozenset[str], str]] = {}
    missing: list[tuple[int, int, str, str]] = []  # (row, pk, key, text) of stale features
    trust_cache: dict[tuple, float] = {}
    for i, row in enumerate(rows):
        (
            pk,
            org,
            cat,
            prod,
            prov,
            dim,
            factor,
            qty,
            min_order,
            p_min,
            p_max,
            start,
            end,
            stars,
            min_stars,
            product_stars,
            verified,
            title,
            prod_name,
            prod_name_en,
            cat_name,
            cat_name_en,
            status,
            hidden,
            text_key,
            sig_lo,
            sig_hi,
            description,
            org_kind,
            offer_lo,
            offer_hi,
            intent_lo,
            intent_hi,
            wants_producer,
        ) = row
        factor = float(factor)
        if pk in stale_ocop:
            stars = product_stars = None
        ocop = (stars or product_stars or 0) if is_supply else (min_stars or 0)
        accepted, declined = history.get(org, (0, 0))
        key = (verified, stars or product_stars or 0, accepted, declined)
        if key not in trust_cache:
            trust_cache[key] = trust_score(verified, key[1], accepted, declined)
        cols["id"][i] = pk
        cols["org"][i] = org
        cols["category"][i] = ref.category_index[cat]
        cols["product"][i] = prod if prod is not None else -1
        cols["province"][i] = ref.province_index[prov]
        cols["dimension"][i] = DIMENSIONS[dim]
        cols["qty"][i] = float(qty)
        cols["min_order"][i] = float(min_order) if min_order is not None else 0.0
        cols["price_min"][i] = p_min / factor if p_min is not None else np.nan
        cols["price_max"][i] = p_max / factor if p_max is not None else np.nan
        cols["start"][i] = start.toordinal()
        cols["end"][i] = end.toordinal()
        cols["certs"][i] = cert_masks.get(pk, 0) | proven.get(pk, 0)
        cols["ocop"][i] = ocop
        cols["trust"][i] = min(
            1.0,
            trust_cache[key]
            + certificates.verified_trust_bonus(cert_masks.get(pk, 0), proven.get(pk, 0)),
        )
        cols["open"][i] = status == Listing.Status.OPEN and not hidden
        text = listing_text(title, prod_name, prod_name_en, cat_name, cat_name_en)
        if is_supply:
            key = _key(text)
            cols["flags"][i] = records.FLAG_RESELLER if org_kind in relevance.RESELLER_KINDS else 0
        else:  # a demand's intent also reads its description and its category's ancestors
            if cat not in category_words:
                category_words[cat] = _category_words(ref, cat)
            key = _key(text, description, category_words[cat][1])
        if key == text_key:
            sigs[i] = (sig_lo & _U64, sig_hi & _U64)
            offer[i] = (offer_lo & _U64, offer_hi & _U64)
            intent[i] = (intent_lo & _U64, intent_hi & _U64)
            asks = wants_producer
        else:  # read again (services.relevance); the signatures below, in one batch
            missing.append((i, pk, key, text))
            offer[i] = relevance.offer_mask(text)
            if not is_supply:
                words = (title, prod_name, prod_name_en, description)
                intent[i] = relevance.intent_mask(words, category_words[cat][0])
                asks = relevance.asks_for_producers(title, description)
        if not is_supply:
            cols["flags"][i] = records.FLAG_WANTS_PRODUCER if asks else 0
    if missing:
        sigs[[i for i, *_ in missing]] = signatures([text for *_, text in missing])
    if missing and keep_signatures:
        _store_features(
            [(pk, key, sigs[i], offer[i], intent[i], cols["flags"][i]) for i, pk, key, _ in missing]
        )
    return records.ListingTable(name_sig=sigs, offer=offer, intent=intent, **cols)


def _key(*parts: str | None) -> str:
    """The hash stored features are checked against (the words they were read from)."""
    text = "\x1f".join((FEATURES_VERSION, *(p or "" for p in parts)))
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _category_words(ref: Reference, category_id: int) -> tuple[frozenset[str], str]:
    """The concepts of a category's names and its ancestors' (both languages), and the names
    they were read from (a part of a demand's key)."""
    ctx = ref.context
    words: set[str] = set()
    names: list[str] = []
    for cid in ref.ancestor_ids(category_id):
        idx = ref.category_index[cid]
        names += [ctx.category_names[idx] or "", ctx.category_names_en[idx] or ""]
        words |= tokens(ctx.category_names[idx]) | tokens(ctx.category_names_en[idx])
    return frozenset(words), "\x1e".join(names)


def _signed_pair(pair) -> tuple[int, int]:
    return _to_signed(int(pair[0])), _to_signed(int(pair[1]))


_FEATURE_FIELDS = [
    "text_key", "sig_lo", "sig_hi", "offer_lo", "offer_hi",
    "intent_lo", "intent_hi", "wants_producer",
]  # fmt: skip


def _store_features(rows) -> None:
    """Keep what was read from the words (upsert); a listing deleted meanwhile is skipped.
    ``rows``: (pk, key, signature, offer, intent, flags) per listing."""
    objs = []
    for pk, key, sig, offer, intent, flags in rows:
        (sig_lo, sig_hi), (offer_lo, offer_hi) = _signed_pair(sig), _signed_pair(offer)
        intent_lo, intent_hi = _signed_pair(intent)
        objs.append(
            ListingFeatures(
                listing_id=pk,
                text_key=key,
                sig_lo=sig_lo,
                sig_hi=sig_hi,
                offer_lo=offer_lo,
                offer_hi=offer_hi,
                intent_lo=intent_lo,
                intent_hi=intent_hi,
                wants_producer=bool(flags & records.FLAG_WANTS_PRODUCER),
            )
        )
    try:
        with transaction.atomic():
            ListingFeatures.objects.bulk_create(
                objs,
                batch_size=2000,
                update_conflicts=True,
                unique_fields=["listing"],
                update_fields=_FEATURE_FIELDS,
            )
    except IntegrityError:  # a listing vanished between reading and writing: next time
        log.info("listing features not stored; a listing was deleted meanwhile")


def open_listings(side: str):
    return Listing.objects.filter(side=side, status=Listing.Status.OPEN, hidden=False)


class MarketCache:
    """The open listings of both sides as engine tables, kept in this process's memory.

    Loading 100k listings takes seconds; a saved listing must be matched in milliseconds.
    So a worker loads the market once and then, on each use, reads only the listings changed
    since its last look (by ``updated_at``, with a 10-second margin for transactions that committed
    late), patching its tables in place. Trust scores and everything else are reloaded in
    full every ``FULL_RELOAD_SECONDS`` and whenever the reference data changes.
    """

    FULL_RELOAD_SECONDS = 600
    MARGIN = datetime.timedelta(seconds=10)

    def __init__(self) -> None:
        self.tables: dict[str, records.ListingTable] = {}
        self.positions: dict[str, dict[int, int]] = {}
        self.watermark: datetime.datetime | None = None
        self.loaded_at = 0.0
        self.fingerprint: tuple | None = None
        # Rows patched in the margin: {pk: updated_at}, so the next look skips them.
        self.patched: dict[int, datetime.datetime] = {}

    def get(
        self, ref: Reference, *, keep_signatures: bool = True
    ) -> tuple[records.ListingTable, records.ListingTable]:
        """Both sides of the open market; a read (near misses on a page) passes
        ``keep_signatures=False`` and writes nothing."""
        fingerprint = ref.fingerprint
        stale = (
            not self.tables
            or fingerprint != self.fingerprint
            or time.monotonic() - self.loaded_at > self.FULL_RELOAD_SECONDS
        )
        if stale:
            self._load(ref, fingerprint, keep_signatures)
        else:
            self._refresh(ref, keep_signatures)
        return self.tables[Listing.Side.SUPPLY], self.tables[Listing.Side.DEMAND]

    def row(self, side: str, listing_id: int) -> records.ListingTable | None:
        """The one-row table of an open listing as this cache last read it (after
        :meth:`get`, which re-reads every listing saved since its last look), else None."""
        position = self.positions.get(side, {}).get(listing_id)
        if position is None or not bool(self.tables[side].open[position]):
            return None
        return self.tables[side].take(np.array([position], dtype=np.intp))

    def _load(self, ref: Reference, fingerprint, keep_signatures: bool = True) -> None:
        self.watermark = timezone.now() - self.MARGIN
        self.patched = {}
        history = organization_history()
        for side in (Listing.Side.SUPPLY, Listing.Side.DEMAND):
            table = build_table(
                open_listings(side),
                ref,
                side=side,
                history=history,
                keep_signatures=keep_signatures,
            )
            self.tables[side] = table
            self.positions[side] = {int(v): i for i, v in enumerate(table.id)}
        self.loaded_at = time.monotonic()
        self.fingerprint = fingerprint

    def _refresh(self, ref: Reference, keep_signatures: bool = True) -> None:
        """Re-read the listings saved since the last look (one light query), skipping those
        already patched at the same ``updated_at`` within the margin; a side with nothing
        new costs no further query."""
        since = self.watermark
        self.watermark = timezone.now() - self.MARGIN
        changed = Listing.objects.filter(updated_at__gte=since).values_list(
            "pk", "side", "updated_at"
        )
        todo: dict[str, list[int]] = defaultdict(list)
        stamps = {}
        for pk, side, updated_at in changed:
            if self.patched.get(pk) != updated_at:
                todo[side].append(pk)
                stamps[pk] = updated_at
        self.patched = {pk: t for pk, t in self.patched.items() if t >= since}
        if not todo:
            return
        history = organization_history()
        for side, ids in todo.items():
            fresh = build_table(
                Listing.objects.filter(pk__in=ids),
                ref,
                side=side,
                history=history,
                keep_signatures=keep_signatures,
            )
            if len(fresh):
                self._patch(side, fresh)
        self.patched.update(stamps)

    def _patch(self, side: str, fresh: records.ListingTable) -> None:
        table, positions = self.tables[side], self.positions[side]
        names = list(records._COLUMNS)
        known = [i for i, v in enumerate(fresh.id.tolist()) if v in positions]
        if known:
            rows = np.array([positions[int(fresh.id[i])] for i in known], dtype=np.intp)
            for name in names:
                getattr(table, name)[rows] = getattr(fresh, name)[known]
        new = [i for i, v in enumerate(fresh.id.tolist()) if v not in positions]
        if new:
            extra = fresh.take(np.array(new, dtype=np.intp))
            start = len(table)
            table = records.ListingTable(
                **{n: np.concatenate([getattr(table, n), getattr(extra, n)]) for n in names}
            )
            for offset, listing_id in enumerate(extra.id.tolist()):
                positions[int(listing_id)] = start + offset
            self.tables[side] = table


def warm_up() -> int:
    """Load the reference data and the open market into this process; returns listings."""
    supplies, demands = market_cache().get(load_reference())
    return len(supplies) + len(demands)


def market_cache() -> MarketCache:
    """This process's market (one per worker process)."""
    if "market" not in _market:
        _market["market"] = MarketCache()
    return _market["market"]


def declined_pairs(queryset=None) -> np.ndarray:
    qs = queryset if queryset is not None else Match.objects.all()
    pairs = np.array(
        list(qs.filter(status=Match.Status.DECLINED).values_list("supply_id", "demand_id")),
        dtype=np.int64,
    )
    return records.declined_keys(pairs)
