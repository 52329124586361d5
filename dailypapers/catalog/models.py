"""The catalogue: papers keyed by versionless arXiv id, their ordered authors and categories.

The database is the truth; search indexes are derived from these tables. Counters that the
community app maintains (`upvotes`, `num_comments`, `hotness`) live on Paper so that the
daily and trending lists are index scans on one table.
"""

from __future__ import annotations

from django.db import connections, models
from django.urls import reverse

from .listings import is_replacement


def visible_filter(prefix: str = "") -> models.Q:
    """What makes a paper visible (not hidden by a moderator), as a filter on a relation:
    `Vote.objects.filter(visible_filter("paper__"))`. Paper.objects.visible() applies it."""
    return models.Q(**{f"{prefix}hidden": False})


def hidden_filter(prefix: str = "") -> models.Q:
    """Its complement: papers a moderator hid (Paper.objects.hidden())."""
    return models.Q(**{f"{prefix}hidden": True})


class PaperQuerySet(models.QuerySet):
    def visible(self) -> PaperQuerySet:
        """Papers the site shows: every list, page, feed, digest and API answer starts here."""
        return self.filter(visible_filter())

    def hidden(self) -> PaperQuerySet:
        """Papers a moderator hid: those visible() leaves out (few; an index holds only them)."""
        return self.filter(hidden_filter())

    def hidden_among(self, ids) -> set[int]:
        """Those of `ids` a moderator hid, found in the index that holds only hidden papers. Filtered
        by id first, the databases read each paper's row instead: 1.4 ms for 101 random ids at 75k
        papers on SQLite, 0.3 ms this way (`+` keeps SQLite off the primary key); PostgreSQL gets
        the ids as one array (1.7 → 1.3 ms)."""
        ids = [int(i) for i in ids]
        if not ids:
            return set()
        column = f'"{self.model._meta.db_table}"."{self.model._meta.pk.column}"'
        if connections[self.db].vendor == "postgresql":
            where, params = f"{column} = ANY(%s)", [ids]
        else:
            where, params = f"+{column} IN ({', '.join(['%s'] * len(ids))})", ids
        return set(self.hidden().extra(where=[where], params=params).values_list("pk", flat=True))

    def featured(self) -> PaperQuerySet:
        """Visible papers on the daily feed (featured on some day)."""
        return self.visible().filter(featured_on__isnull=False)


