"""The Prometheus tools against a real Prometheus 2.42 scraping a real node-exporter, through the
official MCP SDK. Results are checked against what Prometheus's own API says in the same moment."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from conftest import TRANSPORTS, Workspace, open_session, text_of, write_tools_config
from realparts import ObservabilityStack, SecurePrometheus, CertificateAuthority

pytestmark = pytest.mark.anyio

PROMETHEUS_TOOLS = {
    "prometheus_query", "prometheus_query_range", "prometheus_federated_query", "prometheus_series",
    "prometheus_label_names", "prometheus_label_values", "prometheus_metric_metadata", "prometheus_targets",
    "prometheus_rules", "prometheus_alerts", "observability_endpoints", "query_result_page",
}


def config(obs: ObservabilityStack, extra: str = "") -> str:
    return f"""prometheus:
  - name: local
    url: {obs.prometheus_url}
    cluster: test
    timeout_seconds: 10
{extra}"""


@pytest.mark.parametrize("transport", TRANSPORTS)
async def test_instant_query_matches_prometheus_over_every_transport(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack, transport: str):
    write_tools_config(ws, "observability", config(obs))
    expected = {(r["metric"]["job"], r["value"][1]) for r in obs.query("up")}
    async with open_session(fathom_bin, ws, transport=transport) as conn:
        tools = {t.name: t for t in (await conn.session.list_tools()).tools}
        assert PROMETHEUS_TOOLS <= set(tools)
        for name in PROMETHEUS_TOOLS:
            assert tools[name].annotations.read_only_hint is True, name
        result = await conn.call_ok("prometheus_query", {"query": "up"})
    series = result.structured_content["series"]
    assert {(s["labels"]["job"], str(int(s["last"]))) for s in series} == expected
    assert "up{instance=" in text_of(result)
    assert result.structured_content["endpoint"] == "local"


async def test_observability_tools_are_absent_without_endpoints(fathom_bin: Path, ws: Workspace):
    async with open_session(fathom_bin, ws) as conn:
        names = {t.name for t in (await conn.session.list_tools()).tools}
    assert not names & PROMETHEUS_TOOLS


async def test_range_query_summarizes_and_the_cursor_holds_every_point(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    write_tools_config(ws, "observability", config(obs, "max_points: 30\n"))
    async with open_session(fathom_bin, ws) as conn:
        result = await conn.call_ok(
            "prometheus_query_range", {"query": "node_cpu_seconds_total", "duration": "2m", "step": "1s", "limit": 2}
        )
        data = result.structured_content
        # 120 s at most 30 points: the 1 s step is raised to 5 s.
        assert data["step"] == 5
        assert data["seriesCount"] >= 4 and len(data["series"]) == 2 and data["truncated"] is True
        first = data["series"][0]
        assert first["min"] <= first["avg"] <= first["max"] and first["points"] <= 25
        assert data["series"][0]["max"] >= data["series"][1]["max"]
        page = await conn.call_ok("query_result_page", {"cursor": data["cursor"], "limit": 1000})
    items = page.structured_content["items"]
    assert page.structured_content["total"] == data["seriesCount"] == len(items)
    assert items[0]["series"] == first["series"]
    values = [float(v[1]) for v in items[0]["values"]]
    assert max(values) == pytest.approx(first["max"]) and min(values) == pytest.approx(first["min"])


async def test_ten_thousand_series_stay_behind_the_cursor(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    obs.set_metric("".join(f'fathom_many{{i="{i}"}} {i}\n' for i in range(10_000)), name="many.prom")
    try:
        obs_wait = lambda: len(obs.query("fathom_many")) == 10_000  # noqa: E731
        from realparts import wait_for

        wait_for(obs_wait, 30, "10,000 series scraped", interval=0.2)
        write_tools_config(ws, "observability", config(obs))
        async with open_session(fathom_bin, ws) as conn:
            result = await conn.call_ok("prometheus_query", {"query": "fathom_many"})
            text = text_of(result)
            assert result.structured_content["seriesCount"] == 10_000
            assert len(result.structured_content["series"]) == 20
            assert result.structured_content["series"][0]["last"] == 9999  # highest first
            assert len(text.encode()) < 4000, "a summary must not carry thousands of series"
            assert "showing 20 of 10000 series" in text
            cursor = result.structured_content["cursor"]
            seen: set[str] = set()
            offset: int | None = 0
            while offset is not None:
                page = await conn.call_ok("query_result_page", {"cursor": cursor, "offset": offset, "limit": 1000})
                seen.update(item["labels"]["i"] for item in page.structured_content["items"])
                offset = page.structured_content.get("next")
            assert seen == {str(i) for i in range(10_000)}
    finally:
        (obs.textfile / "many.prom").unlink()


async def test_promql_syntax_error_passes_prometheus_message_on(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    write_tools_config(ws, "observability", config(obs))
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("prometheus_query", {"query": "sum(rate(up[5m]"})
    assert "HTTP 400" in message and "bad_data" in message and "parse error" in message


async def test_unreachable_and_unknown_endpoints_are_clear(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    write_tools_config(ws, "observability", config(obs, f"  - name: dead\n    url: http://127.0.0.1:{dead}\n"))
    async with open_session(fathom_bin, ws) as conn:
        message = await conn.call_err("prometheus_query", {"query": "up", "endpoint": "dead"})
        assert f"prometheus 'dead' at http://127.0.0.1:{dead} is unreachable: connection refused" in message
        message = await conn.call_err("prometheus_query", {"query": "up", "endpoint": "nope"})
        assert "No prometheus endpoint or cluster is named 'nope'" in message and "local (cluster test)" in message
        # The cluster label picks the endpoint too.
        await conn.call_ok("prometheus_query", {"query": "up", "cluster": "test"})


async def test_a_silent_server_times_out_with_the_configured_limit(fathom_bin: Path, ws: Workspace):
    # Accepts connections and reads, never answers: what a hung Prometheus looks like.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        port = listener.getsockname()[1]
        write_tools_config(ws, "observability", f"prometheus:\n  - name: hung\n    url: http://127.0.0.1:{port}\n    timeout_seconds: 1\n")
        async with open_session(fathom_bin, ws) as conn:
            message = await conn.call_err("prometheus_query", {"query": "up"})
            assert "prometheus 'hung' did not answer within 1 s" in message
            await conn.alive()
    finally:
        stop.set()
        thread.join()
        for s in held:
            s.close()
        listener.close()


async def test_targets_rules_and_alerts_read_prometheus_state(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    write_tools_config(ws, "observability", config(obs))
    from realparts import http_json, wait_for

    wait_for(lambda: any(a["labels"]["alertname"] == "FathomTestAlwaysFiring" and a["state"] == "firing"
                         for a in http_json(obs.prometheus_url + "/api/v1/alerts")["data"]["alerts"]), 30, "alert firing")
    wait_for(lambda: any(t["health"] == "down" for t in http_json(obs.prometheus_url + "/api/v1/targets")["data"]["activeTargets"]),
             30, "missing target marked down")
    async with open_session(fathom_bin, ws) as conn:
        targets = await conn.call_ok("prometheus_targets", {})
        items = targets.structured_content["items"]
        assert items[0]["job"] == "missing" and items[0]["health"] == "down" and items[0]["lastError"]
        assert targets.structured_content["health"]["up"] == 2
        assert text_of(targets).splitlines()[1].startswith("DOWN missing")
        up_only = await conn.call_ok("prometheus_targets", {"health": "up"})
        assert {i["job"] for i in up_only.structured_content["items"]} == {"node", "prometheus"}

        rules = await conn.call_ok("prometheus_rules", {})
        by_name = {r["name"]: r for r in rules.structured_content["items"]}
        assert by_name["FathomTestAlwaysFiring"]["state"] == "firing"
        assert by_name["FathomTestHigh"]["state"] == "inactive"
        assert by_name["fathom:node_cpu:rate1m"]["type"] == "recording"
        recording = await conn.call_ok("prometheus_rules", {"type": "record"})
        assert [r["name"] for r in recording.structured_content["items"]] == ["fathom:node_cpu:rate1m"]

        alerts = await conn.call_ok("prometheus_alerts", {"state": "firing"})
        assert "FathomTestAlwaysFiring" in text_of(alerts)
        assert "always firing, for tests" in text_of(alerts)


async def test_series_labels_and_metadata(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    write_tools_config(ws, "observability", config(obs))
    async with open_session(fathom_bin, ws) as conn:
        series = await conn.call_ok("prometheus_series", {"match": ['up{job="node"}']})
        assert [i["job"] for i in series.structured_content["items"]] == ["node"]
        names = await conn.call_ok("prometheus_label_names", {"match": ["node_cpu_seconds_total"]})
        assert {"cpu", "mode", "instance", "job", "__name__"} <= set(names.structured_content["items"])
        values = await conn.call_ok("prometheus_label_values", {"label": "job"})
        assert {"node", "prometheus", "missing"} <= set(values.structured_content["items"])
        meta = await conn.call_ok("prometheus_metric_metadata", {"metric": "node_cpu_seconds_total"})
        assert meta.structured_content["items"][0]["type"] == "counter"
        none = await conn.call_ok("prometheus_metric_metadata", {"metric": "no_such_metric_here"})
        assert none.structured_content["count"] == 0 and "no metadata" in text_of(none)
        bad = await conn.call("prometheus_label_values", {"label": "bad label/../x"})
        assert bad.is_error and "Invalid arguments" in text_of(bad)


async def test_federated_query_labels_each_series_with_its_source(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    write_tools_config(ws, "observability", f"""prometheus:
  - {{name: eu, url: "{obs.prometheus_url}", cluster: prod-eu}}
  - {{name: us, url: "{obs.prometheus_url}", cluster: prod-us}}
  - {{name: ap, url: "http://127.0.0.1:{dead}", cluster: prod-ap}}
