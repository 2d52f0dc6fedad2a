"""Malformed JSON-RPC on stdin, written by hand (no SDK): the right error code for each, and the
server keeps answering ping after every one of them."""

from __future__ import annotations

import json

import pytest

from conftest import LATEST


def error_of(resp: dict, code: int) -> dict:
    assert resp.get("jsonrpc") == "2.0", resp
    assert "result" not in resp, resp
    err = resp.get("error")
    assert isinstance(err, dict), resp
    assert err.get("code") == code, f"expected {code}, got {resp}"
    assert isinstance(err.get("message"), str) and err["message"], resp
    return err


def is_response(m) -> bool:
    return isinstance(m, list) or ("method" not in m and ("result" in m or "error" in m))


def null_id_error(server, code: int) -> dict:
    resp = server.recv(is_response)
    assert "id" in resp and resp["id"] is None, f"expected an error with id null: {resp}"
    error_of(resp, code)
    return resp


@pytest.fixture
def server(raw_server):
    s = raw_server()
    s.initialize()
    return s


def test_ping_before_initialize_and_other_requests_refused(raw_server):
    s = raw_server()
    s.assert_alive()
    resp = s.request("tools/list")
    error_of(resp, -32600)
    s.initialize()
    assert "result" in s.request("tools/list")


def test_invalid_json_is_parse_error_with_null_id(server):
    server.send_bytes(b'{"jsonrpc": "2.0", "id": 7, "method": "ping"\n')
    null_id_error(server, -32700)
    server.assert_alive()
    server.send_bytes(b"not json at all\n")
    null_id_error(server, -32700)
    server.assert_alive()


def test_binary_garbage_is_parse_error(server):
    server.send_bytes(b"\xff\xfe\x00\x01\x80garbage\xc3\x28\n")
    null_id_error(server, -32700)
    server.assert_alive()


@pytest.mark.parametrize(
    "message",
    [
        {"id": 5, "method": "ping"},  # missing jsonrpc
        {"jsonrpc": "1.0", "id": 5, "method": "ping"},
        {"jsonrpc": 2.0, "id": 5, "method": "ping"},
        {"jsonrpc": "2.0", "id": 5, "method": 42},
        {"jsonrpc": "2.0", "id": 5},
        {"jsonrpc": "2.0", "id": 5, "method": "ping", "params": "not-an-object"},
    ],
    ids=["missing-jsonrpc", "jsonrpc-1.0", "jsonrpc-number", "method-number", "no-method", "params-string"],
)
def test_invalid_request(server, message):
    server.send(message)
    resp = server.recv(is_response)
    assert resp.get("id") in (5, None), resp
    code = resp.get("error", {}).get("code")
    if message.get("params") == "not-an-object":
        assert code in (-32600, -32602), resp
    else:
        error_of(resp, -32600)
    server.assert_alive()


def test_null_id_request_is_answered(server):
    """MCP: a request id MUST NOT be null. Such a message is a request (it has an id member), so it is
    answered, with -32600; it must not be dropped as if it were a notification."""
    server.send({"jsonrpc": "2.0", "id": None, "method": "ping"})
    server.assert_alive()  # quick requests are answered in order: a reply to the first comes before this one's
    replies = [m for m in server.received if isinstance(m, dict) and "id" in m and m["id"] is None]
    assert replies, "a request with id null got no reply at all"
    error_of(replies[0], -32600)


@pytest.mark.parametrize("bad_id", [{"a": 1}, [1], True, 1.5], ids=["object", "array", "bool", "float"])
def test_invalid_id_type(server, bad_id):
    server.send({"jsonrpc": "2.0", "id": bad_id, "method": "ping"})
    resp = server.recv(is_response)
    assert resp.get("id") in (None, bad_id), f"the error must carry id null (or the id as sent): {resp}"
    error_of(resp, -32600)
    server.assert_alive()


def test_unknown_method(server):
    error_of(server.request("no/such/method"), -32601)
    server.assert_alive()


def test_unknown_notification_is_ignored(server):
    server.notify("notifications/no_such_thing", {"x": 1})
    server.assert_alive()
    assert not [m for m in server.received if m.get("id") is None and "error" in m]


def test_tools_call_without_name(server):
    error_of(server.request("tools/call", {"arguments": {}}), -32602)
    error_of(server.request("tools/call", {"name": 12, "arguments": {}}), -32602)
    server.assert_alive()


def test_unknown_tool(server):
    error_of(server.request("tools/call", {"name": "no_such_tool", "arguments": {}}), -32602)
    server.assert_alive()


def test_unknown_prompt(server):
    error_of(server.request("prompts/get", {"name": "no-such-prompt"}), -32602)
    server.assert_alive()


def test_bad_cursor(server):
    for method in ("tools/list", "resources/list", "prompts/list"):
        error_of(server.request(method, {"cursor": "garbage-cursor"}), -32602)
    server.assert_alive()


