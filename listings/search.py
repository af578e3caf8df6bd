"""Listing search: a stored, weighted document per listing, queried as words and concepts.

**The document.** :func:`document` writes four folded text columns when a listing is saved,
each a weight of PostgreSQL's full-text ranking:

- A ``search_title``: the title and the product's names;
- B ``search_tags``: the category and its ancestors (names in both languages, synonyms);
- C ``search_place``: the province (names, pre-2025 names) and the organization's name;
- D ``search_body``: the description.

Every text is written twice: its folded words ("ca phe robusta"), then the concepts the shared
vocabulary reads in it, as English tokens ("coffee robusta"; ``catalog.text.concepts``, the
same reading the matching engine uses). A category synonym stands for its category, so only
its first concept is written: "mật ong hoa cà phê" makes a honey listing say honey, not coffee.

On PostgreSQL a trigger (migration ``0005``) keeps ``search_vector``, the weighted ``tsvector``
of the four columns (``simple`` configuration: the text is folded here already, with the
project's vocabulary, which no PostgreSQL dictionary knows), under a GIN index; the title also
has a trigram index for misspellings.

**The query** is read with the same vocabulary: a known phrase is a concept and is found by
its tokens only ("tieu den" is pepper: it finds "tiêu đen" and "black pepper", not the noodles
"hủ tiếu", whose "hu tieu" reads as noodle); any other word must be found as a whole word
("cua", crab, is not "cửa hàng", a shop). Every piece must be found (AND). When nothing is
found and the query has unknown words, they are corrected against the vocabulary ("durain" ->
"durian", "ca fe" -> "cafe") and, on PostgreSQL, also looked for by trigram similarity.

**Ranking** (PostgreSQL): ``ts_rank`` of the pieces, plus the rank of the query's words in any
order, plus the rank of the exact phrase, plus twice the rank of its concepts alone when it
also has other words, so a title holding the words as typed comes
first ("sầu riêng ri6" puts the Ri6 above the Monthong); ties go to the newest. On SQLite (the
embedded run) the same pieces are found with whole-word ``LIKE`` on the same columns and ranked
by which column holds them, giving the same results on the demo data.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    TrigramWordSimilarity,
)
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

from catalog.text.concepts import (
    PHRASES,
    SEARCH_MAX_WORDS,
    STOP_WORDS,
    cut,
    mark_accents,
)
from catalog.text.fold import fold

COLUMNS = (
    ("search_title", "A", 1.0),
    ("search_tags", "B", 0.4),
    ("search_place", "C", 0.2),
    ("search_body", "D", 0.1),
)
RANK = "search_rank"
# A concept of the query (a product) weighs this much more than its other words (places,
# names): "ca phe dak lak" lists coffee in Đắk Lắk above a pepper from a coffee cooperative.
CONCEPT_BONUS = 2

_LONGEST = max(map(len, PHRASES))
# Single words of the vocabulary that a misspelt word may be corrected to ("durian", "cafe").
_VOCABULARY = sorted(
    {phrase[0] for phrase, tokens in PHRASES.items() if len(phrase) == 1 and tokens}
)
_CORRECTION_CUTOFF = 0.8


# --- the document --------------------------------------------------------------------------


def _concepts(text: str, *, head_only: bool = False) -> list[tuple[str, ...]]:
    """The concept tokens of ``text`` in reading order (only the first with ``head_only``)."""
    found = [
        hit for _phrase, hit in cut(fold(mark_accents(text)).split(), PHRASES, _LONGEST) if hit
    ]
    return found[:1] if head_only else found


def _parts(texts: Iterable[str | None], *, head_only: bool = False) -> list[str]:
    """Folded words then concept tokens of each text."""
    parts: list[str] = []
    for text in texts:
        words = fold(text)
        if not words:
            continue
        tokens = " ".join(" ".join(hit) for hit in _concepts(text, head_only=head_only))
        parts.append(f"{words} , {tokens}" if tokens else words)
    return parts


def _column(parts: Iterable[str]) -> str:
    """The texts apart, padded with spaces so that a whole word is `` word `` (the SQLite
    path looks for that)."""
    unique = list(dict.fromkeys(parts))
    return f" {' | '.join(unique)} " if unique else ""


def document(
    *,
    title: str,
    description: str = "",
    title_en: str = "",
    description_en: str = "",
    products: Sequence[str] = (),
    categories: Sequence[tuple[str, str, Sequence[str]]] = (),
    places: Sequence[str] = (),
) -> dict[str, str]:
    """The four search columns of a listing. ``categories`` is (name, English name, synonyms)
    of the category and its ancestors; ``places`` the province's names and the organization's.
    The optional English title and description count as the title and the description."""
    names = [name for name, name_en, _synonyms in categories for name in (name, name_en)]
    synonyms = [synonym for _name, _name_en, synonyms in categories for synonym in synonyms]
    return {
        "search_title": _column(_parts([title, *([title_en] if title_en else []), *products])),
        "search_tags": _column([*_parts(names), *_parts(synonyms, head_only=True)]),
        "search_place": _column(_parts(places)),
        "search_body": _column(
            _parts([description, *([description_en] if description_en else [])])
        ),
    }


# --- the query -----------------------------------------------------------------------------


@dataclass
class Parsed:
    """A query as the pieces every result must hold, and its words for ranking."""

    pieces: list[tuple[str, ...]] = field(default_factory=list)  # concept tokens
    unknown: list[str] = field(default_factory=list)  # words the vocabulary does not know
    words: list[str] = field(default_factory=list)  # the folded words as typed

    def __bool__(self) -> bool:
        return bool(self.pieces or self.unknown)

    @property
    def required(self) -> list[tuple[str, ...]]:
        """Every piece a result must hold: the concepts and the unknown words."""
        return [*self.pieces, *((word,) for word in self.unknown)]


def parse(q: str | None, *, correct: bool = False) -> Parsed:
    """Read a query. ``correct``: also mend unknown words against the vocabulary."""
    words = fold(q).split()[:SEARCH_MAX_WORDS]
    marked = fold(mark_accents(q or "")).split()[:SEARCH_MAX_WORDS]
    parsed = Parsed(words=words)
    cuts = cut(marked, PHRASES, _LONGEST)
    if correct:
        cuts = _corrected(cuts)
    for phrase, hit in cuts:
        if hit:
            parsed.pieces.append(hit)
        elif hit is None and phrase[0] not in STOP_WORDS:
            parsed.unknown.append(phrase[0])
    if not parsed and words:  # only stop words: look for them as typed
        parsed.unknown = list(words)
    return parsed


def _corrected(cuts):
    """Unknown words joined ("ca fe" -> "cafe") or mended ("durain" -> "durian")."""
    out: list[tuple[tuple[str, ...], tuple[str, ...] | None]] = []
    i = 0
    while i < len(cuts):
        phrase, hit = cuts[i]
        following = cuts[i + 1] if i + 1 < len(cuts) else None
        if following and None in (hit, following[1]) and len(phrase) == len(following[0]) == 1:
            joined = phrase[0] + following[0][0]
            if PHRASES.get((joined,)):
                out.append(((joined,), PHRASES[(joined,)]))
                i += 2
                continue
        if hit is None and len(phrase[0]) >= 4 and not phrase[0].isdigit():
            close = difflib.get_close_matches(phrase[0], _VOCABULARY, 1, _CORRECTION_CUTOFF)
            if close:
                hit = PHRASES[(close[0],)]
                phrase = (close[0],)
        out.append((phrase, hit))
        i += 1
    return out


def _tsquery(pieces: Iterable[Sequence[str]]) -> SearchQuery:
    """Every piece, each a phrase of words: ``(coffee <-> robusta) & dak & lak``. The words are
    folded (``[a-z0-9]``), so they are safe in tsquery syntax."""
    text = " & ".join(f"({' <-> '.join(piece)})" for piece in pieces)
    return SearchQuery(text, search_type="raw", config="simple")


def _pg_search(queryset, parsed: Parsed, *, trigram: bool = False):
    vector = F("search_vector")
    every = _tsquery(parsed.required)
    rank = (
        SearchRank(vector, every)
        + SearchRank(vector, _tsquery([parsed.words]))  # the exact phrase
        + SearchRank(vector, _tsquery([[word] for word in parsed.words]))  # the words typed
    )
    if parsed.pieces and parsed.unknown:
        # What is asked for (the products) counts above where and from whom.
        rank = rank + CONCEPT_BONUS * SearchRank(vector, _tsquery(parsed.pieces))
    if not (trigram and parsed.unknown):
        return queryset.filter(search_vector=every).annotate(**{RANK: rank})
    # The unknown words, misspelt: whole words anywhere, or near enough in a title.
    words = " ".join(parsed.unknown)
    found = Q(search_vector=_tsquery([(w,) for w in parsed.unknown]))
    found |= Q(search_title__trigram_word_similar=words)
    if parsed.pieces:
        found &= Q(search_vector=_tsquery(parsed.pieces))
    return queryset.filter(found).annotate(
        **{RANK: rank + TrigramWordSimilarity(words, "search_title")}
    )


def _portable_search(queryset, parsed: Parsed):
    found = Q()
    for piece in parsed.required:
        pattern = f" {' '.join(piece)} "
        holds = Q()
        for column, _weight, _rank in COLUMNS:
            holds |= Q(**{f"{column}__contains": pattern})
        found &= holds
    whens = []
    phrase = f" {' '.join(parsed.words)} "
    for column, _weight, weight in COLUMNS:
        whens.append(When(Q(**{f"{column}__contains": phrase}), then=Value(3 * weight)))
    rank = Case(*whens, default=Value(0.0), output_field=FloatField())
    for piece in parsed.required:
        pattern = f" {' '.join(piece)} "
        factor = 1 + CONCEPT_BONUS if piece in parsed.pieces and parsed.unknown else 1
        rank = rank + Case(
            *(
                When(Q(**{f"{column}__contains": pattern}), then=Value(factor * weight))
                for column, _w, weight in COLUMNS
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return queryset.filter(found).annotate(**{RANK: rank})


def search(queryset, q: str | None, *, engine: str | None = None):
    """``queryset`` narrowed to what ``q`` finds, annotated with ``search_rank`` (unordered).

    ``engine`` is "postgresql" or "portable"; by default the database's own.
    """
    parsed = parse(q)
    if not parsed:
        return queryset
    engine = engine or ("postgresql" if connection.vendor == "postgresql" else "portable")
    run = _pg_search if engine == "postgresql" else _portable_search
    found = run(queryset, parsed)
    if not parsed.unknown or found.exists():
        return found
    corrected = parse(q, correct=True)
    if engine == "postgresql":
        return _pg_search(queryset, corrected, trigram=True)
    return _portable_search(queryset, corrected)


def ranked(queryset):
    """Most relevant first, then the newest (the newest only, when nothing was searched)."""
    if RANK not in queryset.query.annotations:
        return queryset.order_by("-created_at", "-id")
    return queryset.order_by(f"-{RANK}", "-created_at", "-id")


# --- writing the documents of many listings ------------------------------------------------


def reindex(model, *, using: str = "default", batch: int = 2000, ids=None) -> int:
    """Write the search columns of every listing (or of ``ids``) of ``model`` (the model, or
    a migration's historical model): one pass over plain values, in batches."""
    related = {name: model._meta.get_field(name).related_model for name in ("category", "product")}
    province_model = model._meta.get_field("province").related_model
    organization_model = model._meta.get_field("organization").related_model
    legacy_model = province_model._meta.get_field("legacy_names").related_model

    categories = {
        row["id"]: row
        for row in related["category"]
        .objects.using(using)
        .values("id", "parent_id", "name", "name_en", "synonyms")
    }
    products = {
        row[0]: row[1:]
        for row in related["product"].objects.using(using).values_list("id", "name", "name_en")
    }
    places: dict[int, list[str]] = {
        pk: [name, name_en]
        for pk, name, name_en in province_model.objects.using(using).values_list(
            "id", "name", "name_en"
        )
    }
    for province_id, name in legacy_model.objects.using(using).values_list("province_id", "name"):
        places[province_id].append(name)

    def lineage(category_id):
        seen = []
        while category_id is not None and category_id not in seen:
            seen.append(category_id)
            category_id = categories[category_id]["parent_id"]
        return [
            (categories[c]["name"], categories[c]["name_en"], categories[c]["synonyms"] or [])
            for c in seen
        ]

    rows = model.objects.using(using).order_by("pk")
    if ids is not None:
        rows = rows.filter(pk__in=list(ids))
    fields = (
        "pk",
        "title",
        "description",
        "title_en",
        "description_en",
        "product_id",
        "category_id",
        "province_id",
    )
    written, last = 0, 0
    while True:
        chunk = list(rows.filter(pk__gt=last).values(*fields, "organization_id")[:batch])
        if not chunk:
            return written
        names = dict(
            organization_model.objects.using(using)
            .filter(pk__in={row["organization_id"] for row in chunk})
            .values_list("pk", "name")
        )
        updated = []
        for row in chunk:
            listing = model(pk=row["pk"])
            columns = document(
                title=row["title"],
                description=row["description"],
                title_en=row["title_en"],
                description_en=row["description_en"],
                products=products.get(row["product_id"], ()),
                categories=lineage(row["category_id"]),
                places=[*places.get(row["province_id"], ()), names.get(row["organization_id"], "")],
            )
            for column, text in columns.items():
                setattr(listing, column, text)
            updated.append(listing)
        model.objects.using(using).bulk_update(updated, list(columns), batch_size=500)
        written += len(chunk)
        last = chunk[-1]["pk"]