cluster_groups:
  prod: [prod-eu, prod-us, prod-ap]
  europe: [prod-eu]
""")
    async with open_session(fathom_bin, ws) as conn:
        result = await conn.call_ok("prometheus_federated_query", {"query": 'up{job="node"}', "group": "prod"})
        data = result.structured_content
        assert sorted((s["labels"]["source"], s["labels"]["cluster"]) for s in data["series"]) == [("eu", "prod-eu"), ("us", "prod-us")]
        assert [f["endpoint"] for f in data["failures"]] == ["ap"]
        assert "ap failed" in text_of(result) and "unreachable" in text_of(result)
        europe = await conn.call_ok("prometheus_federated_query", {"query": "up", "group": "europe"})
        assert {s["labels"]["source"] for s in europe.structured_content["series"]} == {"eu"}
        message = await conn.call_err("prometheus_federated_query", {"query": "up", "group": "mars"})
        assert "No cluster group is named 'mars'. Configured in observability.cluster_groups: europe, prod." in message
        endpoints = await conn.call_ok("observability_endpoints", {})
        assert {e["name"] for e in endpoints.structured_content["endpoints"]} == {"eu", "us", "ap"}
        assert endpoints.structured_content["clusterGroups"]["prod"] == ["prod-eu", "prod-us", "prod-ap"]


def secure_config(server: SecurePrometheus, ca: CertificateAuthority, *, password: str | None = None, ca_file: str = "ca.crt",
                  client_cert: bool = True, skip_verify: bool = False) -> str:
    tls = [f"ca_file: {ca.path(ca_file)}"] if ca_file else []
    if client_cert:
        tls += [f"cert_file: {ca.path('client.crt')}", f"key_file: {ca.path('client.key')}"]
    if skip_verify:
        tls.append("insecure_skip_verify: true")
    return f"""prometheus:
  - name: secure
    url: {server.url}
    timeout_seconds: 10
    auth:
      basic: {{username: {server.username}, password_env: SECURE_PROM_PASSWORD}}
    tls: {{{', '.join(tls)}}}
