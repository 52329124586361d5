"""OAI-PMH harvest through the real `sickle` client, replaying the recorded exchanges."""

from __future__ import annotations

import datetime as dt

import pytest
from sickle.iterator import OAIItemIterator

from dailypapers.catalog.models import Paper
from dailypapers.ingest.models import HarvestState
from dailypapers.ingest.run import ingest_records
from dailypapers.ingest.sources.oai import ENDPOINT, harvest, make_client

from .replay import Replay, _key

pytestmark = pytest.mark.django_db


@pytest.fixture
def sleeps(monkeypatch):
    waited = []
    monkeypatch.setattr("sickle.app.time.sleep", waited.append)
    return waited


def test_503_retry_after_then_records(replay, sleeps):
    items = harvest(date_from=dt.date(2015, 1, 1), date_until=dt.date(2015, 1, 3))
    report = ingest_records(items, progress=False)
    assert sleeps == [10]  # the recorded Retry-After: 10, waited once, then the retry succeeded
    assert report.stats.created == 2 and report.skipped == 0
    paper = Paper.objects.get(arxiv_id="1412.8544")
    assert paper.authors_text == "Sander Uijlen, Bas Westerbaan"
    assert paper.categories == ["cs.DM"] and paper.doi == "10.4204/EPTCS.172.11"
    assert paper.journal_ref == "EPTCS 172, 2014, pp. 154-164"
    assert paper.published.date() == dt.date(2014, 12, 29) and paper.source == "oai"
    assert Paper.objects.get(arxiv_id="hep-th/9504118").comment == "21 pages, Latex"
    state = HarvestState.objects.get()
    assert (state.pages, state.records, state.resumption_token) == (1, 2, "")
    assert state.finished_at is not None


def test_set_is_sent(replay, sleeps):
    replay.add(
        ENDPOINT + "?verb=ListRecords&metadataPrefix=arXiv&from=2015-01-01&until=2015-01-03&set=cs",
        200,
        _page([_record("1501.00001", "Set paper")], token=""),
        {"Content-Type": "text/xml"},
    )
    ingest_records(
        harvest(date_from=dt.date(2015, 1, 1), date_until=dt.date(2015, 1, 3), set_spec="cs"), progress=False
    )
    assert Paper.objects.get().arxiv_id == "1501.00001"
    assert "set=cs" in replay.requested[-1]


def test_recorded_resumption_tokens_are_followed(replay):
    # The only recorded multi-page lists come from other repositories (ListIdentifiers); they
    # check that sickle, configured as we configure it, follows the recorded tokens.
    client = make_client("http://arca.igc.gulbenkian.pt/oaiextended/request")
    client.iterator = OAIItemIterator
    headers = list(client.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2016-01-01", "until": "2017-01-01"}))
    assert len(headers) == 154  # completeListSize of the recording, over two pages
    assert any("resumptionToken=" in url for url in replay.requested)


# Hand-written arXiv-format pages (our own fixture) for the resume-after-interruption case.
def _record(arxiv_id, title):
    return f"""<record><header><identifier>oai:arXiv.org:{arxiv_id}</identifier>
<datestamp>2015-01-03</datestamp></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>{arxiv_id}</id><created>2015-01-02</created>
<authors><author><keyname>Doe</keyname><forenames>Jane</forenames></author></authors>
<title>{title}</title><categories>cs.LG stat.ML</categories><abstract>About {title}.</abstract>
</arXiv></metadata></record>"""


def _page(records, token):
    token_el = (
        f'<resumptionToken cursor="0" completeListSize="3">{token}</resumptionToken>' if token else "<resumptionToken/>"
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?><OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">
<responseDate>2015-01-04T00:00:00Z</responseDate><request verb="ListRecords">http://export.arxiv.org/oai2</request>
<ListRecords>{"".join(records)}{token_el}</ListRecords></OAI-PMH>"""


def test_interrupted_harvest_resumes_from_saved_token(sleeps):
    import requests
    import responses

    replay = Replay()
    first = ENDPOINT + "?verb=ListRecords&metadataPrefix=arXiv&from=2015-01-01&until=2015-01-03"
    replay.add(
        first,
        200,
        _page([_record("1501.00001", "One"), _record("1501.00002", "Two")], token="tok-2"),
        {"Content-Type": "text/xml"},
    )
    second = ENDPOINT + "?verb=ListRecords&resumptionToken=tok-2"
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        replay.install(mock)
        replay.add(second, 503, "", {"Retry-After": "1"})  # the server goes away on page 2…
        with pytest.raises(requests.HTTPError):
            for _ in range(5):  # …and keeps answering 503 until sickle gives up
                replay.add(second, 503, "", {"Retry-After": "1"})
            ingest_records(harvest(date_from=dt.date(2015, 1, 1), date_until=dt.date(2015, 1, 3)), progress=False)
        state = HarvestState.objects.get()
        assert (state.resumption_token, state.pages, state.finished_at) == ("tok-2", 1, None)
        assert Paper.objects.count() == 2

        replay.answers.clear()
        replay.add(second, 200, _page([_record("1501.00003", "Three")], token=""), {"Content-Type": "text/xml"})
        replay.requested.clear()
        report = ingest_records(harvest(date_from=dt.date(2015, 1, 1), date_until=dt.date(2015, 1, 3)), progress=False)
    assert [_key(url) for url in replay.requested] == [_key(second)]  # resumed at page 2; page 1 not fetched again
    assert report.stats.created == 1 and Paper.objects.count() == 3
    state.refresh_from_db()
    assert (state.pages, state.records, state.resumption_token) == (2, 3, "") and state.finished_at
    assert Paper.objects.get(arxiv_id="1501.00003").categories == ["cs.LG", "stat.ML"]
