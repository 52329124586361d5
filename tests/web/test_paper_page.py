"""The paper page: content for both id styles, redirects for other spellings, 404s."""

from datetime import UTC, datetime

import pytest

from tests.factories import make_paper

pytestmark = pytest.mark.django_db


def test_new_style_paper_page_shows_everything(client):
    make_paper(
        arxiv_id="2503.11731",
        version=2,
        title="Gaussian Splatting & Friends",
        abstract="Sensor simulation is pivotal\nfor validation.\n\nWe release code.",
        authors=("Xianming Zeng", "Jörg Müller"),
        categories=("cs.CV", "cs.RO"),
        published=datetime(2025, 3, 14, tzinfo=UTC),
        updated=datetime(2025, 4, 2, tzinfo=UTC),
        comment="12 pages",
        journal_ref="CVPR 2025",
        doi="10.1109/x.2025.1",
        code_url="https://github.com/zeng/gs",
        project_url="https://zeng.github.io/gs",
    )
    response = client.get("/papers/2503.11731")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Gaussian Splatting &amp; Friends" in text
    assert "<p>Sensor simulation is pivotal for validation.</p>" in text and "<p>We release code.</p>" in text
    assert text.index('<li><a href="/authors/xianming-zeng">Xianming Zeng</a><form') < text.index(
        '<li><a href="/authors/jorg-muller">Jörg Müller</a><form'
    )
    assert "cs.CV" in text and "cs.RO" in text
    assert "14 March 2025" in text and "2 April 2025" in text and "(v2)" in text
    assert "12 pages" in text and "CVPR 2025" in text and 'href="https://doi.org/10.1109/x.2025.1"' in text
    for link in (
        "https://arxiv.org/abs/2503.11731v2",
        "https://arxiv.org/pdf/2503.11731v2",
        "https://github.com/zeng/gs",
        "https://zeng.github.io/gs",
    ):
        assert f'href="{link}"' in text
    assert "@misc{zeng2025gaussiansplattingfriends," in text and r"M{\&quot;u}ller" in text and "Copy BibTeX" in text


def test_old_style_paper_page(client):
    make_paper(arxiv_id="hep-th/9901001", title="Strings, old style", categories=("hep-th",))
    response = client.get("/papers/hep-th/9901001")
    assert response.status_code == 200 and "Strings, old style" in response.content.decode()


@pytest.mark.parametrize(
    "path, target",
    [
        ("/papers/2503.11731v3", "/papers/2503.11731"),
        ("/papers/arXiv:2503.11731", "/papers/2503.11731"),
        ("/papers/hep-th/9901001v2", "/papers/hep-th/9901001"),
        ("/papers/2503.11731/", "/papers/2503.11731"),
    ],
)
def test_other_spellings_redirect_to_the_canonical_url(client, path, target):
    response = client.get(path)
    assert response.status_code == 301 and response["Location"] == target


@pytest.mark.parametrize("path", ["/papers/2503.99999", "/papers/hep-th/9901001", "/papers/not-an-id", "/nowhere"])
def test_unknown_gives_styled_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    text = response.content.decode()
    assert "Not found" in text and "pico.min.css" in text and "Back to today" in text


def test_hidden_paper_is_404(client):
    make_paper(arxiv_id="2503.11731", hidden=True)
    assert client.get("/papers/2503.11731").status_code == 404
