"""The search page, its htmx fragment and JSON, the search box, and the similar-papers fragment."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_search_page_renders_results_with_snippet_and_reason(client, corpus):
    response = client.get("/search", {"q": "bargaining", "mode": "keyword"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Self-play negotiation agents" in html and "<mark>bargain</mark>" in html
    assert "matches words" in html and 'hx-push-url="true"' in html
    assert 'name="q"' in html and 'value="bargaining"' in html


def test_htmx_request_gets_only_the_results_fragment(client, corpus):
    response = client.get(
        "/search",
        {"q": "reinforcement", "mode": "keyword"},
        headers={"HX-Request": "true", "HX-Target": "search-results"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "Reinforcement learning from human feedback" in html


def test_json_renders_the_same_data(client, corpus):
    data = client.get("/search", {"q": "reinforcement", "mode": "keyword", "format": "json"}).json()
    assert data["results"][0]["id"] == "2503.00007" and data["results"][0]["matched_by"] == "keyword"
    assert data["total"] == 3


def test_abstract_markup_is_escaped(client, corpus):
    html = client.get("/search", {"q": "diffusion markup", "mode": "keyword"}).content.decode()
    assert "&lt;b&gt;" in html and "<b>markup</b>" not in html


@pytest.mark.parametrize(
    "params, field", [({"from": "soon"}, "date_from"), ({"sort": "random"}, "sort"), ({"mode": "x"}, "mode")]
)
def test_bad_parameters_get_a_message_not_a_500(client, corpus, params, field):
    response = client.get("/search", {"q": "learning", **params})
    assert response.status_code == 400 and field in response.content.decode()


@pytest.mark.parametrize("query", ['"', "NEAR(", "*", "x" * 10_000, "cat:", "\x00"])
def test_hostile_queries_on_the_page(client, corpus, query):
    assert client.get("/search", {"q": query}).status_code == 200


def test_empty_query_shows_the_form(client, db):
    response = client.get("/search")
    assert response.status_code == 200 and 'id="search-q"' in response.content.decode()


def test_embedder_down_notice_on_the_page(client, corpus, monkeypatch, tmp_path):
    from dailypapers.search import embedder as embedder_module

    monkeypatch.setattr(embedder_module, "MODEL_PATH", tmp_path / "gone.onnx")
    monkeypatch.setattr(embedder_module, "_embedder", None)
    monkeypatch.setattr(embedder_module, "_failure", None)
    html = client.get("/search", {"q": "reinforcement"}).content.decode()
    assert "keyword matches only" in html and "Reinforcement learning from human feedback" in html


def test_similar_fragment_and_more_like_this(client, indexed_corpus):
    html = client.get("/papers/2503.00007/similar").content.decode()
    assert (
        "Similar papers" in html
        and html.count('class="paper-card') == 5
        and "Reinforcement learning from human feedback" not in html
    )
    more = client.get("/search", {"like": "2503.00007"}).content.decode()
    assert "Papers like" in more and "matches meaning" in more
    assert client.get("/papers/2599.99999/similar").status_code == 404
    assert client.get("/search", {"like": "nope"}).status_code == 400


def test_more_like_this_scores_are_cosines_of_the_papers(client, indexed_corpus):
    # What the JSON shows is the cosine of the two papers' embeddings, in [-1, 1], best first, to
    # within the half-precision rounding of the vectors the index holds (0.00004 measured); an
    # int8 index's own scores were dot products near 14,000 for a paper and itself.
    from dailypapers.search.service import paper_vectors

    rows = client.get("/search", {"like": "2503.00007", "format": "json"}).json()["results"]
    by_id = {p.arxiv_id: p.id for p in indexed_corpus}
    vectors = paper_vectors(by_id.values())
    scores = [row["score"] for row in rows]
    assert len(rows) >= 3 and scores == sorted(scores, reverse=True)
    for row in rows:
        cosine = float(vectors[by_id["2503.00007"]] @ vectors[by_id[row["id"]]])
        assert -1.0 <= row["score"] <= 1.0 and row["score"] == pytest.approx(cosine, abs=1e-4), row["id"]


def test_search_box_in_the_page_frame(client, db):
    html = client.get("/search").content.decode()
    assert 'class="site-search"' in html and 'action="/search"' in html


def test_similar_include_for_the_paper_page(corpus):
    from django.template.loader import render_to_string

    html = render_to_string("search/_similar.html", {"paper": {"arxiv_id": "2503.00007"}})
    assert 'hx-get="/papers/2503.00007/similar"' in html and "{#" not in html and "comment" not in html


def test_worker_job_embeds_and_saves_the_index(corpus, embedder):
    from dailypapers.search.jobs import embed_pending
    from dailypapers.search.vectors import get_vector_index

    n = len(corpus)
    assert embed_pending() == {"embedded": n, "linked": 0, "keyworded": n, "index_size": n}
    assert get_vector_index().path.exists()
    assert embed_pending()["embedded"] == 0


def test_worker_job_stops_at_its_time_budget_and_the_next_run_goes_on(corpus, embedder, monkeypatch):
    from dailypapers.search import jobs

    monkeypatch.setattr(jobs, "JOB_SECONDS", 0)
    assert jobs.embed_pending()["embedded"] == 0
    monkeypatch.setattr(jobs, "JOB_SECONDS", 3600)
    assert jobs.embed_pending()["embedded"] == len(corpus)


def test_results_link_the_search_feed_and_bibtex(client, db):
    html = client.get("/search", {"q": "graph & networks"}).content.decode()
    assert "/feeds/search.rss?q=graph%20%26%20networks" in html
    assert "/export/search.bib?q=graph%20%26%20networks" in html
