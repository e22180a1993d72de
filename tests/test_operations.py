"""What operators see (issue 14): /healthz, /metrics, request ids and JSON log lines."""
import json
import logging

from portal import create_app
from portal.operations import JsonFormatter


def test_health_says_the_database_and_queue_answer(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "queue": "ok"}


def test_health_says_what_is_failing(app_config):
    broken = create_app({**app_config, "DATABASE_URL": "postgresql://nobody@127.0.0.1:9/none"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "failing" and body["database"].startswith("unreachable")
    assert body["queue"] == "ok"


def test_metrics_count_requests_per_endpoint_for_local_scrapers(client):
    client.get("/")
    client.get("/verify")
    text = client.get("/metrics").get_data(as_text=True)
    assert 'portal_request_seconds_count{endpoint="main.index",method="GET",status="200"}' \
        in text
    assert "portal_queue_depth" in text and "portal_job_seconds" in text


def test_metrics_are_refused_to_others_unless_they_bring_the_token(app_config):
    app = create_app({**app_config, "METRICS_TOKEN": "s3cret-scraper-token"})
    client = app.test_client()
    assert client.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code \
        == 403
    assert client.get("/metrics").status_code == 403  # the token is required even locally
    assert client.get("/metrics", headers={
        "Authorization": "Bearer s3cret-scraper-token"}).status_code == 200
    no_token = create_app(app_config).test_client()
    assert no_token.get("/metrics", environ_base={"REMOTE_ADDR": "203.0.113.5"}).status_code \
        == 403


def test_every_response_carries_a_request_id_and_keeps_a_sane_given_one(client):
    generated = client.get("/").headers["X-Request-ID"]
    assert len(generated) == 32
    assert client.get("/", headers={"X-Request-ID": "edge-42"}).headers["X-Request-ID"] \
        == "edge-42"
    forged = client.get("/", headers={"X-Request-ID": "<script>" + "x" * 100})
    assert len(forged.headers["X-Request-ID"]) == 32  # replaced, not echoed


def test_json_log_lines_carry_the_request_id_and_the_fields_given(app):
    record = logging.makeLogRecord({"name": "portal.requests", "levelname": "INFO",
                                    "msg": "%s %s", "args": ("GET", "/"), "status": 200})
    with app.test_request_context("/", headers={"X-Request-ID": "abc-1"}):
        app.preprocess_request()
        line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET /" and line["status"] == 200
    assert line["request_id"] == "abc-1" and line["logger"] == "portal.requests"
