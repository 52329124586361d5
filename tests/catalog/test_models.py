from dailypapers.catalog.models import Paper
from tests.factories import make_paper


def test_paper_links_follow_the_version(db):
    paper = make_paper("hep-th/9901001", version=2, title="Old style", abstract="x")
    assert paper.abs_url == "https://arxiv.org/abs/hep-th/9901001v2"
    assert paper.pdf_url == "https://arxiv.org/pdf/hep-th/9901001v2"
    assert Paper.objects.get(arxiv_id="hep-th/9901001").version == 2


def test_hidden_among_names_exactly_the_hidden_papers_of_a_list(db):
    papers = [make_paper(f"2503.0{i:04d}", title=f"Paper {i}", abstract="x") for i in range(1, 7)]
    Paper.objects.filter(pk__in=[papers[1].pk, papers[4].pk]).update(hidden=True)
    asked = [p.pk for p in papers[:5]] + [10**9]  # one id no paper has
    assert Paper.objects.hidden_among(asked) == {papers[1].pk, papers[4].pk}
    assert Paper.objects.hidden_among(p.pk for p in papers[:4]) == {papers[1].pk}
    assert Paper.objects.hidden_among([]) == set()
