"""Code and project links found in abstracts and comments."""

import pytest

from dailypapers.catalog.links import extract_links, find_urls


@pytest.mark.parametrize(
    "abstract, comment, code, project",
    [
        ("Code: https://github.com/org/repo.", "", "https://github.com/org/repo", ""),
        (
            "",
            "Project page: https://example.org/proj; code at https://gitlab.com/a/b",
            "https://gitlab.com/a/b",
            "https://example.org/proj",
        ),
        ("See https://org.github.io/paper/ for videos", "", "", "https://org.github.io/paper/"),
        ("Weights at https://huggingface.co/org/model)", "", "https://huggingface.co/org/model", ""),
        ("Our website https://www.lab.edu/~me/x.html", "", "", "https://www.lab.edu/~me/x.html"),
        ("Compare with https://arxiv.org/abs/2501.00001 and https://doi.org/10.1/x", "", "", ""),
        ("Discussed at https://huggingface.co/papers/2501.00001", "", "", ""),
        ("data at https://zenodo.org/record/1", "", "", ""),  # a URL not announced as a page is not one
        ("code: https://github.com/org/\nrepo-split", "", "https://github.com/org/repo-split", ""),
    ],
)
def test_extract_links(abstract, comment, code, project):
    assert extract_links(abstract, comment) == (code, project)


def test_first_code_link_wins_and_abstract_comes_before_comment():
    assert extract_links("https://github.com/a/first", "https://github.com/b/second")[0] == "https://github.com/a/first"


def test_find_urls_trims_punctuation():
    assert find_urls("(see https://x.org/a), then https://y.org/b.") == ["https://x.org/a", "https://y.org/b"]
