"""One scratch site per test module (migrating takes a few seconds)."""

from __future__ import annotations

import pytest

from tests.crash.scratch import drop_scratch, make_scratch


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    site = make_scratch(tmp_path_factory.mktemp("crash-site"))
    yield site
    drop_scratch(site)
