from dailypapers.catalog.models import Paper
from tests.factories import make_paper


def test_paper_links_follow_the_version(db):
    paper = make_paper("hep-th/9901001", version=2, title="Old style", abstract="x")
    assert paper.abs_url == "https://arxiv.org/abs/hep-th/9901001v2"
    assert paper.pdf_url == "https://arxiv.org/pdf/hep-th/9901001v2"
    assert Paper.objects.get(arxiv_id="hep-th/9901001").version == 2
