"""Keywords (search/keywords.py, catalog/keywords.py): 3-8 per paper from its own words, no
stop-word phrases, the same every time; written by the embedding job and by `dailypapers
keywords`, kept in Paper.keywords and PaperKeyword alike."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from dailypapers.catalog.keywords import save_keywords
from dailypapers.catalog.models import Paper, PaperKeyword
from dailypapers.search.indexing import embed_pending
from dailypapers.search.keywords import MAX_KEYWORDS, MIN_KEYWORDS, STOP_WORDS, candidates, extract_keywords
from tests.factories import make_paper
from tests.search.conftest import CORPUS

pytestmark = pytest.mark.django_db

# A real abstract's shape (written for this test): math, a URL, a list, an acronym.
ABSTRACT = (
    "Sparse mixture-of-experts (MoE) language models route each token to a few experts. We show that "
    "expert load balancing with an auxiliary loss of $\\alpha \\cdot L_{aux}$ hurts perplexity, and propose "
    "loss-free balancing, which adds a per-expert bias to the router scores. On 1.3B and 7B models trained "
    "on 100B tokens, loss-free balancing lowers perplexity and keeps the experts evenly loaded. "
    "Code: https://github.com/example/lossfree."
)


def _words(phrase: str) -> list[str]:
    return phrase.split()


@pytest.mark.parametrize("row", CORPUS + [dict(title="Loss-free load balancing for MoE", abstract=ABSTRACT)])
def test_three_to_eight_keywords_from_the_papers_own_words(row, embedder):
    keywords = extract_keywords(row["title"], row["abstract"], embedder=embedder)
    assert MIN_KEYWORDS <= len(keywords) <= MAX_KEYWORDS, keywords
    text = f"{row['title']} {row['abstract']}".lower()
    for keyword in keywords:
        assert keyword.keyword == keyword.keyword.lower().strip() and "  " not in keyword.keyword
        assert not set(_words(keyword.keyword)) & STOP_WORDS  # no stop word at all, so none is only stop words
        assert all(word in text for word in _words(keyword.keyword))
        assert 1 <= len(_words(keyword.keyword)) <= 3
    assert len({k.keyword for k in keywords}) == len(keywords)
    assert [k.score for k in keywords[:MIN_KEYWORDS]] != [0.0] * MIN_KEYWORDS


def test_keywords_name_what_the_paper_is_about(embedder):
    keywords = [k.keyword for k in extract_keywords("Loss-free load balancing for MoE", ABSTRACT, embedder=embedder)]
    assert any("balancing" in k for k in keywords), keywords
    assert not any("http" in k or "github" in k or "alpha" in k for k in keywords)  # URLs and math are not words


def test_extraction_is_deterministic(embedder):
    runs = {tuple(extract_keywords("Loss-free load balancing for MoE", ABSTRACT, embedder=embedder)) for _ in range(3)}
    assert len(runs) == 1


def test_no_candidates_from_stop_words_punctuation_or_verbs():
    found = candidates("We propose a new method", "In this paper, we show that it is very good. We also use it.")
    assert found == []  # every word is a stop word or stands where a verb stands
    assert candidates("", "") == []
    found = candidates("", "We aim to detect adversarial prompts with a detector.")
    assert "adversarial prompts" in found and "detector" in found
    assert not any(phrase.split()[0] in {"aim", "detect"} for phrase in found)  # after "we", after "to"


def test_the_index_job_writes_keywords_and_rewrites_them_when_the_text_changes(corpus, embedder):
    report = embed_pending(embedder=embedder)
    assert report.keyworded == len(corpus)
    for paper in Paper.objects.all():
        rows = list(PaperKeyword.objects.filter(paper=paper).values_list("keyword", flat=True))
        assert rows == paper.keywords and MIN_KEYWORDS <= len(rows) <= MAX_KEYWORDS
    paper = corpus[0]
    before = Paper.objects.get(pk=paper.pk).keywords
    Paper.objects.filter(pk=paper.pk).update(
        title="Protein folding with graph networks", abstract="We predict protein structures from sequences."
    )
    assert embed_pending(embedder=embedder).keyworded == 1  # the trigger made it pending again
    after = Paper.objects.get(pk=paper.pk).keywords
    assert after != before and any("protein" in k for k in after)


def test_off_in_the_job_then_filled_by_the_command_with_progress(corpus, embedder, settings, capsys):
    settings.SEARCH_KEYWORDS = False
    assert embed_pending(embedder=embedder).keyworded == 0
    assert not PaperKeyword.objects.exists() and not Paper.objects.filter(keywords__isnull=False).exists()
    out = io.StringIO()
    call_command("keywords", "--limit", "2", stdout=out)
    assert "keywords of 2 papers" in out.getvalue() and "2/2" in capsys.readouterr().err  # tqdm's bar
    call_command("keywords", stdout=out)
    assert not Paper.objects.filter(keywords__isnull=True).exists()
    stored = dict(Paper.objects.values_list("pk", "keywords"))
    again = io.StringIO()
    call_command("keywords", stdout=again)
    assert "keywords of 0 papers" in again.getvalue()
    call_command("keywords", "--all", stdout=again)  # same text, same vectors: same keywords
    assert dict(Paper.objects.values_list("pk", "keywords")) == stored


def test_the_command_refuses_a_bad_limit():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--limit must be at least 1"):
        call_command("keywords", "--limit", "0", stdout=io.StringIO())


def test_the_command_embeds_a_paper_that_has_no_stored_vector(embedder):
    paper = make_paper(title="Loss-free load balancing for MoE", abstract=ABSTRACT)
    call_command("keywords", stdout=io.StringIO())
    paper.refresh_from_db()
    expected = [k.keyword for k in extract_keywords(paper.title, paper.abstract, embedder=embedder)]
    assert paper.keywords == expected


def test_save_keywords_replaces_normalises_and_skips_gone_papers():
    paper = make_paper()
    save_keywords({paper.pk: [("Gaussian  Splatting", 0.7), ("gaussian splatting", 0.5), ("NeRF", 0.4)]})
    save_keywords({paper.pk: [("Gaussian Splatting", 0.71), ("NeRF", 0.4)], 999_999: [("ghost", 1.0)]})
    paper.refresh_from_db()
    assert paper.keywords == ["gaussian splatting", "nerf"]
    rows = list(PaperKeyword.objects.values_list("keyword", "position", "score"))
    assert rows == [("gaussian splatting", 0, 0.71), ("nerf", 1, 0.4)]
