"""`fathom serve`: MCP over HTTP with the official SDK's clients and with raw HTTP.

Covers every protocol revision on Streamable HTTP and legacy SSE, the stateless 2026-07-28 revision,
sessions (DELETE, expiry), resumption after a cut connection, and the refusals: Origin (403),
auth (401), rate limit (429), body size (413), media types (406/415) and malformed JSON-RPC.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import Any, Iterator

import httpx
import mcp_types as types
import pytest
from mcp.client import Client
from mcp.client.streamable_http import streamable_http_client

from conftest import (
    HELLO_TEXT,
    LATEST,
    PROTOCOL_VERSIONS,
    AGENT_TOOLS,
    READ_ONLY_TOOLS,
    REQUEST_TIMEOUT,
    ServeProcess,
    Workspace,
    http_client,
    open_session,
    text_of,
)

pytestmark = pytest.mark.anyio

ACCEPT_BOTH = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}
TOKEN = "interop-token-0123456789abcdef"


def initialize_body(version: str = LATEST, request_id: int = 1) -> dict[str, Any]:
    return {
        "jsonrpc": "2.0",
        "id": request_id,
        "method": "initialize",
        "params": {"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "raw-http", "version": "1"}},
    }


def sse_events(lines: Iterator[str]) -> Iterator[dict[str, str]]:
    """Server-sent events as dicts of id, event and data, per the SSE parsing rules."""
    event: dict[str, str] = {}
    data: list[str] = []
    for line in lines:
        if line == "":
            if data or "id" in event:
                event["data"] = "\n".join(data)
                yield event
            event, data = {}, []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "data":
            data.append(value)
        elif field in ("id", "event", "retry"):
            event[field] = value


class RawHTTP:
    """Hand-written HTTP for exact wire checks: one session, its id sent on every request."""

    def __init__(self, base: str, token: str | None = None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT, headers=headers)
        self.session_id: str | None = None
        self.version = LATEST
        self._next = 100

    def close(self) -> None:
        self.client.close()

    def headers(self, **extra: str) -> dict[str, str]:
        headers = dict(ACCEPT_BOTH)
        if self.session_id:
            headers["Mcp-Session-Id"] = self.session_id
            headers["MCP-Protocol-Version"] = self.version
        headers.update(extra)
        return headers

    def initialize(self, version: str = LATEST) -> dict[str, Any]:
        reply = self.client.post("/mcp", json=initialize_body(version), headers=ACCEPT_BOTH)
        assert reply.status_code == 200, reply.text
        self.session_id = reply.headers["mcp-session-id"]
        self.version = version
        notified = self.client.post(
            "/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=self.headers()
        )
        assert notified.status_code == 202, notified.text
        return reply.json()

    def request(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """One request; the reply whether it came as JSON or as an SSE stream."""
        self._next += 1
        body = {"jsonrpc": "2.0", "id": self._next, "method": method, "params": params or {}}
        reply = self.client.post("/mcp", json=body, headers=self.headers())
        assert reply.status_code == 200, reply.text
        if reply.headers["content-type"].startswith("text/event-stream"):
            for event in sse_events(iter(reply.text.split("\n"))):
                if event.get("data"):
                    message = json.loads(event["data"])
                    if message.get("id") == self._next:
                        return message
            raise AssertionError(f"no reply in stream: {reply.text[:2000]}")
        return reply.json()


@pytest.fixture
def raw_http(serve):
    clients: list[RawHTTP] = []

    def make(server: ServeProcess, token: str | None = None) -> RawHTTP:
        client = RawHTTP(server.base, token)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


# --- every revision, through the SDK's own clients -------------------------------------------


@pytest.mark.parametrize("transport", ["http", "sse"])
@pytest.mark.parametrize("version", PROTOCOL_VERSIONS)
async def test_sdk_clients_at_each_revision(fathom_bin, ws, transport, version):
    async with open_session(fathom_bin, ws, version=version, transport=transport) as conn:
        assert conn.init.protocol_version == version
        assert conn.init.server_info.name == "fathom"
        names = [t.name for t in (await conn.session.list_tools()).tools]
        assert sorted(names) == sorted(READ_ONLY_TOOLS + AGENT_TOOLS)
        result = await conn.call_ok("read_text_file", {"path": str(ws.root / "hello.txt")})
        assert text_of(result) == HELLO_TEXT
        prompts = await conn.session.list_prompts()
        assert "triage-file" in [p.name for p in prompts.prompts]
    row = ws.wait_audit_row(tool="read_text_file")
    assert row["outcome"] == "ok" and row["client"] == "fathom-interop"


async def test_progress_and_logs_reach_the_post_stream(fathom_bin, ws, medium_tree):
    """Notifications of a call travel on that call's own SSE reply, so a client without a GET stream sees them."""
    env = ws.env(FATHOM_FILESYSTEM_ROOTS=str(medium_tree))
    progress: list[float] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append(done)

    async with open_session(fathom_bin, ws, env=env, transport="http") as conn:
        await conn.session.set_logging_level("debug")
        result = await conn.session.call_tool(
            "search_files", {"path": str(medium_tree), "pattern": "*.nomatch"}, progress_callback=on_progress
        )
        assert not result.is_error, text_of(result)
        assert progress, "no progress notification reached the client"
        assert progress == sorted(progress)
        await conn.rec.wait_for(lambda m: isinstance(m, types.ServerNotification) and "search_files" in str(m))


