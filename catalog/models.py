"""The shared vocabulary: geography, products, certifications, units and sources.

This app imports no other app of the project. Every name a person searches for keeps a
folded copy (``search_text``) so that look-ups ignore diacritics on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from catalog.text import fold, fold_compact, search_blob


class Source(models.Model):
    """Where a seeded fact came from: a news article or a public register."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    outlet = models.CharField(_("outlet"), max_length=200)
    title = models.CharField(_("title"), max_length=300)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-published_on", "outlet"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        date = self.published_on.isoformat() if self.published_on else "n.d."
        return f"{self.outlet} ({date}): {self.title}"


class Region(models.Model):
    """One of Vietnam's six socio-economic regions."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class ProvinceQuerySet(models.QuerySet):
    def search(self, q: str | None) -> ProvinceQuerySet:
        """Current, legacy, English and unaccented names: "Kon Tum" finds Quảng Ngãi."""
        folded = fold(q)
        if not folded:
            return self
        compact = folded.replace(" ", "")
        return self.filter(
            models.Q(search_text__icontains=folded)
            | models.Q(code=folded)
            | models.Q(legacy_names__folded__icontains=folded)
            | models.Q(legacy_names__compact__icontains=compact)
        ).distinct()

    def resolve(self, value: str | None) -> Province | None:
        """The one province a typed name or code stands for, or ``None``.

        Exact matches only (code, current, English or legacy name, ignoring diacritics, spaces
        and the "Tỉnh"/"Thành phố" prefix), so that an import never guesses.
        """
        compact = fold_compact(value)
        if not compact:
            return None
        for prefix in ("thanhpho", "tinh", "tp"):
            if compact.startswith(prefix) and len(compact) > len(prefix) + 2:
                stripped = compact[len(prefix) :]
                found = self._resolve_compact(stripped)
                if found:
                    return found
        return self._resolve_compact(compact)

    def _resolve_compact(self, compact: str) -> Province | None:
        hit = self.filter(models.Q(code=compact) | models.Q(compact=compact)).first()
        if hit:
            return hit
        hit = self.filter(compact_en=compact).first()
        if hit:
            return hit
        legacy = LegacyName.objects.filter(compact=compact).select_related("province").first()
        return legacy.province if legacy else None


class Province(models.Model):
    """A province-level unit in force since 1 July 2025 (34 of them)."""

    class Kind(models.TextChoices):
        CITY = "city", _("Centrally-run city")
        PROVINCE = "province", _("Province")

    code = models.CharField(_("official code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="provinces", verbose_name=_("region")
    )
    latitude = models.FloatField(_("centre latitude"))
    longitude = models.FloatField(_("centre longitude"))
    compact = models.CharField(max_length=100, editable=False, db_index=True)
    compact_en = models.CharField(max_length=100, editable=False, db_index=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)

    objects = ProvinceQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.compact = fold_compact(self.name)
        self.compact_en = fold_compact(self.name_en)
        self.search_text = search_blob(self.name, self.name_en, self.code)
        super().save(*args, **kwargs)


class LegacyName(models.Model):
    """A name that still points to a current province: a pre-2025 province, a spelling, or a
    pre-2025 city, town or urban district people still name their place by."""

    class Kind(models.TextChoices):
        LEGACY_PROVINCE = "legacy", _("Province before 1 July 2025")
        SPELLING = "spelling", _("Common spelling or abbreviation")
        PLACE = "place", _("City, town or district before 1 July 2025")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    legacy_code = models.CharField(_("pre-2025 code"), max_length=2, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.CASCADE, related_name="legacy_names", verbose_name=_("province")
    )
    folded = models.CharField(max_length=100, editable=False, db_index=True)
    compact = models.CharField(max_length=100, editable=False, unique=True)

    class Meta:
        ordering = ["province__code", "kind", "name"]
        verbose_name = _("legacy name")
        verbose_name_plural = _("legacy names")

    def __str__(self) -> str:
        return f"{self.name} → {self.province.name}"

    def save(self, *args, **kwargs):
        self.folded = fold(self.name)
        self.compact = fold_compact(self.name)
        super().save(*args, **kwargs)


class ProductCategoryQuerySet(models.QuerySet):
    def search(self, q: str | None) -> ProductCategoryQuerySet:
        folded = fold(q)
        return self.filter(search_text__icontains=folded) if folded else self


class ProductCategory(models.Model):
    """A node of the product tree: an OCOP group, a family ("coffee"), a variety ("robusta")."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    synonyms = models.JSONField(
        _("synonyms"),
        default=list,
        blank=True,
        help_text=_("Other names in Vietnamese and English, e.g. “cà phê vối” for robusta."),
    )
    ocop_group = models.BooleanField(_("OCOP product group"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    search_text = models.TextField(editable=False, blank=True)

    objects = ProductCategoryQuerySet.as_manager()

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_blob(self.name, self.name_en, self.slug, *self.synonyms)
        super().save(*args, **kwargs)

    def descendant_ids(self) -> list[int]:
        """This category and everything below it (a tree of a few hundred nodes)."""
        ids, frontier = [self.pk], [self.pk]
        while frontier:
            frontier = list(
                ProductCategory.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
            )
            ids.extend(frontier)
        return ids

    def ancestors(self) -> list[ProductCategory]:
        chain, node = [], self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain


class Certification(models.Model):
    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=120)
    name_en = models.CharField(_("English name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name


class Unit(models.Model):
    """A unit of quantity, with its factor to the base unit of its dimension."""

    class Dimension(models.TextChoices):
        MASS = "mass", _("Mass (base: kg)")
        VOLUME = "volume", _("Volume (base: litre)")
        COUNT = "count", _("Count (base: piece)")

    code = models.SlugField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=10, choices=Dimension.choices)
    factor = models.DecimalField(
        _("factor to base unit"),
        max_digits=14,
        decimal_places=6,
        help_text=_("How many base units one of this unit is: tấn = 1000 kg."),
    )
    aliases = models.JSONField(_("aliases"), default=list, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["dimension", "order", "code"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def short_name_en(self) -> str:
        """The English name without what the unit weighs: "quintal", not "quintal (100 kg)"."""
        return self.name_en.split(" (", 1)[0]

    @classmethod
    def resolve(cls, value: str | None) -> Unit | None:
        """A unit by code or alias, ignoring case and diacritics: "tấn", "tan", "tonne"."""
        key = fold(value)
        if not key:
            return None
        for unit in cls.objects.all():
            if key == unit.code or key in {fold(a) for a in unit.aliases}:
                return unit
        return None


class Product(models.Model):
    """A named good: an OCOP product or a specialty of a province."""

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200)
    category = models.ForeignKey(
        ProductCategory,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("category"),
    )
    origin_province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        related_name="products",
        verbose_name=_("origin province"),
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("OCOP stars"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
    )
    ocop_year = models.PositiveSmallIntegerField(_("OCOP rating year"), null=True, blank=True)
    geographical_indication = models.BooleanField(_("geographical indication"), default=False)
    description = models.TextField(_("description"), blank=True)
    source = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("source"),
    )
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.UniqueConstraint(fields=["name", "origin_province"], name="product_unique_name"),
            models.CheckConstraint(
                condition=models.Q(ocop_stars__isnull=True) | models.Q(ocop_stars__range=(3, 5)),
                name="product_ocop_stars_3_5",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = search_blob(self.name, self.name_en)
        super().save(*args, **kwargs)
