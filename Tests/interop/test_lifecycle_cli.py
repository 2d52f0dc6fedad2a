"""Process lifecycle and the CLI front door: EOF and signals end `fathom mcp` cleanly (exit 0),
and `fathom tools`, `--root`, `--version` and `doctor` behave as the spec says."""

from __future__ import annotations

import json
import signal
import subprocess

import pytest

from conftest import READ_ONLY_TOOLS, WRITE_TOOLS, Workspace


def run_cli(fathom_bin, ws: Workspace, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(fathom_bin), *args], env=ws.env(**env), cwd=ws.project, capture_output=True, text=True, timeout=120
    )


def test_eof_after_a_request_still_answers_it(raw_server, ws):
    """Stdin closing right behind a request: the reply still comes, then the process exits 0."""
    s = raw_server()
    s.initialize()
    s.send({"jsonrpc": "2.0", "id": 9, "method": "tools/call",
            "params": {"name": "read_text_file", "arguments": {"path": str(ws.root / "hello.txt")}}})
    s.close_stdin()
    resp = s.response(9)
    assert resp["result"]["content"][0]["text"].startswith("line1"), resp
    assert s.wait_exit() == 0
    ws.wait_audit_row(tool="read_text_file", outcome="ok")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_signal_exits_gracefully(raw_server, ws, signum):
    s = raw_server()
    s.initialize()
    s.assert_alive()
    resp = s.request("tools/call", {"name": "list_allowed_directories", "arguments": {}})
    assert "result" in resp
    s.proc.send_signal(signum)
    assert s.wait_exit() == 0, f"exit status after {signum.name}"
    # Graceful: the audit row of the call before the signal was flushed.
    ws.wait_audit_row(tool="list_allowed_directories", outcome="ok")


def test_signal_during_a_long_call_exits(raw_server, ws, big_tree):
    s = raw_server(FATHOM_FILESYSTEM_ROOTS=f"{ws.root},{big_tree}")
    s.initialize()
    s.send({"jsonrpc": "2.0", "id": 5, "method": "tools/call",
            "params": {"name": "search_files", "_meta": {"progressToken": 1},
                       "arguments": {"path": str(big_tree), "pattern": "*", "content": "absent"}}})
    s.recv(lambda m: isinstance(m, dict) and m.get("method") == "notifications/progress")
    s.proc.send_signal(signal.SIGTERM)
    assert s.wait_exit(timeout=30) == 0


def test_tools_list_cli(fathom_bin, ws):
    proc = run_cli(fathom_bin, ws, "tools", "list", "--json")
    assert proc.returncode == 0, proc.stderr
    tools = json.loads(proc.stdout)
    names = [t["name"] for t in tools]
    assert set(READ_ONLY_TOOLS) <= set(names) and not set(WRITE_TOOLS) & set(names), names
    for t in tools:
        assert t["inputSchema"]["type"] == "object", t
    proc = run_cli(fathom_bin, ws, "tools", "list", "--json",
                   FATHOM_POLICY_READ_ONLY="false", FATHOM_POLICY_ALLOW="write_file,edit_file")
    assert set(WRITE_TOOLS) <= {t["name"] for t in json.loads(proc.stdout)}


def test_tools_call_cli_refuses_escape(fathom_bin, ws):
    proc = run_cli(fathom_bin, ws, "tools", "call", "read_text_file", "--args",
                   json.dumps({"path": "../outside/secret.txt"}))
    assert proc.returncode != 0
    assert "outside the allowed directories" in proc.stdout + proc.stderr
    assert ws.sentinel_text.strip() not in proc.stdout + proc.stderr
    row = ws.wait_audit_row(tool="read_text_file")
    assert row["client"] == "cli" and row["outcome"] == "error", row


def test_root_flag_sets_roots(raw_server, ws):
    other = ws.base / "flag-root"
    other.mkdir()
    s = raw_server(args=["mcp", "--root", str(other)])
    s.initialize()
    resp = s.request("tools/call", {"name": "list_allowed_directories", "arguments": {}})
    text = resp["result"]["content"][0]["text"]
    assert text.splitlines() == ["Allowed directories:", str(other)], text


def test_version_and_doctor(fathom_bin, ws):
    proc = run_cli(fathom_bin, ws, "--version")
    assert proc.returncode == 0 and proc.stdout.strip(), proc
    proc = run_cli(fathom_bin, ws, "doctor")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert str(ws.root) in proc.stdout + proc.stderr