async def test_stateless_revision_with_the_sdk_client(serve, ws):
    server = serve()
    async with Client(server.mcp_url, mode="2026-07-28") as client:
        tools = await client.list_tools()
        assert sorted(t.name for t in tools.tools) == sorted(READ_ONLY_TOOLS + AGENT_TOOLS)
        result = await client.call_tool("read_text_file", {"path": str(ws.root / "hello.txt")})
        assert not result.is_error and result.content[0].text == HELLO_TEXT
        prompt = await client.get_prompt("triage-file", {"path": "a.txt"})
        assert "a.txt" in prompt.messages[0].content.text
        read = await client.read_resource((ws.root / "notes.md").as_uri())
        assert "alpha beta" in read.contents[0].text
    # auto mode finds the revision through server/discover.
    async with Client(server.mcp_url) as client:
        assert client.protocol_version == "2026-07-28"
        assert client.server_info is not None and client.server_info.name == "fathom"
        assert (await client.list_tools()).tools
    # Without a token, the identity is the client's self-reported name from _meta.
    assert ws.wait_audit_row(tool="read_text_file")["client"] == "mcp"


async def test_stateless_revision_wire_rules(serve):
    """The 2026-07-28 checks in their order: envelope, routing headers, version, method."""
    server = serve()
    meta = {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientCapabilities": {},
        "io.modelcontextprotocol/clientInfo": {"name": "wire", "version": "1"},
    }
    headers = {**ACCEPT_BOTH, "MCP-Protocol-Version": "2026-07-28", "Mcp-Method": "tools/list"}

    def post(body: Any, **extra: str) -> httpx.Response:
        return httpx.post(server.mcp_url, json=body, headers={**headers, **extra}, timeout=REQUEST_TIMEOUT)

    ok = post({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": meta}})
    assert ok.status_code == 200 and "mcp-session-id" not in ok.headers
    result = ok.json()["result"]
    assert result["resultType"] == "complete" and result["ttlMs"] == 0 and result["cacheScope"] == "private"
    assert result["_meta"]["io.modelcontextprotocol/serverInfo"]["name"] == "fathom"

    discover = post(
        {"jsonrpc": "2.0", "id": 2, "method": "server/discover", "params": {"_meta": meta}}, **{"Mcp-Method": "server/discover"}
    ).json()["result"]
    assert discover["supportedVersions"] == ["2026-07-28"] and "tools" in discover["capabilities"]

    missing = post({"jsonrpc": "2.0", "id": 3, "method": "tools/list", "params": {"_meta": {"io.modelcontextprotocol/protocolVersion": "2026-07-28"}}})
    assert missing.status_code == 400 and missing.json()["error"]["code"] == -32602
    assert missing.json()["id"] == 3

    wrong_method = post({"jsonrpc": "2.0", "id": 4, "method": "tools/list", "params": {"_meta": meta}}, **{"Mcp-Method": "Tools/List"})
    assert wrong_method.status_code == 400 and wrong_method.json()["error"]["code"] == -32020

    call = {"jsonrpc": "2.0", "id": 5, "method": "tools/call", "params": {"name": "list_allowed_directories", "arguments": {}, "_meta": meta}}
    no_name = post(call, **{"Mcp-Method": "tools/call"})
    assert no_name.status_code == 400 and no_name.json()["error"]["code"] == -32020
    wrong_name = post(call, **{"Mcp-Method": "tools/call", "Mcp-Name": "other"})
    assert wrong_name.status_code == 400 and wrong_name.json()["error"]["code"] == -32020
    encoded = post(call, **{"Mcp-Method": "tools/call", "Mcp-Name": "=?base64?bGlzdF9hbGxvd2VkX2RpcmVjdG9yaWVz?="})
    assert encoded.status_code == 200 and encoded.json()["result"]["resultType"] == "complete"

    future = {**meta, "io.modelcontextprotocol/protocolVersion": "2099-01-01"}
    unsupported = post({"jsonrpc": "2.0", "id": 6, "method": "tools/list", "params": {"_meta": future}}, **{"MCP-Protocol-Version": "2099-01-01"})
    assert unsupported.status_code == 400
    error = unsupported.json()["error"]
    assert error["code"] == -32022 and "2026-07-28" in error["data"]["supported"] and error["data"]["requested"] == "2099-01-01"

    mismatch = post({"jsonrpc": "2.0", "id": 7, "method": "tools/list", "params": {"_meta": meta}}, **{"MCP-Protocol-Version": "2026-01-01"})
    assert mismatch.status_code == 400 and mismatch.json()["error"]["code"] == -32020

    unknown = post({"jsonrpc": "2.0", "id": 8, "method": "nothing/here", "params": {"_meta": meta}}, **{"Mcp-Method": "nothing/here"})
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == -32601

    get = httpx.get(server.mcp_url, headers={"Accept": "text/event-stream", "MCP-Protocol-Version": "2026-07-28"})
    assert get.status_code == 405 and get.headers["allow"] == "POST"


async def test_stateless_mode_serves_earlier_revisions_without_sessions(fathom_bin, ws, serve):
    server = serve(FATHOM_HTTP_STATELESS="true")
    reply = httpx.post(server.mcp_url, json=initialize_body(), headers=ACCEPT_BOTH)
    assert reply.status_code == 200 and "mcp-session-id" not in reply.headers
    async with http_client() as client, streamable_http_client(server.mcp_url, http_client=client) as (read, write):
        from mcp import ClientSession

        async with ClientSession(read, write) as session:
            await session.initialize()
            result = await session.call_tool("read_text_file", {"path": str(ws.root / "hello.txt")})
            assert result.content[0].text == HELLO_TEXT


# --- sessions ------------------------------------------------------------------------------


async def test_session_ids_delete_and_unknown_sessions(serve, raw_http):
    server = serve()
    a, b = raw_http(server), raw_http(server)
    a.initialize()
    b.initialize()
    assert a.session_id != b.session_id and len(a.session_id) == 32
    assert all(c in "0123456789abcdef" for c in a.session_id)
    assert a.request("tools/list")["result"]["tools"]

    no_session = httpx.post(server.mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"}, headers=ACCEPT_BOTH)
    assert no_session.status_code == 400

    unknown = httpx.post(
        server.mcp_url, json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        headers={**ACCEPT_BOTH, "Mcp-Session-Id": "0" * 32},
    )
    assert unknown.status_code == 404 and unknown.json()["error"]["message"]

    deleted = a.client.delete("/mcp", headers=a.headers())
    assert deleted.status_code in (200, 204)
    gone = a.client.post("/mcp", json={"jsonrpc": "2.0", "id": 9, "method": "tools/list"}, headers=a.headers())
    assert gone.status_code == 404
    assert b.request("tools/list")["result"]["tools"], "deleting one session must not touch another"


async def test_idle_sessions_expire(serve, raw_http):
    server = serve(FATHOM_HTTP_SESSION_IDLE_SECONDS="1")
    client = raw_http(server)
    client.initialize()
    deadline = time.monotonic() + 30
    status = 200
    while time.monotonic() < deadline:
        time.sleep(0.3)
        status = client.client.post(
            "/mcp", json={"jsonrpc": "2.0", "method": "notifications/initialized"}, headers=client.headers()
        ).status_code
        if status == 404:
            break
        # Each request renews the session, so stop renewing and wait past the timeout.
        time.sleep(2.5)
    assert status == 404, "an idle session should have expired"


async def test_resume_after_the_connection_is_cut(serve, raw_http, big_tree, ws):
    """A POST stream cut mid-way resumes with Last-Event-ID: every event arrives exactly once."""
    server = serve(FATHOM_FILESYSTEM_ROOTS=str(big_tree))
    setup = raw_http(server)
    setup.initialize()
    call = {
        "jsonrpc": "2.0", "id": 77, "method": "tools/call",
        "params": {"name": "search_files", "arguments": {"path": str(big_tree), "pattern": "*.nomatch"}, "_meta": {"progressToken": "p"}},
    }
    first: list[dict[str, str]] = []
    with httpx.Client(timeout=REQUEST_TIMEOUT) as cut:
        with cut.stream("POST", server.mcp_url, json=call, headers=setup.headers()) as reply:
            assert reply.headers["content-type"].startswith("text/event-stream")
            for event in sse_events(reply.iter_lines()):
                first.append(event)
                if sum(1 for e in first if e.get("data")) >= 3:
                    break
        # Leaving both blocks closes the socket mid-stream.
    last_id = [e["id"] for e in first if "id" in e][-1]
    rest: list[dict[str, str]] = []
    with httpx.Client(timeout=REQUEST_TIMEOUT) as again:
        with again.stream("GET", server.mcp_url, headers={**setup.headers(), "Last-Event-ID": last_id}) as resumed:
            assert resumed.status_code == 200
            for event in sse_events(resumed.iter_lines()):
                rest.append(event)
                if event.get("data") and json.loads(event["data"]).get("id") == 77:
                    break
    ids = [e["id"] for e in first + rest if "id" in e]
    stream_numbers = {i.split("-")[0] for i in ids}
    sequences = [int(i.split("-")[1]) for i in ids]
    assert len(stream_numbers) == 1, ids
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences))), f"lost or repeated events: {ids}"
    messages = [json.loads(e["data"]) for e in first + rest if e.get("data")]
    assert messages[-1]["id"] == 77 and "result" in messages[-1]
    progress = [m["params"]["progress"] for m in messages if m.get("method") == "notifications/progress"]
    assert len(progress) >= 3 and progress == sorted(progress) and len(set(progress)) == len(progress)


