"""arXiv id parsing: every form users and sources give normalises to the versionless id."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dailypapers.catalog.arxiv_ids import InvalidArxivId, is_arxiv_id, parse_arxiv_id


@pytest.mark.parametrize(
    "text, expected, version",
    [
        ("2503.11731", "2503.11731", None),
        ("2503.11731v2", "2503.11731", 2),
        ("arXiv:2503.11731v3", "2503.11731", 3),
        ("https://arxiv.org/abs/2503.11731v1", "2503.11731", 1),
        ("http://arxiv.org/pdf/2503.11731v1.pdf", "2503.11731", 1),
        ("https://arxiv.org/pdf/2503.11731", "2503.11731", None),
        ("https://www.arxiv.org/html/2503.11731v2", "2503.11731", 2),
        ("  0704.0001 ", "0704.0001", None),
        ("hep-th/9901001", "hep-th/9901001", None),
        ("hep-th/9901001v2", "hep-th/9901001", 2),
        ("math.GT/0309136", "math.GT/0309136", None),
        ("http://arxiv.org/abs/quant-ph/0201082v1", "quant-ph/0201082", 1),
        ("arxiv.org/abs/astro-ph/0601001", "astro-ph/0601001", None),
    ],
)
def test_accepted_forms(text, expected, version):
    parsed = parse_arxiv_id(text)
    assert (parsed.id, parsed.version) == (expected, version)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "0000.0000",
        "2513.00001",
        "1412.12345",
        "1501.1234",
        "2503.117",
        "hep-th/99010",
        "2503.11731v0",
        "https://example.com/abs/2503.11731",
        None,
        2503.11731,
    ],
)
def test_rejected_forms(text):
    with pytest.raises(InvalidArxivId):
        parse_arxiv_id(text)


new_ids = st.builds(
    lambda year, month, number: f"{year:02d}{month:02d}.{number:05d}",
    st.integers(15, 99),
    st.integers(1, 12),
    st.integers(0, 99999),
)
versions = st.one_of(st.none(), st.integers(1, 99))
decorations = st.sampled_from(["{}", "arXiv:{}", "https://arxiv.org/abs/{}", "http://arxiv.org/pdf/{}.pdf", " {} "])


@given(new_ids, versions, decorations)
def test_normalisation_is_stable(arxiv_id, version, decoration):
    text = decoration.format(f"{arxiv_id}v{version}" if version else arxiv_id)
    parsed = parse_arxiv_id(text)
    assert parsed.id == arxiv_id
    assert parsed.version == version
    assert parse_arxiv_id(parsed.versioned) == parsed
    assert parse_arxiv_id(parsed.id).id == parsed.id


@given(st.text(max_size=40))
def test_any_text_parses_or_raises_the_domain_error(text):
    try:
        parsed = parse_arxiv_id(text)
    except InvalidArxivId:
        assert not is_arxiv_id(text)
    else:
        assert is_arxiv_id(parsed.id)
