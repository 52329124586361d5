"""File ingest: our format, the snapshot format, gzip, malformed lines, idempotency, versions."""

from __future__ import annotations

import datetime as dt
import gzip
import json

import pytest
from django.core.management import call_command

from dailypapers.catalog.models import Paper, PaperAuthor, PaperCategory
from dailypapers.catalog.signals import papers_ingested
from dailypapers.ingest.records import PaperRecord
from dailypapers.ingest.upsert import upsert_records

from .dump import dump

pytestmark = pytest.mark.django_db(transaction=False)


def ingest(*args) -> int:
    try:
        call_command("ingest", "--no-progress", *[str(a) for a in args])
    except SystemExit as exit_:
        return exit_.code
    return 0


def test_our_format(data_dir):
    assert ingest("file", data_dir / "ours.jsonl") == 0
    paper = Paper.objects.get(arxiv_id="2501.00001")
    assert paper.title == "Sparse Mixtures of Tiny Experts"
    assert paper.authors_text == "Ada Lovelace, Alan Turing"
    assert [pa.author.name for pa in paper.authorships.all()] == ["Ada Lovelace", "Alan Turing"]
    assert paper.categories == ["cs.LG", "cs.AI"] and paper.primary_category == "cs.LG"
    assert list(paper.category_rows.values_list("category", flat=True)) == ["cs.LG", "cs.AI"]
    assert paper.listing_date == dt.date(2025, 1, 3)
    assert paper.featured_on == dt.date(2025, 1, 3) and paper.featured_reason == "New in cs.LG"
    assert paper.code_url == "https://github.com/tiny-lab/sparse-moe"
    assert paper.project_url == "https://tiny-lab.github.io/sparse-moe/"
    other = Paper.objects.get(arxiv_id="2501.00002")
    assert (other.code_url, other.project_url) == (
        "https://huggingface.co/datasets/rg/bench",
        "https://reading-bench.org",
    )
    assert Paper.objects.get(arxiv_id="hep-th/9901001").primary_category == "hep-th"
    assert PaperAuthor.objects.filter(author__name="Ada Lovelace").count() == 2


def test_snapshot_format_gzip_and_since(data_dir, tmp_path):
    packed = tmp_path / "snap.json.gz"
    packed.write_bytes(gzip.compress((data_dir / "snapshot.jsonl").read_bytes()))
    assert ingest("file", packed) == 0
    paper = Paper.objects.get(arxiv_id="0704.0001")
    assert paper.version == 2
    assert paper.authors_text == "C. Balázs, E. L. Berger, P. M. Nadolsky, C. -P. Yuan"
    assert paper.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert paper.published == dt.datetime(2007, 4, 2, 19, 18, 42, tzinfo=dt.UTC)
    assert paper.updated == dt.datetime(2007, 7, 24, 20, 10, 27, tzinfo=dt.UTC)
    assert paper.listing_date == dt.date(2007, 4, 4)  # Mon 15:18 EDT: after the cut-off, listed Wednesday
    assert (paper.journal_ref, paper.doi) == ("Phys.Rev.D76:013009,2007", "10.1103/PhysRevD.76.013009")
    old = Paper.objects.get(arxiv_id="math/0611001")
    assert old.categories == ["math.GT", "math.AG"] and old.code_url == "https://gitlab.com/people/knots"
    Paper.objects.all().delete()
    assert ingest("file", data_dir / "ours.jsonl", "--since", "2025-01-06") == 0
    assert list(Paper.objects.values_list("arxiv_id", flat=True)) == ["2501.00003"]


def test_malformed_lines_are_reported_and_skipped(data_dir, capsys):
    assert ingest("file", data_dir / "bad.jsonl") == 3
    err = capsys.readouterr().err
    path = data_dir / "bad.jsonl"
    assert f"{path}:2: field '(line)': not valid JSON" in err
    broken = path.read_text().splitlines()[1]
    assert f"not valid JSON: unexpected end of data at column {len(broken) + 1}" in err  # where the line stops
    assert f"{path}:3: field 'title': missing" in err
    assert f"{path}:4: field 'id': not an arXiv id" in err
    assert f"{path}:5: field 'listing_date': not a date" in err
    assert "4 malformed records were skipped" in err
    assert sorted(Paper.objects.values_list("arxiv_id", flat=True)) == ["2502.00010", "2502.00015"]


def test_gzip_members_crlf_and_bytes_that_are_not_utf8(data_dir, tmp_path):
    lines = (data_dir / "ours.jsonl").read_bytes().splitlines()
    lines[1] = lines[1].replace(b"A Benchmark", b"A \xff Benchmark")  # a byte that is not UTF-8
    packed = tmp_path / "two-members.jsonl.gz"  # `cat a.gz b.gz`, Windows line ends
    packed.write_bytes(gzip.compress(b"\r\n".join(lines[:2]) + b"\r\n") + gzip.compress(b"\r\n".join(lines[2:])))
    assert ingest("file", packed) == 0
    assert Paper.objects.count() == len(lines)
    assert Paper.objects.get(arxiv_id="2501.00002").title.startswith("A \ufffd Benchmark")