async def test_standalone_stream_delivers_what_was_sent_while_disconnected(serve, raw_http, ws):
    server = serve()
    client = raw_http(server)
    client.initialize()
    uri = (ws.root / "notes.md").as_uri()
    assert "result" in client.request("resources/subscribe", {"uri": uri})
    (ws.root / "notes.md").write_text("changed once\n")
    # No GET stream is open yet: the update waits in the session's stream.
    seen = None
    with httpx.Client(timeout=REQUEST_TIMEOUT) as get:
        with get.stream("GET", server.mcp_url, headers=client.headers(Accept="text/event-stream")) as stream:
            assert stream.status_code == 200
            for event in sse_events(stream.iter_lines()):
                if event.get("data") and "resources/updated" in event["data"]:
                    seen = json.loads(event["data"])
                    break
    assert seen is not None and seen["params"]["uri"] == uri


async def test_hostile_last_event_ids(serve, raw_http):
    server = serve()
    client = raw_http(server)
    client.initialize()
    for last in ["0-9223372036854775807", "0-99", "7-1", "x-1", "0--1", "-".join(["1"] * 40)]:
        reply = client.client.get("/mcp", headers=client.headers(Accept="text/event-stream", **{"Last-Event-ID": last}))
        assert reply.status_code == 400, (last, reply.status_code, reply.text)
        assert reply.json()["error"]["message"]
    assert client.request("ping")["result"] == {}, "the server must survive every one of them"


