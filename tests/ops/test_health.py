def test_healthz_answers(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_readyz_reports_database_and_migrations(client, db):
    response = client.get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["migrations"] == "ok"


def test_request_id_is_echoed_or_made(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="abc-123").headers["X-Request-ID"] == "abc-123"
    made = client.get("/healthz", HTTP_X_REQUEST_ID="bad id\r\nX-Evil: 1").headers["X-Request-ID"]
    assert made != "bad id\r\nX-Evil: 1" and len(made) == 32


def test_metrics_only_for_allowed_addresses(client, db):
    client.get("/healthz")
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    assert "dailypapers_requests_total" in body
    assert "dailypapers_papers 0.0" in body
    for gauge in (
        "dailypapers_upvotes",
        "dailypapers_subscribers_active",
        "dailypapers_emails_queued",
        "dailypapers_emails_sent",
        "dailypapers_emails_failed",
        "dailypapers_jobs_queued",
    ):
        assert f"\n{gauge} 0.0" in body, gauge
    assert 'dailypapers_request_seconds_count{route="healthz"}' in body
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9").status_code == 404


def test_cache_is_shared_through_the_database(db):
    from django.core.cache import cache
    from django.db import connection

    cache.set("probe", 42)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM dailypapers_cache")
        assert cursor.fetchone()[0] == 1
    assert cache.get("probe") == 42
