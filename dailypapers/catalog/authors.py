"""Author names: their page addresses (slugs) and the conservative merging of one person's
name variants onto one canonical row.

arXiv lists names as submitters type them, so one person appears as "José García", "Jose
Garcia" and "J. Garcia". Each spelling is its own `Author` row (the name is the key the
ingest upserts by); a variant points at its canonical row through `Author.canonical`, and
`/authors/<slug of a variant>` redirects to the canonical page.

Names are compared by their tokens: folded (case, accents, letters such as ł and ø, hyphens,
dots and apostrophes ignored) and split into ASCII words, so "Tat-Seng Chua" is
(tat, seng, chua). `Author.match_key` (first initial and last word, "t chua") groups the
names that could be the same person; it is indexed, so the ingest finds a new name's group
with one query. Inside a group two names are merged only when

- their tokens are equal (a spelling variant) and they share a co-author or a primary
  category (their papers' primary categories); or
- one has initials where the other has words ("J. Garcia" / "Jose Garcia"), it matches only
  that one full spelling in the group (not also "Juan Garcia"), and they share a co-author;
- and never when the two names sign the same paper (two people), nor on the name alone:
  two "Jose Garcia" whose co-authors never touch and whose fields differ stay apart.

Co-authors are compared by their tokens too, so a co-author's own variants still meet.
The canonical row of merged names is a full spelling rather than initials, then the one with
most papers, then the longer spelling. Slugs are the tokens joined by hyphens ("jose-garcia"); a second
person with the same slug base gets "-2", "-3"; a slug, once given, never changes.

Names become links to these pages through catalog/author_links.py.
`plan_new_authors` and `merge_new_authors` run inside each ingest batch (a fixed number of
queries per batch); `rebuild_authors` (`dailypapers authors rebuild`) redoes every group.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q

from .models import Author, Paper, PaperAuthor
from .pagecache import papers_changed

SLUG_MAX = Author._meta.get_field("slug").max_length
# Room for a collision suffix ("-12") under the column's length.
SLUG_BASE_MAX = SLUG_MAX - 8
# Ids per IN (…) list: under SQLite's 32,766 bound parameters, and short enough for PostgreSQL's planner.
CHUNK = 5000
# Letters NFKD leaves alone: they have no combining-mark decomposition.
_LETTERS = str.maketrans({"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "æ": "ae", "œ": "oe", "ß": "ss", "þ": "th"})
_WORD = re.compile(r"[a-z0-9]+")


def fold_name(name: str) -> str:
    """Lower case, no accents, single spaces, hyphens as spaces: "Tat-Seng Chua" → "tat seng chua"."""
    text = unicodedata.normalize("NFKD", name.casefold().translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.replace("-", " ").replace(".", " ").split())


@functools.lru_cache(maxsize=100_000)  # a batch meets most co-authors' names many times
def name_tokens(name: str) -> tuple[str, ...]:
    """The name's ASCII words: "Moreno D'Incà" → ("moreno", "dinca")."""
    return tuple(_WORD.findall(fold_name(name).replace("'", "").replace("’", "")))


def slug_base(name: str) -> str:
    """The slug before any collision suffix; empty for a name without Latin letters or digits."""
    return "-".join(name_tokens(name))[:SLUG_BASE_MAX].strip("-")


def match_key(name: str) -> str:
    """First initial and last word ("j garcia"): the names that might be one person share it."""
    tokens = name_tokens(name)
    return f"{tokens[0][0]} {tokens[-1]}"[:64] if tokens else ""


def _has_initials(tokens: tuple[str, ...]) -> bool:
    return any(len(token) == 1 for token in tokens[:-1])