async def test_five_hundred_sessions_at_once(serve):
    server = serve()

    async def one(client: httpx.AsyncClient, index: int) -> str:
        reply = await client.post("/mcp", json=initialize_body(request_id=index), headers=ACCEPT_BOTH)
        assert reply.status_code == 200, reply.text
        session = reply.headers["mcp-session-id"]
        listed = await client.post(
            "/mcp", json={"jsonrpc": "2.0", "id": index + 1, "method": "tools/list"},
            headers={**ACCEPT_BOTH, "Mcp-Session-Id": session, "MCP-Protocol-Version": LATEST},
        )
        assert listed.status_code == 200 and listed.json()["result"]["tools"]
        return session

    limits = httpx.Limits(max_connections=500, max_keepalive_connections=500)
    async with httpx.AsyncClient(base_url=server.base, timeout=REQUEST_TIMEOUT, limits=limits) as client:
        sessions = await asyncio.gather(*(one(client, i * 2) for i in range(500)))
        assert len(set(sessions)) == 500
        metrics = (await client.get("/metrics")).text
        assert "fathom_mcp_sessions 500" in metrics
        deleted = await asyncio.gather(
            *(client.delete("/mcp", headers={"Mcp-Session-Id": s}) for s in sessions)
        )
        assert all(r.status_code == 204 for r in deleted)
        assert "fathom_mcp_sessions 0" in (await client.get("/metrics")).text