""", password or server.password


async def test_tls_client_certificates_and_basic_auth(fathom_bin: Path, ws: Workspace, secure_prometheus: SecurePrometheus, test_ca: CertificateAuthority):
    cases = [
        ({}, None),
        ({"password": "wrong-password"}, "refused the credentials (HTTP 401, auth: basic (fathom))"),
        ({"client_cert": False}, "refused the client certificate"),
        ({"ca_file": "other-ca.crt"}, "not signed by a trusted CA"),
        ({"ca_file": "", "skip_verify": True}, None),
    ]
    for options, failure in cases:
        text, password = secure_config(secure_prometheus, test_ca, **options)
        write_tools_config(ws, "observability", text)
        async with open_session(fathom_bin, ws, env=ws.env(SECURE_PROM_PASSWORD=password)) as conn:
            if failure is None:
                result = await conn.call_ok("prometheus_query", {"query": "vector(42)"})
                assert result.structured_content["series"][0]["last"] == 42, options
            else:
                message = await conn.call_err("prometheus_query", {"query": "vector(1)"})
                assert failure in message, (options, message)
                assert password not in message


async def test_bad_observability_config_names_the_field(fathom_bin: Path, ws: Workspace):
    import subprocess

    cases = {
        "prometheus:\n  - name: a\n": "both name and url",
        "prometheus:\n  - {name: a, url: 'ftp://x'}\n": "an http:// or https:// URL",
        "prometheus:\n  - {name: a, url: 'http://u:p@x'}\n": "no user",
        "prometheus:\n  - {name: a, url: 'http://x', timeot_seconds: 3}\n": "unknown key 'timeot_seconds'",
        "prometheus:\n  - {name: a, url: 'http://x'}\n  - {name: a, url: 'http://y'}\n": "'a' again",
        "prometheus:\n  - {name: a, url: 'http://x', auth: {bearer: {token_env: NOPE_NOT_SET}}}\n": "NOPE_NOT_SET",
        "prometheus:\n  - {name: a, url: 'http://x', tls: {cert_file: /etc/hostname}}\n": "cert_file and key_file together",
        "prometheus:\n  - {name: 'a b', url: 'http://x'}\n": "a short name",
        "prometheus: {name: a}\n": "a list of endpoints",
        "max_points: 5\n": "from 10 to 11000",
    }
    for text, expected in cases.items():
        path = write_tools_config(ws, "observability", text)
        result = subprocess.run([str(fathom_bin), "tools", "list"], cwd=ws.project, env=ws.env(), capture_output=True, text=True, timeout=60)
        assert result.returncode != 0, text
        assert expected in result.stderr and str(path) in result.stderr, (text, result.stderr)


async def test_detect_anomalies_finds_a_spike_and_a_level_shift(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    from realparts import wait_for

    def samples(metric: str) -> int:
        result = obs.query(f"count_over_time({metric}[5m])")
        return int(float(result[0]["value"][1])) if result else 0

    def write(level: float, spike: float) -> None:
        obs.set_metric(f'fathom_anomaly_level{{k="a"}} {level}\nfathom_anomaly_spike{{k="b"}} {spike}\n', name="anomaly.prom")

    write(1, 1)
    try:
        # History builds at the 1 s scrape interval: a baseline, a short spike with the shift, then the new level.
        wait_for(lambda: samples("fathom_anomaly_level") >= 14, 60, "baseline samples", interval=0.2)
        write(100, 200)
        base = samples("fathom_anomaly_spike")
        wait_for(lambda: samples("fathom_anomaly_spike") >= base + 2, 30, "spike samples", interval=0.1)
        write(100, 1)
        base = samples("fathom_anomaly_level")
        wait_for(lambda: samples("fathom_anomaly_level") >= base + 8, 30, "new level samples", interval=0.2)
        write_tools_config(ws, "observability", config(obs))
        async with open_session(fathom_bin, ws) as conn:
            result = await conn.call_ok("detect_anomalies", {
                "query": '{__name__=~"fathom_anomaly_.*"}', "duration": "2m", "step": "1s"})
            data = result.structured_content
            by_name = {s["labels"]["__name__"]: s for s in data["series"]}
            assert set(by_name) == {"fathom_anomaly_level", "fathom_anomaly_spike"}, text_of(result)
            spike = by_name["fathom_anomaly_spike"]["windows"]
            assert spike and spike[0]["direction"] == "spike" and spike[0]["peak"] == 200 and spike[0]["points"] >= 2
            shift = by_name["fathom_anomaly_level"]["changePoints"]
            assert shift and shift[0]["before"] == pytest.approx(1) and shift[0]["after"] == pytest.approx(100)
            assert "level shift at" in text_of(result) and "spike" in text_of(result)
            quiet = await conn.call_ok("detect_anomalies", {"query": "vector(1)", "duration": "5m"})
            assert quiet.structured_content["anomalousSeries"] == 0 and "nothing stands out" in text_of(quiet)
    finally:
        (obs.textfile / "anomaly.prom").unlink(missing_ok=True)


class HostileServer:
    """Answers every request with one canned (status, body): what a broken proxy or a wrong URL gives."""

    def __init__(self) -> None:
        import http.server

        self.status, self.body = 200, b""
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                self.send_response(outer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(outer.body)))
                self.end_headers()
                self.wfile.write(outer.body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


async def test_hostile_and_broken_responses_are_clear_errors(fathom_bin: Path, ws: Workspace):
    hostile = HostileServer()
    try:
        write_tools_config(ws, "observability", f"prometheus:\n  - name: odd\n    url: {hostile.url}\nmax_response_bytes: 4096\n")
        cases = [
            (200, b'{"status":"success","data":{"resultType":"vector","result":[{"metric":{}', "not JSON"),
            (200, b"<html>proxy login</html>", "not JSON"),
            (200, b'{"status":"success","data":{"resultType":"vector","result":"nope"}}', "result is not a list"),
            (200, b'{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1]]}]}}', "a sample is not"),
            (200, b'{"status":"success","data":{"resultType":"vector","result":[' + b'{"metric":{},"value":[1,"1"]},' * 400 + b'{}]}}',
             "more than 4096 bytes"),
            (502, b"Bad Gateway", "HTTP 502"),
            (503, b'{"status":"error","errorType":"unavailable","error":"TSDB not ready"}', "unavailable: TSDB not ready"),
        ]
        async with open_session(fathom_bin, ws) as conn:
            for status, body, expected in cases:
                hostile.status, hostile.body = status, body
                message = await conn.call_err("prometheus_query", {"query": "up"})
                assert expected in message, (body[:80], message)
            oversized = await conn.call("prometheus_query", {"query": "x" * 20_000})
            assert oversized.is_error and "Invalid arguments" in text_of(oversized)
            for bad in ({"query": "up", "time": "yesterday"}, {"query": "up", "limit": 0}, {"query": 5}, {}):
                result = await conn.call("prometheus_query", bad)
                assert result.is_error, bad
            await conn.alive()
    finally:
        hostile.close()


async def test_a_query_too_long_for_a_url_goes_as_a_form_post(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    write_tools_config(ws, "observability", config(obs))
    query = "up" + " or up" * 1500  # 9,000 bytes: over the 4 KiB kept for URLs
    async with open_session(fathom_bin, ws) as conn:
        result = await conn.call_ok("prometheus_query", {"query": query})
    assert result.structured_content["seriesCount"] == len(obs.query("up"))


async def test_sighup_adds_an_endpoint_and_its_tools_without_dropping_the_session(fathom_bin: Path, ws: Workspace, obs: ObservabilityStack):
    import os
    import signal

    from test_http_transport import find_serve_pid

    async with open_session(fathom_bin, ws, transport="http") as conn:
        before = {t.name for t in (await conn.session.list_tools()).tools}
        assert "prometheus_query" not in before
        write_tools_config(ws, "observability", config(obs))
        os.kill(find_serve_pid(conn.stderr), signal.SIGHUP)
        await conn.rec.wait_for(lambda m: "tools/list_changed" in str(m) or "ToolListChanged" in type(getattr(m, "root", m)).__name__)
        after = {t.name for t in (await conn.session.list_tools()).tools}
        assert PROMETHEUS_TOOLS <= after
        result = await conn.call_ok("prometheus_query", {"query": "up"})
        assert result.structured_content["seriesCount"] == len(obs.query("up"))