def test_truncated_gzip_keeps_what_came_before_and_says_so(data_dir, tmp_path, capsys):
    whole = gzip.compress((data_dir / "ours.jsonl").read_bytes() * 40, mtime=0)
    # 40 copies of 4 papers: the same 4 papers; cut near the end of the compressed stream.
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(whole[:-12])
    assert ingest("file", cut) == 3
    err = capsys.readouterr().err
    assert f"{cut}:" in err and "field '(file)': the gzip data ends early: the file is truncated" in err
    assert Paper.objects.count() == 4


def test_limit(data_dir):
    assert ingest("file", data_dir / "ours.jsonl", "--limit", "2") == 0
    assert Paper.objects.count() == 2


def test_reingest_changes_nothing(data_dir):
    received = []
    handler = lambda sender, created_ids, updated_ids, **kw: received.append((len(created_ids), len(updated_ids)))  # noqa: E731
    papers_ingested.connect(handler, weak=False)
    try:
        ingest("file", data_dir / "ours.jsonl")
        ingest("file", data_dir / "snapshot.jsonl")
        before = dump(with_times=True)
        ingest("file", data_dir / "ours.jsonl")
        ingest("file", data_dir / "snapshot.jsonl")
        assert dump(with_times=True) == before
    finally:
        papers_ingested.disconnect(handler)
    assert received == [(4, 0), (2, 0)]  # nothing sent for the re-runs: nothing changed


def _record(version, title, **extra):
    return PaperRecord(
        arxiv_id="2503.00042",
        version=version,
        title=title,
        authors=["A One", "B Two"],
        categories=["cs.CL"],
        listing_date=dt.date(2025, 3, 4),
        source="arxiv",
        **extra,
    )


def test_newer_version_updates_older_never_downgrades():
    upsert_records([_record(1, "First title")])
    paper = Paper.objects.get()
    paper.upvotes, paper.featured_on = 7, dt.date(2025, 3, 10)  # community state must survive updates
    paper.save()
    stats = upsert_records([_record(2, "Second title", comment="code https://github.com/x/y")])
    assert (stats.updated, stats.created) == (1, 0)
    paper.refresh_from_db()
    assert (paper.version, paper.title, paper.code_url) == (2, "Second title", "https://github.com/x/y")
    assert (paper.upvotes, paper.featured_on) == (7, dt.date(2025, 3, 10))
    stats = upsert_records([_record(1, "First title")])
    assert stats.ignored_older == 1
    assert Paper.objects.get().title == "Second title"


def test_changed_authors_and_categories_are_rewritten():
    upsert_records([_record(1, "T")])
    changed = _record(2, "T")
    changed.authors, changed.categories = ["B Two", "C Three"], ["cs.LG", "cs.CL"]
    upsert_records([changed])
    paper = Paper.objects.get()
    assert paper.authors_text == "B Two, C Three"
    assert list(paper.authorships.values_list("author__name", "position")) == [("B Two", 0), ("C Three", 1)]
    assert list(PaperCategory.objects.values_list("category", flat=True)) == ["cs.LG", "cs.CL"]


def test_two_versions_in_one_batch_keep_the_newest():
    upsert_records([_record(3, "Three"), _record(2, "Two")])
    assert Paper.objects.get().version == 3


def test_missing_file_is_a_clear_error(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("ingest", "file", str(tmp_path / "nope.jsonl"))


def test_unversioned_does_not_override_versioned(tmp_path):
    upsert_records([_record(2, "From the API")])
    line = {
        "id": "2503.00042",
        "title": "From a file",
        "authors": [],
        "categories": ["cs.CL"],
        "listing_date": "2025-03-04",
    }
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps(line) + "\n")
    assert ingest("file", path) == 0
    assert Paper.objects.get().title == "From the API"


def test_paper_inserted_meanwhile_by_another_ingest_is_left_alone(monkeypatch):
    upsert_records([_record(1, "Inserted by the other process")])
    # Our batch's select ran before the other ingest committed: it does not see the paper.
    monkeypatch.setattr("dailypapers.ingest.upsert._existing", lambda ids: [])
    stats = upsert_records([_record(1, "Ours")])
    assert (stats.created, stats.unchanged) == (0, 1)
    paper = Paper.objects.get()
    assert paper.title == "Inserted by the other process"
    assert paper.authorships.count() == 2  # no duplicate author rows


@pytest.mark.django_db(transaction=True)  # the foreign key check runs at the real commit
def test_an_author_deleted_between_batches_is_looked_up_again():
    from dailypapers.catalog.models import Author

    second = PaperRecord(
        arxiv_id="2503.00043",
        version=1,
        title="Second",
        authors=["A One", "C Three"],
        categories=["cs.CL"],
        listing_date=dt.date(2025, 3, 4),
        source="arxiv",
    )

    def after_batch(count, stats):  # an admin deletes an author the run has already resolved
        if Paper.objects.count() == 1:
            Author.objects.filter(name="A One").delete()

    stats = upsert_records([_record(1, "First"), second], batch_size=1, on_batch=after_batch)
    assert stats.created == 2
    paper = Paper.objects.get(arxiv_id="2503.00043")
    assert list(paper.authorships.values_list("author__name", flat=True)) == ["A One", "C Three"]
    assert Author.objects.filter(name="A One").count() == 1


def test_progress_bar_on_stderr(data_dir, capsys):
    call_command("ingest", "file", str(data_dir / "ours.jsonl"))
    err = capsys.readouterr().err
    assert "4/4" in err and "records/s" in err  # count of total, and the rate (tqdm adds the ETA)