async def test_session_cap(serve):
    server = serve(FATHOM_HTTP_MAX_SESSIONS="2")
    for _ in range(2):
        assert httpx.post(server.mcp_url, json=initialize_body(), headers=ACCEPT_BOTH).status_code == 200
    full = httpx.post(server.mcp_url, json=initialize_body(), headers=ACCEPT_BOTH)
    assert full.status_code == 503 and full.headers["retry-after"] and "max_sessions" in full.json()["error"]["message"]


# --- refusals -------------------------------------------------------------------------------


async def test_origin_checks(serve):
    server = serve(FATHOM_HTTP_ALLOWED_ORIGINS="https://*.example.org")
    body = initialize_body()
    for origin in ["https://evil.example.com", "http://localhost.evil.example", "null", "http://127.0.0.1.nip.io:80"]:
        reply = httpx.post(server.mcp_url, json=body, headers={**ACCEPT_BOTH, "Origin": origin})
        assert reply.status_code == 403, origin
        assert reply.json()["error"]["message"]
    for origin in [f"http://127.0.0.1:{server.port}", "http://localhost:3000", "https://app.example.org"]:
        assert httpx.post(server.mcp_url, json=body, headers={**ACCEPT_BOTH, "Origin": origin}).status_code == 200, origin
    assert httpx.post(server.mcp_url, json=body, headers=ACCEPT_BOTH).status_code == 200
    # GETs are checked too: an event stream or the metrics page must not be readable from a hostile page.
    for path in ["/mcp", "/sse", "/metrics"]:
        assert httpx.get(server.base + path, headers={"Accept": "text/event-stream", "Origin": "https://evil.example.com"}).status_code == 403


async def test_dns_rebinding_host_names_are_refused_on_loopback(serve):
    """After a rebinding, a hostile page's requests carry its own host name, and same-origin GETs no Origin."""
    server = serve()
    for path in ["/metrics", "/sse", "/mcp"]:
        reply = httpx.get(server.base + path, headers={"Host": f"evil.example.com:{server.port}", "Accept": "text/event-stream"})
        assert reply.status_code == 421, (path, reply.status_code)
    ok = httpx.post(server.mcp_url, json=initialize_body(), headers={**ACCEPT_BOTH, "Host": f"localhost:{server.port}"})
    assert ok.status_code == 200


