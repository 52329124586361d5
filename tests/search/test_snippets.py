"""Snippets: the window with most query words, marked, escaped."""

from dailypapers.search.snippets import snippet


def test_marks_stemmed_words_and_escapes_markup():
    html = snippet("Agents <b>learned</b> to bargain & learn.", ["learning", "bargaining"])
    assert html == "Agents &lt;b&gt;<mark>learned</mark>&lt;/b&gt; to <mark>bargain</mark> &amp; <mark>learn</mark>."


def test_picks_the_window_with_most_hits_and_marks_ellipses():
    words = ["filler"] * 100 + ["qubit", "noise", "qubit"] + ["filler"] * 100
    html = snippet(" ".join(words), ["qubits"], window=10)
    assert html.startswith("… ") and html.endswith(" …") and html.count("<mark>qubit</mark>") == 2


def test_no_terms_gives_the_start_of_the_text():
    assert snippet("one two three", []) == "one two three"
    assert snippet(" ".join(["w"] * 50), [], window=5) == "w w w w w …"
    assert snippet("", ["x"]) == ""


def test_marks_whole_words_only_never_a_prefix_of_another_word():
    # Issue 15: "model" marked "**mode**rate", "agents" marked "**agen**da".
    html = snippet("A moderate agenda: models and agent modelling, not modes.", ["model", "agents"])
    assert "<mark>models</mark>" in html and "<mark>agent</mark>" in html and "<mark>modelling</mark>" in html
    assert "moderate" in html and "<mark>mode" not in html.replace("<mark>model", "")
    assert "<mark>agen</mark>" not in html and "agenda" in html and "<mark>agenda" not in html


def test_a_stem_shared_by_different_words_is_not_marked():
    # Porter joins "continual" and "continuity"; the snippet marks only the word typed.
    html = snippet("Continuity of stories; continual learning.", ["continual"])
    assert html == "Continuity of stories; <mark>continual</mark> learning."


def test_a_query_word_inside_another_word_is_not_marked():
    # The prefix is found without a look-behind; a match starting inside a word is dropped.
    html = snippet("Remodeling premodels: a Model and its MODELS.", ["model"])
    assert html == "Remodeling premodels: a <mark>Model</mark> and its <mark>MODELS</mark>."


def test_letters_whose_lower_case_is_longer_keep_the_marks_in_place():
    # "İ".lower() is two characters: positions found in the lowered text would shift.
    html = snippet("İstanbul İzmir models of traffic", ["models", "traffic"])
    assert html == "İstanbul İzmir <mark>models</mark> of <mark>traffic</mark>"
