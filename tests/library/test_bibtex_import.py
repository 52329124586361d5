"""BibTeX import: every way a .bib file names an arXiv paper, entries without one listed, and a
bad file refused with its line, importing nothing."""

from __future__ import annotations

import pytest

from dailypapers.library.bibtex_import import BibtexImportError, import_bibtex, read_bibtex
from dailypapers.library.collections import LibraryError, collection_papers, create_collection
from dailypapers.library.models import Collection, CollectionItem
from tests.factories import make_paper

pytestmark = pytest.mark.django_db

GOOD = r"""% exported by a reference manager
@misc{vaswani2025attention,
  title = {Attention, again},
  author = {Vaswani, Ashish},
  eprint = {2503.11731v2},
  archivePrefix = {arXiv},
  primaryClass = {cs.CL},
}

@article{knuth1984literate,
  title = {Literate Programming},
  author = {Knuth, Donald E.},
  journal = {The Computer Journal},
  year = {1984},
}

@inproceedings{doi2025,
  title = {By DOI},
  doi = {10.48550/arXiv.2504.00002},
}

@article{scholar2025,
  title = "By Google Scholar",
  journal = {arXiv preprint arXiv:2505.00003},
}

@online{url2025,
  title = {By URL},
  url = {https://arxiv.org/pdf/2506.00004v3.pdf},
}

@misc{old1999,
  title = {Old style},
  howpublished = {\url{http://arxiv.org/abs/hep-th/9901001}},
}

@misc{again,
  title = {The first paper again},
  eprint = {arXiv:2503.11731},
}
"""


def test_every_form_of_arxiv_id_is_read_in_file_order():
    entries = read_bibtex(GOOD.encode())
    assert entries.ids == ["2503.11731", "2504.00002", "2505.00003", "2506.00004", "hep-th/9901001"]
    assert entries.lines["2504.00002"] == "line 17 (doi2025)"
    assert entries.without_id == ["line 10 (knuth1984literate)"]


def test_import_makes_a_collection_in_file_order_and_reports_the_rest(make_member):
    member = make_member()
    for arxiv_id in ("2503.11731", "2505.00003", "hep-th/9901001"):
        make_paper(arxiv_id)
    result = import_bibtex(user=member, name="My reading list", data=GOOD.encode(), visibility="unlisted")
    collection = result["collection"]
    assert (collection.name, collection.visibility, result["added"]) == ("My reading list", "unlisted", 3)
    assert [p.arxiv_id for p in collection_papers(collection)] == ["2503.11731", "2505.00003", "hep-th/9901001"]
    assert result["unknown"] == ["line 17 (doi2025): 2504.00002", "line 27 (url2025): 2506.00004"]
    assert result["without_id"] == ["line 10 (knuth1984literate)"]


def test_fetch_missing_gets_its_chance_before_the_collection_is_written(make_member):
    member = make_member()
    make_paper("2503.11731")
    asked = []

    def fetch(ids):  # what the web view passes: the ingest app's arXiv source, here the catalogue
        asked.append(list(ids))
        make_paper("2504.00002")

    result = import_bibtex(user=member, name="Fetched", data=GOOD, fetch_missing=fetch)
    assert asked == [["2504.00002", "2505.00003", "2506.00004", "hep-th/9901001"]]
    assert [p.arxiv_id for p in collection_papers(result["collection"])] == ["2503.11731", "2504.00002"]


@pytest.mark.parametrize(
    "text,message",
    [
        (GOOD.replace("title = {By DOI},", "title = {By DOI,"), r"line 17 \(entry doi2025\): not valid BibTeX"),
        ('@misc{a, eprint={2503.11731}}\n@misc{b, title="unclosed\n', r"line 2 \(entry b\): not valid BibTeX"),
        ("@article{x, title={Only journals}, journal={Nature}}", r"no arXiv ids found \(1 entries, none with"),
        ("", "no arXiv ids found; nothing was imported"),
    ],
)
def test_a_bad_file_names_the_line_and_imports_nothing(make_member, text, message):
    member = make_member()
    make_paper("2503.11731")
    with pytest.raises(BibtexImportError, match=message):
        import_bibtex(user=member, name="Broken", data=text.encode())
    assert Collection.objects.filter(owner=member).count() == 0 and CollectionItem.objects.count() == 0


def test_not_utf8_names_the_line(make_member):
    data = "@misc{a, eprint={2503.11731}}\n@misc{b, author={Gödel}}\n".encode("latin-1")
    with pytest.raises(BibtexImportError, match="file: line 2 is not UTF-8 text"):
        import_bibtex(user=make_member(), name="Latin", data=data)


def test_a_taken_name_imports_nothing(make_member):
    member = make_member()
    make_paper("2503.11731")
    create_collection(user=member, name="Taken")
    with pytest.raises(LibraryError, match="already have a collection called “Taken”"):
        import_bibtex(user=member, name="Taken", data=GOOD.encode())
    assert CollectionItem.objects.count() == 0