async def test_bearer_tokens_map_to_client_identities(fathom_bin, ws, serve):
    token_file = ws.base / "ci.token"
    token_file.write_text("ci-token-fedcba9876543210\n")
    (ws.project / "fathom.yaml").write_text(
        "http:\n"
        "  tokens:\n"
        "    - client: ops-desktop\n"
        "      token_env: OPS_TOKEN\n"
        f"    - client: ci\n"
        f"      token_file: {token_file}\n"
        "policy:\n"
        "  clients:\n"
        "    ci:\n"
        "      deny: [read_text_file]\n"
    )
    server = serve(OPS_TOKEN=TOKEN)
    body = initialize_body()
    missing = httpx.post(server.mcp_url, json=body, headers=ACCEPT_BOTH)
    assert missing.status_code == 401 and missing.headers["www-authenticate"].startswith("Bearer")
    wrong = httpx.post(server.mcp_url, json=body, headers={**ACCEPT_BOTH, "Authorization": "Bearer not-the-token-at-all"})
    assert wrong.status_code == 401 and "invalid_token" in wrong.headers["www-authenticate"]
    basic = httpx.post(server.mcp_url, json=body, headers={**ACCEPT_BOTH, "Authorization": "Basic dXNlcjpwYXNz"})
    assert basic.status_code == 401
    assert httpx.get(server.base + "/healthz").status_code == 200, "health checks stay open for probes"
    assert httpx.get(server.base + "/metrics").status_code == 401

    ops = RawHTTP(server.base, TOKEN)
    ops.initialize()
    reply = ops.request("tools/call", {"name": "read_text_file", "arguments": {"path": str(ws.root / "hello.txt")}})
    assert reply["result"]["content"][0]["text"] == HELLO_TEXT
    assert ws.wait_audit_row(tool="read_text_file", outcome="ok")["client"] == "ops-desktop"

    ci = RawHTTP(server.base, "ci-token-fedcba9876543210")
    ci.initialize()
    denied = ci.request("tools/call", {"name": "read_text_file", "arguments": {"path": str(ws.root / "hello.txt")}})
    assert denied["result"]["isError"] is True
    assert ws.wait_audit_row(tool="read_text_file", outcome="denied")["client"] == "ci"

    # A session belongs to its token: another identity cannot use it.
    stolen = ci.client.post("/mcp", json={"jsonrpc": "2.0", "id": 5, "method": "tools/list"}, headers={**ci.headers(), "Mcp-Session-Id": ops.session_id})
    assert stolen.status_code == 404
    ops.close()
    ci.close()

    # Guessing is throttled per address: a burst of bad tokens ends in 429.
    statuses = [
        httpx.post(server.mcp_url, json=body, headers={**ACCEPT_BOTH, "Authorization": f"Bearer guess-{i:020d}"}).status_code
        for i in range(30)
    ]
    assert statuses[0] == 401 and 429 in statuses
    # The throttle is per address and refills: a valid token works again a moment later.
    time.sleep(1.0)
    again = RawHTTP(server.base, TOKEN)
    again.initialize()
    again.close()


def hs256_jwt(claims: dict[str, Any], secret: str) -> str:
    """A JWT signed with HS256, built from the standard library (RFC 7519 / 7515)."""
    import base64
    import hashlib
    import hmac

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


async def test_jwt_bearer_tokens_and_protected_resource_metadata(fathom_bin, ws, serve):
    secret = "interop-jwt-secret-0123456789abcdef"
    (ws.project / "fathom.yaml").write_text(
        "http:\n"
        "  jwt:\n"
        "    issuer: https://auth.example.com/\n"
        "    audience: fathom\n"
        "    hs256_secret_env: JWT_SECRET\n"
        "  tokens:\n"
        "    - client: dotted\n"
        "      token: dotted.static.token-0123456789\n"
        "  oauth:\n"
        "    resource: https://fathom.example.com/mcp\n"
        "    authorization_servers: [https://auth.example.com/]\n"
        "    scopes: [fathom]\n"
    )
    server = serve(JWT_SECRET=secret)
    now = int(time.time())
    good = {"iss": "https://auth.example.com/", "aud": "fathom", "sub": "alice@example.com", "exp": now + 300}

    metadata = httpx.get(server.base + "/.well-known/oauth-protected-resource/mcp")
    assert metadata.status_code == 200
    assert metadata.json()["authorization_servers"] == ["https://auth.example.com/"]
    assert metadata.json()["resource"] == "https://fathom.example.com/mcp"

    anonymous = httpx.post(server.mcp_url, json=initialize_body(), headers=ACCEPT_BOTH)
    assert anonymous.status_code == 401
    assert 'resource_metadata="https://fathom.example.com/.well-known/oauth-protected-resource/mcp"' in anonymous.headers["www-authenticate"]

    for bad, reason in [
        ({**good, "exp": now - 600}, "expired"),
        ({**good, "aud": "someone-else"}, "audience"),
        ({**good, "iss": "https://evil.example.com/"}, "issuer"),
    ]:
        refused = httpx.post(server.mcp_url, json=initialize_body(), headers={**ACCEPT_BOTH, "Authorization": f"Bearer {hs256_jwt(bad, secret)}"})
        assert refused.status_code == 401 and reason in refused.json()["error"]["message"], refused.text
        assert 'error="invalid_token"' in refused.headers["www-authenticate"]
    forged = httpx.post(server.mcp_url, json=initialize_body(), headers={**ACCEPT_BOTH, "Authorization": f"Bearer {hs256_jwt(good, 'x' * 40)}"})
    assert forged.status_code == 401

    # A static token with two dots is still a static token when it is not a JWT.
    dotted = RawHTTP(server.base, "dotted.static.token-0123456789")
    dotted.initialize()
    dotted.close()

    client = RawHTTP(server.base, hs256_jwt(good, secret))
    client.initialize()
    client.request("tools/call", {"name": "read_text_file", "arguments": {"path": str(ws.root / "hello.txt")}})
    assert ws.wait_audit_row(tool="read_text_file")["client"] == "alice@example.com"
    client.close()