def _initials_match(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether `short` ("j", "garcia") abbreviates `full` ("jose", "garcia") word by word."""
    if len(short) != len(full) or short[-1] != full[-1] or short == full:
        return False
    return all(s == f or (len(s) == 1 and f.startswith(s)) for s, f in zip(short[:-1], full[:-1], strict=True))


# --- slugs --------------------------------------------------------------------------------
def _free_slug(base: str, taken: set[str]) -> str:
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    taken.add(slug)
    return slug


def _taken_slugs(bases: Iterable[str], keys: Iterable[str]) -> set[str]:
    """Slugs already given that a new name with one of these bases could collide with: those of
    the names sharing a match key (every suffixed "jose-garcia-2" is among them) and the bases."""
    bases, keys = list(set(bases)), list(set(keys))
    taken: set[str] = set()
    for start in range(0, max(len(bases), len(keys)), CHUNK):
        query = Q(match_key__in=keys[start : start + CHUNK])
        if bases[start : start + CHUNK]:
            query |= Q(slug__in=bases[start : start + CHUNK])
        taken.update(Author.objects.filter(query, slug__isnull=False).values_list("slug", flat=True))
    return taken


@dataclass
class NewAuthors:
    """What the ingest inserts for new names: `rows` (name, match_key, slug), and `merge_keys`,
    the match keys of groups where a new name may be a variant of another name (the same
    words, or initials of the other's), which `merge_new_authors` examines."""

    rows: list[tuple[str, str, str | None]]
    merge_keys: set[str]


def _abbreviations(tokens: tuple[str, ...]) -> list[str]:
    """The slug bases of `tokens` written with initials: (jose, maria, garcia) → j-maria-garcia,
    jose-m-garcia, j-m-garcia. Names of more than five words are not abbreviated (rare)."""
    firsts = tokens[:-1]
    if not firsts or len(firsts) > 4:
        return []
    combos = itertools.product(*[(word, word[0]) if len(word) > 1 else (word,) for word in firsts])
    return ["-".join((*combo, tokens[-1]))[:SLUG_BASE_MAX].strip("-") for combo in combos if combo != firsts]


def plan_new_authors(names: Iterable[str]) -> NewAuthors:
    """Slugs and match keys for names about to be inserted, and which groups to merge, from the
    unique slug index (a slug is the name's words, then maybe "-2"): one query for the new
    names' slug bases and their spellings with initials, one more for the suffixes of the
    bases already taken. Only a name with initials reads its whole match-key group. A name
    without Latin letters gets its slug from its id later (`merge_new_authors`); so does one
    whose slug another ingest took meanwhile (the insert skips it, ingest/upsert.py)."""
    names = sorted(set(names))
    keys = {name: match_key(name) for name in names}
    tokens_of = {name: name_tokens(name) for name in names}
    bases = {name: slug_base(name) for name in names}
    short_keys = list({keys[n] for n in names if _has_initials(tokens_of[n])})
    wanted = list({b for b in bases.values() if b} | {a for n in names for a in _abbreviations(tokens_of[n])})
    found: set[str] = set()
    spellings: dict[str, set[tuple[str, ...]]] = defaultdict(set)  # groups of the names with initials
    # Two queries, not one with OR: SQLite scanned the whole table for slug IN … OR match_key IN ….
    for start in range(0, len(wanted), CHUNK):
        found.update(Author.objects.filter(slug__in=wanted[start : start + CHUNK]).values_list("slug", flat=True))
    for start in range(0, len(short_keys), CHUNK):
        rows = Author.objects.filter(match_key__in=short_keys[start : start + CHUNK], slug__isnull=False)
        for slug, key in rows.values_list("slug", "match_key"):
            words = slug.split("-")
            spellings[key].add(tuple(words[:-1] if len(words) > 2 and words[-1].isdigit() else words))
    taken = set(found)
    collided = sorted({b for b in bases.values() if b in found})
    for start in range(0, len(collided), 200):
        # "jose-garcia-2", … as index ranges ('.' follows '-'): LIKE 'x-%' is case-insensitive
        # in SQLite and cannot use the slug index.
        suffixed = Q()
        for base in collided[start : start + 200]:
            suffixed |= Q(slug__gt=f"{base}-", slug__lt=f"{base}.")
        taken.update(Author.objects.filter(suffixed).values_list("slug", flat=True))
    merge_keys = set()
    rows = []
    seen = set(found)  # slug bases present: stored, or earlier in this batch
    for name in names:
        key, base, tokens = keys[name], bases[name], tokens_of[name]
        slug = _free_slug(base, taken) if base else None
        # Only where this name can pair with another: the same words, or initials of the other's.
        if _has_initials(tokens):
            pairs = base in seen or any(_initials_match(tokens, t) for t in spellings[key])
        else:
            pairs = base in seen or any(a in seen for a in _abbreviations(tokens))
        if pairs and base:
            merge_keys.add(key)
        spellings[key].add(tokens)
        seen.add(base)
        rows.append((name, key, slug))
    return NewAuthors(rows=rows, merge_keys=merge_keys)


def new_author_rows(names: Iterable[str]) -> list[tuple[str, str, str | None]]:
    """(name, match_key, slug) for names about to be inserted (`plan_new_authors`)."""
    return plan_new_authors(names).rows


def assign_slugs(authors: list[tuple[int, str]], taken: set[str] | None = None) -> dict[int, str]:
    """Slugs for (id, name) pairs that have none, saved; returns {id: slug}."""
    if not authors:
        return {}
    bases = {pk: slug_base(name) or f"author-{pk}" for pk, name in authors}
    if taken is None:
        taken = _taken_slugs(bases.values(), [match_key(name) for _, name in authors])
    chosen = {pk: _free_slug(bases[pk], taken) for pk, _ in sorted(authors)}
    # A name with digits ("A. Smith 2") can hold another group's suffixed slug: choose again.
    clash = set(
        Author.objects.filter(slug__in=list(chosen.values()))
        .exclude(pk__in=list(chosen))
        .values_list("slug", flat=True)
    )
    if clash:
        taken |= clash
        chosen = {pk: slug if slug not in clash else _free_slug(bases[pk], taken) for pk, slug in chosen.items()}
    Author.objects.bulk_update([Author(pk=pk, slug=slug) for pk, slug in chosen.items()], ["slug"], batch_size=1000)
    return chosen


# --- merging ------------------------------------------------------------------------------
@dataclass
class _Name:
    pk: int
    name: str
    canonical_id: int | None
    tokens: tuple[str, ...] = ()
    papers: set[int] = field(default_factory=set)
    coauthors: set[tuple[str, ...]] = field(default_factory=set)
    categories: set[str] = field(default_factory=set)


@dataclass
class MergeReport:
    groups: int = 0  # match-key groups with more than one name, examined
    merged: int = 0  # names that are now a variant of another
    changed: int = 0  # rows whose canonical changed
    examples: list[tuple[str, str]] = field(default_factory=list)  # (variant, canonical)

    def add(self, other: MergeReport) -> None:
        self.groups += other.groups
        self.merged += other.merged
        self.changed += other.changed
        self.examples.extend(other.examples[: max(0, 20 - len(self.examples))])


def _load_evidence(names: dict[int, _Name]) -> None:
    """Each name's papers, co-authors (as tokens) and primary categories: three queries a chunk."""
    ids = list(names)
    if not ids:
        return
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        own = list(PaperAuthor.objects.filter(author_id__in=chunk).values_list("author_id", "paper_id"))
        by_paper: dict[int, list[int]] = defaultdict(list)
        for author_id, paper_id in own:
            names[author_id].papers.add(paper_id)
            by_paper[paper_id].append(author_id)
        papers = PaperAuthor.objects.filter(author_id__in=chunk).values("paper_id")
        for paper_id, coauthor in PaperAuthor.objects.filter(paper_id__in=papers).values_list(
            "paper_id", "author__name"
        ):
            tokens = name_tokens(coauthor)
            for author_id in by_paper[paper_id]:
                names[author_id].coauthors.add(tokens)
        for paper_id, category in Paper.objects.filter(id__in=papers).values_list("id", "primary_category"):
            for author_id in by_paper[paper_id]:
                if category:
                    names[author_id].categories.add(category)
    for name in names.values():
        name.coauthors.discard(name.tokens)  # a name is not its own co-author


def _candidate_pairs(group: list[_Name]) -> list[tuple[_Name, _Name, bool]]:
    """Pairs of the group whose names alone allow a merge: (a, b, same spelling). Most groups
    ("y wang": Yi, Yu, Yang… Wang) have none, and cost no further query."""
    by_tokens: dict[tuple[str, ...], list[_Name]] = defaultdict(list)
    for n in group:
        by_tokens[n.tokens].append(n)
    pairs = []
    for names in by_tokens.values():
        pairs += [(a, b, True) for i, a in enumerate(names) for b in names[i + 1 :]]
    full_spellings = [t for t in by_tokens if not _has_initials(t)]
    for short in [t for t in by_tokens if _has_initials(t)]:
        matches = [t for t in by_tokens if _initials_match(short, t)]
        # Unambiguous only: "J. Garcia" next to both "Jose" and "Juan Garcia" stays apart.
        if len(matches) == 1 and sum(_initials_match(short, t) for t in full_spellings) <= 1:
            pairs += [(a, b, False) for a in by_tokens[short] for b in by_tokens[matches[0]]]
    return pairs


def _components(group: list[_Name], pairs: list[tuple[_Name, _Name, bool]]) -> list[list[_Name]]:
    """The names of one match-key group that are one person, by the rules in the docstring."""
    parent = {n.pk: n.pk for n in group}

    def root(pk: int) -> int:
        while parent[pk] != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for a, b, same_spelling in pairs:
        if a.papers & b.papers:
            continue  # both sign one paper: two people
        # Co-authors other than the two names themselves (a co-author spelled like either
        # name would be the person, not a shared colleague).
        shared_coauthor = bool((a.coauthors & b.coauthors) - {a.tokens, b.tokens})
        if shared_coauthor or (same_spelling and a.categories & b.categories):
            parent[root(a.pk)] = root(b.pk)
    components: dict[int, list[_Name]] = defaultdict(list)
    for n in group:
        components[root(n.pk)].append(n)
    return list(components.values())


def _canonical(component: list[_Name]) -> _Name:
    return max(component, key=lambda n: (not _has_initials(n.tokens), len(n.papers), len(n.name), -n.pk))


def merge_groups(keys: Iterable[str]) -> MergeReport:
    """Recompute the merges of the names with these match keys; saves the changed rows."""
    report = MergeReport()
    keys = sorted(set(keys) - {""})
    for start in range(0, len(keys), CHUNK):
        rows = Author.objects.filter(match_key__in=keys[start : start + CHUNK]).values_list(
            "id", "name", "canonical_id", "match_key"
        )
        groups: dict[str, list[_Name]] = defaultdict(list)
        for pk, name, canonical_id, key in rows:
            groups[key].append(_Name(pk, name, canonical_id, name_tokens(name)))
        groups = {key: group for key, group in groups.items() if len(group) > 1}
        report.add(_merge(groups))
    return report


def _merge(groups: dict[str, list[_Name]]) -> MergeReport:
    report = MergeReport(groups=len(groups))
    pairs = {key: _candidate_pairs(group) for key, group in groups.items()}
    _load_evidence({n.pk: n for key in groups for pair in pairs[key] for n in pair[:2]})
    changed: list[Author] = []
    for key, group in groups.items():
        involved = {n.pk for pair in pairs[key] for n in pair[:2]}
        for n in group:
            if n.pk not in involved and n.canonical_id is not None:  # no longer a possible variant
                changed.append(Author(pk=n.pk, canonical_id=None))
        group = [n for n in group if n.pk in involved]
        for component in _components(group, pairs[key]):
            head = _canonical(component)
            for n in component:
                wanted = None if n is head else head.pk
                if n is not head:
                    report.merged += 1
                    if len(report.examples) < 20:
                        report.examples.append((n.name, head.name))
                if n.canonical_id != wanted:
                    changed.append(Author(pk=n.pk, canonical_id=wanted))
    Author.objects.bulk_update(changed, ["canonical"], batch_size=1000)
    report.changed = len(changed)
    return report


def merge_new_authors(
    authors: Iterable[tuple[int, str, str | None]], merge_keys: Iterable[str] | None = None
) -> MergeReport:
    """After an ingest batch linked its new names, given as (id, name, slug as inserted): slugs
    for those inserted without one, then the merges of the groups in `merge_keys`
    (`plan_new_authors`; without it, of every group of a new name that has other names)."""
    authors = list(authors)
    if not authors:
        return MergeReport()
    assign_slugs([(pk, name) for pk, name, slug in authors if slug is None])
    if merge_keys is not None:
        return merge_groups(merge_keys)
    keys = list({match_key(name) for _, name, _ in authors} - {""})
    shared: list[str] = []
    for start in range(0, len(keys), CHUNK):
        groups = Author.objects.filter(match_key__in=keys[start : start + CHUNK]).values("match_key")
        shared += groups.annotate(n=Count("id")).filter(n__gt=1).values_list("match_key", flat=True)
    return merge_groups(shared)


def rebuild_authors(*, progress: Callable[[int], None] | None = None, chunk: int = 2000) -> MergeReport:
    """Every author: match key and slug where missing (slugs given are kept), then every
    group's merges recomputed. Safe to interrupt and re-run: each step saves as it goes."""
    rows = Author.objects.order_by("id").values_list("id", "name", "match_key", "slug")
    missing_keys, unslugged, taken = [], [], set()
    for pk, name, key, slug in rows.iterator(chunk_size=10_000):
        wanted = match_key(name)
        if key != wanted:
            missing_keys.append(Author(pk=pk, match_key=wanted))
        if slug is None:
            unslugged.append((pk, name))
        else:
            taken.add(slug)
    Author.objects.bulk_update(missing_keys, ["match_key"], batch_size=1000)
    for start in range(0, len(unslugged), CHUNK):
        assign_slugs(unslugged[start : start + CHUNK], taken)
    shared = Author.objects.values("match_key").annotate(n=Count("id")).filter(n__gt=1)
    multi = list(shared.order_by("match_key").values_list("match_key", "n"))
    report = MergeReport()
    # A variant whose group shrank to one name (an author deleted) stands alone again.
    alone = Author.objects.filter(canonical__isnull=False).exclude(match_key__in=shared.values("match_key"))
    report.changed += alone.update(canonical=None)
    for start in range(0, len(multi), chunk):
        part = multi[start : start + chunk]
        report.add(merge_groups(key for key, _ in part))
        if progress:
            progress(sum(n for _, n in part))
    papers_changed()  # cached pages show the new links and merges
    return report
