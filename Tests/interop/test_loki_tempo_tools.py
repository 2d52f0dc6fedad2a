"""The Loki and Tempo tools against the fixture server (fixtures/loki_tempo_server.py), which answers
with the JSON of Loki 3.x's and Tempo 2.x's documented HTTP APIs. Neither server can run here; to
show the fixture speaks the real APIs, clients nobody here wrote read it first: loki-reader-core
(a Loki client from PyPI) and the OpenTelemetry protobuf definitions (opentelemetry-proto)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from conftest import Workspace, open_session, text_of, write_tools_config
from realparts import LokiTempoFixture

pytestmark = pytest.mark.anyio

ERROR_TRACE = "5ac6ef5270fbb2e8d8eaeebd745da064"
CHECKOUT = '{namespace="shop", app="checkout"}'


def config(fixture: LokiTempoFixture, extra: str = "") -> str:
    return f"""loki:
  - name: logs
    url: {fixture.url}
    cluster: prod-eu-1
{extra}tempo:
  - name: traces
    url: {fixture.url}
"""


def test_third_party_clients_read_the_fixture(loki_tempo: LokiTempoFixture):
    from google.protobuf import json_format
    from loki_reader_core import LokiClient
    from opentelemetry.proto.trace.v1 import trace_pb2
    import json
    import urllib.request

    now = time.time_ns()
    with LokiClient(loki_tempo.url) as client:
        result = client.query_range(CHECKOUT + ' |= "payment gateway timeout"', start=now - 3600 * 10**9, end=now, limit=500)
        assert result.status == "success" and result.result_type == "streams"
        lines = [entry.message for stream in result.streams for entry in stream.entries]
        assert len(lines) == 45 and all("payment gateway timeout" in line for line in lines)
        assert "level" in client.get_labels() and "checkout" in client.get_label_values("app")
    with urllib.request.urlopen(f"{loki_tempo.url}/api/traces/{ERROR_TRACE}") as response:
        document = json.load(response)
    traces = json_format.ParseDict({"resourceSpans": document["batches"]}, trace_pb2.TracesData())
    spans = [span for rs in traces.resource_spans for ss in rs.scope_spans for span in ss.spans]
    assert spans and all(span.trace_id.hex() == ERROR_TRACE for span in spans)
    assert any(span.status.code == trace_pb2.Status.STATUS_CODE_ERROR for span in spans)


async def test_loki_lines_filters_and_labels(fathom_bin: Path, ws: Workspace, loki_tempo: LokiTempoFixture):
    write_tools_config(ws, "observability", config(loki_tempo))
    async with open_session(fathom_bin, ws) as conn:
        names = {t.name for t in (await conn.session.list_tools()).tools}
        assert {"loki_query_range", "loki_labels", "tempo_search", "tempo_get_trace"} <= names

        result = await conn.call_ok("loki_query_range", {
            "selector": CHECKOUT, "contains": ["payment gateway timeout"], "duration": "1h", "limit": 500})
        data = result.structured_content
        assert data["lineCount"] == 45 and data["query"] == CHECKOUT + ' |= "payment gateway timeout"'
        assert data["sharedLabels"]["pod"] == "checkout-7d9f8b6c5-x2x7q"
        times = [line["time"] for line in data["lines"]]
        assert times == sorted(times, reverse=True), "newest first"
        assert "payment gateway timeout" in text_of(result).splitlines()[1]

        excluded = await conn.call_ok("loki_query_range", {"selector": CHECKOUT, "excludes": ["level=info"], "regex": "status=5\\d\\d"})
        assert excluded.structured_content["lineCount"] > 0
        assert all("level=info" not in line["line"] for line in excluded.structured_content["lines"])

        limited = await conn.call_ok("loki_query_range", {"selector": '{namespace="shop"}', "limit": 10})
        assert limited.structured_content["lineCount"] == 10 and "limit of 10 lines reached" in text_of(limited)

        metric = await conn.call_ok("loki_query_range", {
            "query": 'sum by (app) (count_over_time({namespace="shop"} |= "error" [1m]))', "duration": "30m"})
        assert metric.structured_content["resultType"] == "matrix"
        assert any(s["labels"].get("app") == "checkout" for s in metric.structured_content["series"])

        labels = await conn.call_ok("loki_labels", {})
        assert {"app", "namespace", "pod", "level"} <= set(labels.structured_content["items"])
        apps = await conn.call_ok("loki_labels", {"label": "app", "selector": '{namespace="shop"}'})
        assert {"checkout", "payment", "db"} <= set(apps.structured_content["items"])
        assert "ingress-nginx" not in apps.structured_content["items"]

        message = await conn.call_err("loki_query_range", {"query": "{}"})
        assert "HTTP 400" in message and "loki 'logs'" in message
        message = await conn.call_err("loki_query_range", {"selector": "app=checkout"})
        assert "stream selector" in message
        message = await conn.call_err("loki_query_range", {"selector": CHECKOUT, "query": CHECKOUT})
        assert "either selector" in message


async def test_tempo_search_and_trace_summary(fathom_bin: Path, ws: Workspace, loki_tempo: LokiTempoFixture):
    write_tools_config(ws, "observability", config(loki_tempo))
    async with open_session(fathom_bin, ws) as conn:
        errors = await conn.call_ok("tempo_search", {"query": '{ resource.service.name = "checkout" && status = error }'})
        ids = [t["traceID"] for t in errors.structured_content["items"]]
        assert ERROR_TRACE in ids and len(ids) == 5
        slow = await conn.call_ok("tempo_search", {"tags": {"service.name": "frontend"}, "min_duration": "2s"})
        durations = [t["durationMs"] for t in slow.structured_content["items"]]
        assert durations and min(durations) >= 2000 and durations == sorted(durations, reverse=True)

        trace = await conn.call_ok("tempo_get_trace", {"trace_id": ERROR_TRACE.upper()})
        data = trace.structured_content
        assert data["rootService"] == "frontend" and data["spanCount"] >= 5
        assert {"frontend", "checkout", "payment"} <= set(data["services"])
        assert data["errors"] and all(e["error"] for e in data["errors"])
        assert all(len(e["spanID"]) == 16 for e in data["errors"]), "span ids shown in hex"
        text = text_of(trace)
        assert "ERROR" in text and "tree:" in text and "http 504" in text

        message = await conn.call_err("tempo_get_trace", {"trace_id": "0" * 32})
        assert "has no trace" in message
        bad = await conn.call("tempo_get_trace", {"trace_id": "not-hex"})
        assert bad.is_error and "Invalid arguments" in text_of(bad)
        message = await conn.call_err("tempo_search", {"query": "{ nonsense"})
        assert "HTTP 400" in message


async def test_bearer_tenant_and_timeout(fathom_bin: Path, ws: Workspace, tmp_path: Path):
    secured = LokiTempoFixture(tmp_path / "secured", ["--bearer", "tok-0123456789abcdef", "--tenant", "team-a"]).start()
    slow = LokiTempoFixture(tmp_path / "slow", ["--delay-ms", "3000"]).start()
    try:
        token = tmp_path / "token"
        token.write_text("tok-0123456789abcdef\n")
        write_tools_config(ws, "observability", f"""loki:
  - name: good
    url: {secured.url}
    auth: {{bearer: {{token_file: {token}}}}}
    headers: {{X-Scope-OrgID: team-a}}
  - name: notenant
    url: {secured.url}
    auth: {{bearer: {{token_file: {token}}}}}
  - name: badtoken
    url: {secured.url}
    auth: {{bearer: {{token: wrong-token-0000000}}}}
    headers: {{X-Scope-OrgID: team-a}}
  - name: slow
    url: {slow.url}
    timeout_seconds: 1
""")
        async with open_session(fathom_bin, ws) as conn:
            ok = await conn.call_ok("loki_labels", {"endpoint": "good"})
            assert "app" in ok.structured_content["items"]
            for name in ("notenant", "badtoken"):
                message = await conn.call_err("loki_labels", {"endpoint": name})
                assert "refused the credentials (HTTP 401" in message and "no org id" in message
                assert "tok-0123456789abcdef" not in message and "wrong-token" not in message
            message = await conn.call_err("loki_labels", {"endpoint": "slow"})
            assert "loki 'slow' did not answer within 1 s" in message
    finally:
        secured.stop()
        slow.stop()