def test_non_loopback_bind_needs_auth(fathom_bin, ws):
    proc = subprocess.run(
        [str(fathom_bin), "serve", "--host", "0.0.0.0", "--port", "0"],
        env=ws.env(), cwd=ws.project, capture_output=True, text=True, timeout=REQUEST_TIMEOUT,
    )
    assert proc.returncode == 78
    assert "http.tokens" in proc.stderr and "0.0.0.0" in proc.stderr


def test_weak_tokens_are_refused(fathom_bin, ws):
    proc = subprocess.run(
        [str(fathom_bin), "serve", "--port", "0"],
        env=ws.env(FATHOM_HTTP_TOKEN="short"), cwd=ws.project, capture_output=True, text=True, timeout=REQUEST_TIMEOUT,
    )
    assert proc.returncode == 78 and "FATHOM_HTTP_TOKEN" in proc.stderr and "at least 16" in proc.stderr


async def test_rate_limit(serve):
    server = serve(FATHOM_HTTP_RATE_LIMIT="1", FATHOM_HTTP_RATE_BURST="3")
    statuses = []
    retry_after = None
    with httpx.Client(timeout=REQUEST_TIMEOUT) as client:
        for _ in range(8):
            reply = client.post(server.mcp_url, json=initialize_body(), headers=ACCEPT_BOTH)
            statuses.append(reply.status_code)
            if reply.status_code == 429:
                retry_after = reply.headers["retry-after"]
    assert statuses[:3] == [200, 200, 200] and 429 in statuses
    assert retry_after is not None and int(retry_after) >= 1


async def test_oversized_bodies_get_413(serve, raw_http):
    server = serve(FATHOM_HTTP_MAX_BODY_BYTES="2048")
    client = raw_http(server)
    client.initialize()
    big = {"jsonrpc": "2.0", "id": 3, "method": "tools/call", "params": {"name": "read_text_file", "arguments": {"path": "x" * 10_000}}}
    declared = client.client.post("/mcp", json=big, headers=client.headers())
    assert declared.status_code == 413 and "max_body_bytes" in declared.json()["error"]["message"]

    def chunks() -> Iterator[bytes]:
        payload = json.dumps(big).encode()
        for i in range(0, len(payload), 500):
            yield payload[i : i + 500]

    streamed = client.client.post("/mcp", content=chunks(), headers=client.headers())
    assert streamed.status_code == 413
    assert client.request("tools/list")["result"]["tools"], "the server must keep serving after refusing a body"


