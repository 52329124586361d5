"""Document frequencies come from the term-statistics table, and agree with counting."""

from __future__ import annotations

import pytest
from django.db import connection

from dailypapers.catalog.models import Paper
from dailypapers.search import keyword, term_statistics
from dailypapers.search.models import TermStatistic
from dailypapers.search.service import search_papers
from dailypapers.search.term_statistics import refresh_job, refresh_term_statistics, stored_frequency

pytestmark = pytest.mark.django_db

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only")
sqlite_only = pytest.mark.skipif("connection.vendor == 'postgresql'", reason="SQLite only")


@pytest.fixture
def every_stem_kept(monkeypatch):
    """SQLite keeps only stems in SQLITE_STORED_FROM papers, more than the test corpus has."""
    monkeypatch.setattr(term_statistics, "SQLITE_STORED_FROM", 1)


def test_refresh_stores_every_lexeme_with_the_count_a_scan_gives(corpus, every_stem_kept):
    lexemes = refresh_term_statistics()
    assert lexemes == TermStatistic.objects.count() > 50
    for word in ("reinforcement", "learning", "bargaining", "feedback"):
        assert stored_frequency(word) == keyword._count_papers(word) > 0
    # Inflections share the stem: "Learning" and "learned" are one row.
    assert stored_frequency("Learning") == stored_frequency("learned")


@sqlite_only
def test_sqlite_keeps_the_stems_of_many_papers_and_reads_rarer_ones_from_the_index(corpus, monkeypatch):
    monkeypatch.setattr(term_statistics, "SQLITE_STORED_FROM", 3)
    assert keyword._count_papers("reinforcement") == 3 and keyword._count_papers("bargaining") < 3
    # Never refreshed: nothing is answered, and words are counted as asked (a common word's count
    # stops early there; FTS5's vocabulary would read its whole posting list).
    assert stored_frequency("reinforcement") is None and stored_frequency("bargaining") is None
    refresh_term_statistics()
    assert stored_frequency("reinforcement") == 3
    assert not TermStatistic.objects.filter(lexeme="bargain").exists()
    # Rarer: its few postings read from FTS5's vocabulary in the same statement, so no word of a
    # query is counted on its own.
    assert stored_frequency("bargaining") == keyword._count_papers("bargaining") > 0
    assert stored_frequency("zyxwvut") == 0
    Paper.objects.create(arxiv_id="2503.00098", title="Bargaining games", abstract="Bargaining.")
    assert stored_frequency("bargaining") == keyword._count_papers("bargaining")  # as the index has it now


@sqlite_only
def test_sqlite_stems_query_words_with_the_keyword_index_s_own_tokenizer(corpus, every_stem_kept):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = 'search_paper_fts'")
        assert f"tokenize='{term_statistics.FTS_TOKENIZER}'" in " ".join(cursor.fetchone()[0].split())
    refresh_term_statistics()
    # Porter's stem, not the word: "reinforcing" is "reinforc", as "reinforcement".
    assert stored_frequency("reinforcing") == keyword._count_papers("reinforcement") == 3
    assert stored_frequency("REINFORCEMENT") == 3
    # Several stems are no word: a hyphenated unit is counted as a phrase (keyword.py).
    assert term_statistics.stored_frequencies(["human-feedback", "feedback", ""]) == {
        "feedback": keyword._count_papers("feedback")
    }


@postgresql_only
def test_a_phrase_is_counted_once_for_every_process_and_again_at_each_refresh(corpus, django_assert_num_queries):
    refresh_term_statistics()
    assert stored_frequency("human feedback") is None
    keyword._df_cache.clear()
    counted = keyword.document_frequency("human feedback")
    assert counted == keyword._count_papers("human feedback") > 0
    assert keyword.document_frequency("feedback human") == keyword._count_papers("feedback human")  # its own key
    assert keyword.document_frequency("state of the art") == keyword._count_papers("state of the art")
    keyword._df_cache.clear()  # another process
    with django_assert_num_queries(1):  # a lookup, not a count
        assert keyword.document_frequency("human feedback") == counted
    # The refresh counts the stored phrases again, as the index has them now: searches after it
    # find them counted (dropped with the table, every process counted each again).
    Paper.objects.create(arxiv_id="2503.00096", title="Human feedback at scale", abstract="Human feedback.")
    refresh_term_statistics()
    assert stored_frequency("human feedback") == counted + 1 == keyword._count_papers("human feedback")
    assert stored_frequency("tuned fine") is None  # never searched: not stored
    # A phrase with a stopword inside ('state' <3> 'art') cannot be rebuilt from its key's words;
    # it is counted when next searched, as before.
    assert stored_frequency("state of the art") is None and stored_frequency("state art") is None


