"""Absolute URLs: the operator's base URL wins; unset, the address the reader used does."""

from django.test import RequestFactory, override_settings

from dailypapers.catalog.site import absolute_url


@override_settings(BASE_URL="https://papers.example.org", BASE_URL_FROM_ENVIRONMENT=True)
def test_the_configured_base_url_wins_over_the_request_host():
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:38635")
    assert absolute_url("/papers/2406.00001", request) == "https://papers.example.org/papers/2406.00001"


@override_settings(BASE_URL="http://127.0.0.1:8000", BASE_URL_FROM_ENVIRONMENT=False, ALLOWED_HOSTS=["127.0.0.1"])
def test_unset_base_url_follows_the_port_the_reader_used():
    request = RequestFactory().get("/", HTTP_HOST="127.0.0.1:38635")
    assert absolute_url("papers/2406.00001", request) == "http://127.0.0.1:38635/papers/2406.00001"
    assert absolute_url("/papers/2406.00001") == "http://127.0.0.1:8000/papers/2406.00001"