async def test_malformed_and_hostile_requests(serve, raw_http):
    server = serve()
    client = raw_http(server)
    client.initialize()
    post = lambda content, **h: client.client.post("/mcp", content=content, headers=client.headers(**h))  # noqa: E731

    parse = post(b'{"jsonrpc":"2.0","id":1,"method":')
    assert parse.status_code == 400 and parse.json()["error"]["code"] == -32700 and parse.json()["id"] is None
    not_object = post(b"42")
    assert not_object.status_code == 400 and not_object.json()["error"]["code"] == -32600
    invalid_utf8 = post(b'{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"x":"\xff\xfe"}}')
    assert invalid_utf8.status_code == 400 and invalid_utf8.json()["error"]["code"] == -32700
    unknown = client.request("no/such/method")
    assert unknown["error"]["code"] == -32601
    batch = post(b'[{"jsonrpc":"2.0","id":1,"method":"ping"}]')
    assert batch.json()["error"]["code"] == -32600  # 2025-11-25 has no batches
    html = post(b"{}", Accept="text/html")
    assert html.status_code == 406
    form = post(b"a=b", **{"Content-Type": "application/x-www-form-urlencoded"})
    assert form.status_code == 415
    deep = post(b"[" * 100_000)
    assert deep.status_code == 400
    bad_version = post(b'{"jsonrpc":"2.0","id":3,"method":"ping"}', **{"MCP-Protocol-Version": "1999-01-01"})
    assert bad_version.status_code == 400 and "1999-01-01" in bad_version.json()["error"]["message"]
    # Still healthy.
    assert client.request("ping")["result"] == {}


# --- operations -------------------------------------------------------------------------------


async def test_health_ready_and_metrics(serve, raw_http, ws):
    server = serve()
    assert httpx.get(server.base + "/healthz").text == "ok\n"
    assert httpx.get(server.base + "/readyz").status_code == 200
    client = raw_http(server)
    client.initialize()
    client.request("tools/call", {"name": "read_text_file", "arguments": {"path": str(ws.root / "hello.txt")}})
    metrics = httpx.get(server.base + "/metrics").text
    assert 'fathom_tool_calls_total{tool="read_text_file",outcome="ok"} 1' in metrics
    assert 'fathom_http_requests_total{route="/mcp",method="POST",status="200"}' in metrics
    assert "fathom_mcp_sessions 1" in metrics
    assert "fathom_http_request_duration_seconds_bucket" in metrics


async def test_sighup_reloads_without_dropping_sessions(fathom_bin, ws):
    async with open_session(fathom_bin, ws, transport="http") as conn:
        before = [p.name for p in (await conn.session.list_prompts()).prompts]
        assert "fresh" not in before
        (ws.project / "prompts" / "fresh.md").write_text("---\nname: fresh\ndescription: Added while running\n---\nFresh.\n")
        server_pid = find_serve_pid(conn.stderr)
        os.kill(server_pid, signal.SIGHUP)
        await conn.rec.wait_for(lambda m: "prompts/list_changed" in str(m) or "PromptListChanged" in type(getattr(m, "root", m)).__name__)
        after = [p.name for p in (await conn.session.list_prompts()).prompts]
        assert "fresh" in after
        # A broken config is refused and the running one stays.
        (ws.project / "fathom.yaml").write_text("polcy:\n  read_only: false\n")
        os.kill(server_pid, signal.SIGHUP)
        wait_for_text(conn.stderr, "reload rejected")
        assert "unknown key 'polcy'" in conn.stderr.read_text()
        result = await conn.call_ok("read_text_file", {"path": str(ws.root / "hello.txt")})
        assert text_of(result) == HELLO_TEXT


def find_serve_pid(stderr: Path) -> int:
    """The pid of the `fathom serve` whose stderr is this file."""
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if os.readlink(proc / "fd" / "2") == str(stderr):
                return int(proc.name)
        except OSError:
            continue
    raise AssertionError(f"no process writes to {stderr}")


def wait_for_text(path: Path, text: str, timeout: float = REQUEST_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if text in path.read_text(errors="replace"):
            return
        time.sleep(0.05)
    raise AssertionError(f"{text!r} never appeared in {path}: {path.read_text(errors='replace')[-2000:]}")


async def test_sigterm_stops_gracefully_with_streams_open(serve, raw_http):
    server = serve()
    client = raw_http(server)
    client.initialize()
    with httpx.Client(timeout=REQUEST_TIMEOUT) as get:
        with get.stream("GET", server.mcp_url, headers=client.headers(Accept="text/event-stream")) as stream:
            assert stream.status_code == 200
            server.proc.send_signal(signal.SIGTERM)
            assert server.proc.wait(timeout=30) == 0