def test_batch_rejected_on_2025_11_25(raw_server):
    s = raw_server()
    s.initialize(version=LATEST)
    s.send([{"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"jsonrpc": "2.0", "id": 2, "method": "ping"}])
    resp = s.recv(is_response)
    assert isinstance(resp, dict), f"a batch got a batch answer on {LATEST}: {resp}"
    assert resp.get("id") is None, resp
    error_of(resp, -32600)
    s.assert_alive()


def test_batch_accepted_on_2025_03_26(raw_server):
    """2025-03-26 says implementations MUST support receiving JSON-RPC batches."""
    s = raw_server()
    s.initialize(version="2025-03-26")
    s.send([{"jsonrpc": "2.0", "id": 1, "method": "ping"}, {"jsonrpc": "2.0", "id": 2, "method": "ping"}])
    resp = s.recv(is_response)
    assert isinstance(resp, list), f"expected a batch response, got {resp}"
    assert sorted(r["id"] for r in resp) == [1, 2] and all(r.get("result") == {} for r in resp), resp
    s.assert_alive()


def test_empty_batch_is_invalid(raw_server):
    s = raw_server()
    s.initialize(version="2025-03-26")
    s.send_bytes(b"[]\n")
    resp = s.recv(is_response)
    assert isinstance(resp, dict), resp
    error_of(resp, -32600)
    s.assert_alive()


def test_oversized_line(raw_server):
    s = raw_server(FATHOM_MCP_MAX_MESSAGE_BYTES="2048")
    s.initialize()
    padding = "x" * 10_000
    s.send({"jsonrpc": "2.0", "id": 77, "method": "ping", "params": {"_meta": {"pad": padding}}})
    resp = s.recv(is_response)
    assert resp.get("id") is None, f"an oversized line must be answered with id null: {resp}"
    error_of(resp, -32600)
    s.assert_alive()
    # A message just under the cap is still fine.
    s.send({"jsonrpc": "2.0", "id": 78, "method": "ping", "params": {"_meta": {"pad": "y" * 1500}}})
    assert s.response(78).get("result") == {}
    # A huge line far past the cap (several MB, with no newline until the end) is survived too.
    s.send_bytes(b'{"jsonrpc":"2.0","id":79,"method":"ping","params":{"_meta":{"pad":"' + b"z" * 6_000_000 + b'"}}}\n')
    resp = s.recv(is_response)
    assert resp.get("id") is None
    error_of(resp, -32600)
    s.assert_alive()


def test_default_cap_allows_large_messages(raw_server, ws):
    """The default cap is 4 MiB; a 1 MB request is normal traffic."""
    s = raw_server()
    s.initialize()
    resp = s.request("ping", {"_meta": {"pad": "p" * 1_000_000}})
    assert resp.get("result") == {}, resp


def test_blank_lines_and_crlf(server):
    server.send_bytes(b"\n\n")
    server.send_bytes(b'{"jsonrpc":"2.0","id":"crlf","method":"ping"}\r\n')
    resp = server.response("crlf")
    assert resp.get("result") == {}, resp
    server.assert_alive()


def test_string_and_zero_ids_echoed(server):
    for rid in ("abc", 0, -1, "0"):
        server.send({"jsonrpc": "2.0", "id": rid, "method": "ping"})
        resp = server.response(rid)
        assert resp["id"] == rid and type(resp["id"]) is type(rid) and resp.get("result") == {}, resp


def test_response_from_client_is_ignored(server):
    """A stray response (no method) for an id the server never used must not break anything."""
    server.send({"jsonrpc": "2.0", "id": 424242, "result": {}})
    server.send({"jsonrpc": "2.0", "id": 424243, "error": {"code": -1, "message": "x"}})
    server.assert_alive()


def test_eof_mid_message_exits_zero(raw_server):
    s = raw_server()
    s.initialize()
    s.send_bytes(b'{"jsonrpc":"2.0","id":1,"meth')
    s.close_stdin()
    assert s.wait_exit() == 0


def test_eof_exits_zero(raw_server):
    s = raw_server()
    s.initialize()
    s.assert_alive()
    s.close_stdin()
    assert s.wait_exit() == 0


def test_many_bad_inputs_in_a_row(server):
    bad = [
        b"{\n",
        b"]\n",
        b"null\n",
        b"42\n",
        b'"a string"\n',
        b"{}\n",
        b'{"jsonrpc":"2.0"}\n',
        b'{"jsonrpc":"2.0","method":"tools/call","params":{"name":"read_text_file","arguments":{"path":1}}}\n',
        b"\x00\x00\x00\n",
        json.dumps({"jsonrpc": "2.0", "id": "deep", "method": "ping", "params": {"_meta": {"a": [[[[[[[[1]]]]]]]]}}}).encode()
        + b"\n",
        b"[" * 10000 + b"\n",
    ]
    for line in bad:
        server.send_bytes(line)
        server.assert_alive()