@postgresql_only
def test_a_phrase_whose_edge_word_has_no_lexeme_is_counted_by_its_hyphenated_spelling(db):
    """PostgreSQL's tsquery for "few shot" is 'shot'; its hyphenated spelling is a lexeme of its own
    ('few-shot'), which the term statistics count, and counting finds the same before a refresh.
    Neither "shot" nor "off shot" (also 'shot') takes its count."""
    abstracts = ["Few-shot learning."] * 2 + ["One shot of a camera."] * 3
    for n, abstract in enumerate(abstracts):
        Paper.objects.create(arxiv_id=f"2504.0000{n}", title=f"Paper {n}", abstract=abstract)
    keyword._df_cache.clear()
    assert keyword.document_frequency("few shot") == 2  # counted: nothing is stored yet
    refresh_term_statistics()
    keyword._df_cache.clear()
    assert stored_frequency("few shot") == 2 and stored_frequency("shot") == 5
    assert stored_frequency("off shot") is None
    assert keyword.document_frequency("few shot") == 2 and keyword.document_frequency("shot") == 5


def test_words_the_table_lacks_are_answered_in_the_same_lookup(corpus, every_stem_kept):
    refresh_term_statistics()
    # A stopword has no lexeme (PostgreSQL) and is in no paper by the index; a word in no paper
    # when the table was made is counted in the lookup itself, not in a statement of its own.
    assert term_statistics.stored_frequencies(["zyxwvut", "reinforcement"]) == {
        "zyxwvut": 0,
        "reinforcement": keyword._count_papers("reinforcement"),
    }
    if connection.vendor == "postgresql":
        assert stored_frequency("the") == 0 == keyword._count_papers("the")
        assert stored_frequency("human feedback") is None  # a phrase is counted by the caller, and stored
    Paper.objects.create(arxiv_id="2503.00097", title="Zyxwvut", abstract="A zyxwvut.")
    assert stored_frequency("zyxwvut") == 1  # as the index has it now
    assert keyword.document_frequency("zyxwvut") == 1


def test_a_paper_added_after_the_refresh_is_found_and_counted_at_the_next(corpus, every_stem_kept):
    refresh_term_statistics()
    Paper.objects.create(arxiv_id="2503.00099", title="Quasicrystal tilings", abstract="Aperiodic quasicrystal order.")
    # Not in the table yet: counted, so the new paper is found at once.
    assert [row["paper"].arxiv_id for row in search_papers("quasicrystal", mode="keyword")["results"]] == ["2503.00099"]
    assert refresh_job()["lexemes"] > 0
    assert stored_frequency("quasicrystal") == 1


def test_a_query_looks_up_all_its_words_in_one_query(corpus, every_stem_kept, django_assert_num_queries):
    refresh_term_statistics()
    keyword._df_cache.clear()
    # PostgreSQL: one query; SQLite: the words written to the stemmer, then one query.
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else 6):
        keyword.prefetch_frequencies(["reinforcement", "human feedback"])
    with django_assert_num_queries(0):  # the unit's words are remembered; only the phrase is counted later
        found = keyword.document_frequency("reinforcement"), keyword.document_frequency("human")
    assert found == (keyword._count_papers("reinforcement"), keyword._count_papers("human")) and found[1] > 0


def test_a_phrase_of_common_words_is_estimated_from_the_newest_papers(corpus, monkeypatch):
    exact = keyword._count_papers("human feedback")
    monkeypatch.setattr(keyword, "EXACT_PHRASE_BELOW", 0)  # every word "common"
    monkeypatch.setattr(keyword, "PHRASE_SAMPLE", Paper.objects.count())  # the sample is everything
    assert keyword._count_papers("human feedback") == exact
    monkeypatch.setattr(keyword, "PHRASE_SAMPLE", 1)  # one paper: scaled, never above its words' counts
    estimate = keyword._count_papers("human feedback")
    assert 0 < estimate <= min(keyword.document_frequency("human"), keyword.document_frequency("feedback"))
    assert keyword._count_papers("reinforcement") == 3  # a word is counted


def test_a_common_word_on_sqlite_is_estimated_from_the_newest_papers_holding_it(db, monkeypatch):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL reads words' counts from the term statistics")
    from tests.factories import make_paper

    # "graph" in every third of 30 papers, "sparse" in the newest 10 only.
    for n in range(30):
        words = ["graph"] * (n % 3 == 0) + ["sparse"] * (n >= 20)
        make_paper(arxiv_id=f"2503.{n:05d}", title=f"Paper {n}", abstract=" ".join(["Text", *words]) + ".")
    assert keyword._count_papers("graph") == 10 and keyword._count_papers("sparse") == 10  # exact below the cap
    monkeypatch.setattr(keyword, "EXACT_COUNT_BELOW", 4)
    # The newest 5 holding "graph" are papers 27, 24, 21, 18 and 15: 5 of the newest 15 papers
    # (15 to 29), a third, so a third of the 30.
    assert keyword._count_papers("graph") == 10
    # A word only the newest papers hold is taken to be that dense throughout (its 5 newest are the
    # newest 5 papers), never beyond the catalogue: the price of not counting (a few percent on
    # common words at 75k and 1M papers, keyword.py).
    assert keyword._count_papers("sparse") == 30
    assert keyword._count_papers("zyxwvut") == 0


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_the_worker_s_refresh_leaves_the_table_vacuumed_and_analysed():
    from tests.search.conftest import make_corpus

    make_corpus()
    refresh_job()  # in autocommit, as the worker runs it: no dead rows left for autovacuum to find later
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = %s",
            [TermStatistic._meta.db_table],
        )
        assert cursor.fetchone() == (True, True)
    assert stored_frequency("reinforcement") == keyword._count_papers("reinforcement") >= 3