class Paper(models.Model):
    arxiv_id = models.CharField(
        max_length=40, unique=True, help_text="Versionless arXiv id, e.g. 2503.11731 or hep-th/9901001."
    )
    version = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Latest known version; empty when the source did not say."
    )
    title = models.TextField()
    abstract = models.TextField(blank=True)
    # "A. Author, B. Author" in order, kept in step with PaperAuthor by the upsert so that
    # lists render and keyword search indexes authors without a join.
    authors_text = models.TextField(blank=True)
    categories = models.JSONField(default=list, blank=True, help_text="arXiv categories, primary first.")
    primary_category = models.CharField(max_length=32, blank=True, db_index=True)
    published = models.DateTimeField(null=True, blank=True, help_text="When the first version was submitted.")
    updated = models.DateTimeField(null=True, blank=True, help_text="When the latest version was submitted.")
    listing_date = models.DateField(
        null=True, blank=True, db_index=True, help_text="The day the paper appeared in the arXiv listing."
    )
    comment = models.TextField(blank=True)
    journal_ref = models.TextField(blank=True)
    doi = models.CharField(max_length=255, blank=True)
    code_url = models.URLField(
        max_length=500, blank=True, help_text="Code repository found in the abstract or comment."
    )
    project_url = models.URLField(
        max_length=500, blank=True, help_text="Project page found in the abstract or comment."
    )

    featured_on = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text="The day the paper joined the daily feed; empty when not featured.",
    )
    featured_reason = models.CharField(
        max_length=200, blank=True, help_text="Why the paper is on the daily feed, shown on its card."
    )

    upvotes = models.IntegerField(default=0)
    num_comments = models.IntegerField(default=0)
    hotness = models.FloatField(default=0.0, db_index=True)
    hidden = models.BooleanField(default=False, help_text="Hidden by a moderator: not listed, its page answers 404.")
    # Best first, as PaperKeyword rows hold them too: lists and the API read this column, so a
    # page of cards needs no join; PaperKeyword answers "which papers have this keyword".
    keywords = models.JSONField(
        null=True,
        blank=True,
        help_text="Keywords extracted from the title and abstract (catalog/keywords.py); empty until extracted.",
    )
    is_replacement = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Listed as a new version of an older paper, not a new submission (catalog/listings.py).",
    )

    source = models.CharField(
        max_length=16, blank=True, help_text="Where the latest metadata came from (arxiv, oai, file, hf)."
    )
    content_hash = models.CharField(
        max_length=64,
        blank=True,
        help_text="Hash of the ingested metadata: re-ingesting the same record changes nothing.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = PaperQuerySet.as_manager()

    class Meta:
        indexes = [
            # A feed day in its order (catalog.feed.SORTS["upvotes"]): a day's top N is N index entries.
            models.Index(fields=["featured_on", "-upvotes", "is_replacement", "arxiv_id"], name="paper_feed_day_order"),
            models.Index(fields=["-listing_date", "arxiv_id"], name="paper_listing_order"),
            # The hidden papers alone: search drops them from its meaning hits by this index, as it
            # reads the hits' vectors (search.vectors), not by reading each hit's row.
            models.Index(fields=["id"], condition=hidden_filter(), name="paper_hidden"),
        ]

    def __str__(self) -> str:
        return f"{self.arxiv_id}: {self.title[:80]}"

    def save(self, *args, **kwargs):
        if self._state.adding:  # papers made one by one (the admin, tests); the ingest sets it in bulk
            self.is_replacement = is_replacement(self.arxiv_id, self.listing_date)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("catalog:paper", kwargs={"arxiv_id": self.arxiv_id})

    @property
    def versioned_id(self) -> str:
        return f"{self.arxiv_id}v{self.version}" if self.version else self.arxiv_id

    @property
    def abs_url(self) -> str:
        return f"https://arxiv.org/abs/{self.versioned_id}"

    @property
    def pdf_url(self) -> str:
        return f"https://arxiv.org/pdf/{self.versioned_id}"

    @property
    def author_names(self) -> list[str]:
        return [name for name in self.authors_text.split(", ") if name] if self.authors_text else []


class Author(models.Model):
    """A name as arXiv lists it. Variants of one person's name point at one canonical row
    (`canonical`), whose `slug` is the author page's address (catalog/authors.py merges them)."""

    name = models.CharField(max_length=300, unique=True)
    slug = models.SlugField(
        max_length=200, unique=True, null=True, blank=True, help_text="The author page's address: /authors/<slug>."
    )
    canonical = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="variants",
        help_text="The row this name is a variant of; empty for a canonical name.",
    )
    match_key = models.CharField(
        max_length=64,
        blank=True,
        default="",
        db_index=True,
        help_text="First initial and last name, folded (catalog/authors.py): the names that may be one person.",
    )

    def __str__(self) -> str:
        return self.name


class PaperAuthor(models.Model):
    # No index of its own on paper: the unique (paper, position) index serves lookups by paper,
    # and a second one only cost every ingested author row another B-tree insert.
    paper = models.ForeignKey(Paper, on_delete=models.CASCADE, related_name="authorships", db_index=False)
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="authorships")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["paper", "position"], name="paperauthor_unique_position")]


class PaperCategory(models.Model):
    """One row per (paper, category), so a category filter is an index lookup on both databases."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="category_rows", db_index=False
    )  # see PaperAuthor
    category = models.CharField(max_length=32)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["paper", "category"], name="papercategory_unique")]
        indexes = [models.Index(fields=["category", "paper"], name="papercategory_by_category")]


class PaperKeyword(models.Model):
    """One row per (paper, keyword), so a topic page (`/topics/<keyword>`) and a keyword follow
    are index lookups. Written only by catalog.keywords.save_keywords, with Paper.keywords."""

    paper = models.ForeignKey(
        Paper, on_delete=models.CASCADE, related_name="keyword_rows", db_index=False
    )  # see PaperAuthor
    keyword = models.CharField(max_length=120, help_text="Lower case, words separated by one space.")
    position = models.PositiveSmallIntegerField(help_text="0 for the best keyword.")
    score = models.FloatField(help_text="Cosine similarity of the keyword's embedding to the paper's.")

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["paper", "keyword"], name="paperkeyword_unique")]
        indexes = [models.Index(fields=["keyword", "paper"], name="paperkeyword_by_keyword")]
