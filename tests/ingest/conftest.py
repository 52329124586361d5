"""Fixtures for ingest tests: the recordings, a replaying `responses` mock, small data files."""

from __future__ import annotations

from pathlib import Path

import pytest
import responses

from .replay import Replay

DATA = Path(__file__).parent / "data"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def replay(shared_data):
    """A Replay loaded with every recorded arXiv API and OAI-PMH response, installed."""
    recorder = Replay()
    for fixture in sorted((shared_data / "fixtures" / "arxiv-api").glob("*.json")):
        recorder.add_arxiv_api(fixture)
    for fixture in sorted((shared_data / "fixtures" / "oai-pmh").glob("*.json")):
        recorder.add_oai(fixture)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        recorder.install(mock)
        yield recorder
