"""Tools from other MCP servers (tools/external.yaml), end to end: the real `fathom` binary offers the tools of
fixtures/external_mcp_server.py (the official Python SDK's MCPServer: lookup_ticket, close_ticket, explode,
slow, secret_config) as desk__TOOL, over stdio (Fathom starts it) and Streamable HTTP (started here), to the
official SDK's client, to the CLI and to agents, through the same policy, approval, audit and redaction as its
own tools.

Every test has its own home folder: fathom.yaml (a filesystem root inside the home), tools/external.yaml,
agents/ and prompts/; the state lives in HOME/.fathom and `--config HOME/fathom.yaml` names the home (the
commands run from elsewhere, stdin not a terminal). One HTTP desk serves the module (its closed tickets are
kept in memory: only the CLI write test closes one, INC-2); a stdio desk is a fresh process per Fathom run.

Assumptions where the spec leaves room:
- `fathom tools call` has nobody to ask: like an MCP client without elicitation, policy alone decides
  (README, Safety: "A client without elicitation is not asked either: policy alone decides").
- timeout_seconds bounds the wait: a call the server does not answer within it comes back as an error result
  at about that time, not when the server finally answers; a handshake that does not finish within it makes
  that server unavailable (`fathom doctor` FAIL) and Fathom goes on.
- A FAIL line and its message name the configured server, not the program it runs.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any

import mcp_types as types
import pytest

from conftest import CLIENT_NAME, Approver, Workspace, open_session, text_of
from realparts import ScriptedLLM, free_port, start_scripted_llm, wait_for

CLI_TIMEOUT = 60
DESK_SCRIPT = Path(__file__).resolve().parent / "fixtures" / "external_mcp_server.py"
PYTHON = sys.executable

INC1 = "INC-1: checkout timeouts since 14:02; owner: payments"
INC2 = "INC-2: disk full on db-1"
GITHUB_TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJklmnop"
READ_TOOLS = ["desk__lookup_ticket", "desk__secret_config"]
DESTRUCTIVE = ["desk__close_ticket", "desk__explode", "desk__slow"]
WRITABLE = "policy:\n  read_only: false\n  allow: [desk__close_ticket]\n"
NO_MODEL = "no model is configured"


# --- the other MCP server -------------------------------------------------------------------------


class DeskHTTP:
    """external_mcp_server.py --http PORT, on a free loopback port; ready once it accepts connections."""

    def __init__(self, folder: Path):
        self.port = free_port()
        self.log = folder / "desk-http.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(
                [PYTHON, str(DESK_SCRIPT), "--http", str(self.port)], stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True)
        try:
            wait_for(self._accepts, 30, "external_mcp_server.py --http")
        except TimeoutError:
            self.stop()
            raise AssertionError(f"the HTTP desk did not start: {self.log.read_text(errors='replace')[-2000:]}") from None

    def _accepts(self) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"the HTTP desk exited: {self.log.read_text(errors='replace')[-2000:]}")
        with socket.socket() as s:
            s.settimeout(0.5)
            return s.connect_ex(("127.0.0.1", self.port)) == 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/mcp"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def desk_http(tmp_path_factory: pytest.TempPathFactory):
    server = DeskHTTP(tmp_path_factory.mktemp("desk-http"))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def llm(tmp_path_factory: pytest.TempPathFactory):
    server = start_scripted_llm(tmp_path_factory.mktemp("scripted-llm"))
    yield server
    server.stop()


def entry(name: str = "desk", *, command: list[str] | None = None, url: str | None = None,
          read_only: tuple[str, ...] = ("lookup_*", "secret_config"), **extra: Any) -> str:
    """One item of servers: in tools/external.yaml."""
    lines = [f"  - name: {name}"]
    if command is not None:
        lines.append(f"    command: {json.dumps(command)}")
    if url is not None:
        lines.append(f"    url: {url}")
    if read_only:
        lines.append(f"    read_only_tools: {json.dumps(list(read_only))}")
    lines += [f"    {key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def stdio_desk(script: Path = DESK_SCRIPT, **kw: Any) -> str:
    return entry(command=[PYTHON, str(script)], **kw)


def desk_entry(transport: str, desk_http: DeskHTTP, **kw: Any) -> str:
    return stdio_desk(**kw) if transport == "stdio" else entry(url=desk_http.url, **kw)


def marked_script(folder: Path) -> Path:
    """A copy of the desk at a path no other process has: its command line finds it in /proc."""
    target = folder / f"desk-{uuid.uuid4().hex}" / "server.py"
    target.parent.mkdir(parents=True)
    shutil.copy(DESK_SCRIPT, target)
    return target


def processes_with(marker: str) -> list[int]:
    """PIDs of live processes whose command line holds marker (zombies have an empty command line)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            if marker.encode() in (proc / "cmdline").read_bytes():
                found.append(int(proc.name))
    return found


def wait_gone(marker: str, timeout: float = 15) -> None:
    deadline = time.monotonic() + timeout
    while processes_with(marker):
        if time.monotonic() > deadline:
            left = processes_with(marker)
            for pid in left:  # processes this test caused: do not leave them behind
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"the external server ({marker}) outlived Fathom by {timeout}s: pids {left}")
        time.sleep(0.05)


# --- the home folder ----------------------------------------------------------------------------


class Home:
    """fathom.yaml, tools/external.yaml, agents/, prompts/ and a filesystem root."""

    def __init__(self, base: Path, fathom_bin: Path):
        self.base = base.resolve()
        self.fathom_bin = fathom_bin
        self.dir = self.base / "home"
        self.root = self.dir / "root"
        self.outside = self.base / "outside"
        self.config = self.dir / "fathom.yaml"
        for folder in (self.dir / "agents", self.dir / "prompts", self.dir / "tools", self.root, self.outside):
            folder.mkdir(parents=True, exist_ok=True)
        (self.root / "notes.txt").write_text("nothing here\n")
        self.write_config()

    def write_config(self, extra: str = "") -> None:
        self.config.write_text(f"filesystem:\n  roots: [{json.dumps(str(self.root))}]\n" + extra)

    def external(self, *entries: str) -> Path:
        path = self.dir / "tools" / "external.yaml"
        path.write_text("servers:\n" + "".join(entries))
        return path

    def env(self, **overrides: str) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(self.outside), "LANG": "C.UTF-8", **overrides}

    def cli(self, *args: str, timeout: float = CLI_TIMEOUT) -> subprocess.CompletedProcess:
        """`fathom ARGS... --config HOME/fathom.yaml`, from outside the home, stdin not a terminal."""
        try:
            return subprocess.run(
                [str(self.fathom_bin), *args, "--config", str(self.config)], env=self.env(), cwd=self.outside,
                capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"`fathom {' '.join(args)}` did not finish within {timeout}s; stdout: "
                                 f"{(exc.stdout or b'')[-1000:]!r}; stderr: {(exc.stderr or b'')[-1000:]!r}") from None

    def call(self, tool: str, **arguments: Any) -> subprocess.CompletedProcess:
        return self.cli("tools", "call", tool, "--args", json.dumps(arguments))

    def ask_json(self, question: str, agent: str) -> dict[str, Any]:
        proc = self.cli("ask", "--agent", agent, "--json", question)
        assert proc.returncode == 0, f"fathom ask failed ({proc.returncode}):\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
        return json.loads(proc.stdout.strip().splitlines()[-1])

    def audit(self, tool: str) -> list[str]:
        proc = self.cli("audit", "--tool", tool)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.splitlines()

    def workspace(self) -> Workspace:
        sentinel = self.outside / "secret.txt"
        sentinel.write_text("sentinel\n")
        return Workspace(self.base, self.root, self.dir / ".fathom", self.dir, self.outside, sentinel, "sentinel\n")

    def mcp_env(self) -> dict[str, str]:
        return self.env(FATHOM_CONFIG=str(self.config))


@pytest.fixture
def home(tmp_path: Path, fathom_bin: Path) -> Home:
    return Home(tmp_path, fathom_bin)


def audit_outcomes(lines: list[str], tool: str) -> list[str]:
    """The outcome column of `fathom audit` rows (`AT CLIENT TOOL OUTCOME DURATION ARGS — ERROR`), oldest first."""
    rows = [line.split() for line in lines]
    return [row[3] for row in reversed(rows) if len(row) > 3 and row[2] == tool]


# --- 1. read tools over MCP, from a stdio and an HTTP server ---------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("transport", ["stdio", "http"])
async def test_mcp_client_lists_and_calls_the_read_tools(home: Home, fathom_bin: Path, desk_http: DeskHTTP, transport: str):
    home.external(desk_entry(transport, desk_http))
    async with open_session(fathom_bin, home.workspace(), env=home.mcp_env(), cwd=home.dir) as conn:
        tools = {t.name: t for t in (await conn.session.list_tools()).tools}
        for name in READ_TOOLS:
            assert name in tools, f"{name} missing from tools/list: {sorted(tools)}"
        for name in DESTRUCTIVE:
            assert name not in tools, f"{name} is destructive and Fathom is read-only, yet it is listed"
        assert {"read_text_file", "list_agents"} <= set(tools), "the built-in tools are still there"
        lookup = tools["desk__lookup_ticket"]
        assert lookup.annotations is not None and lookup.annotations.read_only_hint is True
        assert "ticket" in lookup.input_schema.get("properties", {}), lookup.input_schema
        assert "desk" in (lookup.description or "") and "Looks up an incident ticket" in (lookup.description or "")

        found = await conn.call_ok("desk__lookup_ticket", {"ticket": "INC-1"})
        assert text_of(found) == INC1
        missing = await conn.call("desk__lookup_ticket", {"ticket": "INC-9"})
        assert missing.is_error, f"an unknown ticket should be an error result: {text_of(missing)}"
        assert "lookup_ticket" in text_of(missing)
        invalid = await conn.call("desk__lookup_ticket", {})
        assert invalid.is_error and "ticket" in text_of(invalid), text_of(invalid)
        refused = await conn.call("desk__close_ticket", {"ticket": "INC-1"})
        assert refused.is_error and "read-only" in text_of(refused), text_of(refused)
        assert text_of(await conn.call_ok("desk__lookup_ticket", {"ticket": "INC-1"})) == INC1, "nothing was closed"

    lookups = home.audit("desk__lookup_ticket")
    assert any(f" {CLIENT_NAME} desk__lookup_ticket ok " in line and '"ticket":"INC-1"' in line for line in lookups), lookups
    assert any(" desk__lookup_ticket error " in line and '"ticket":"INC-9"' in line for line in lookups), lookups
    assert audit_outcomes(home.audit("desk__close_ticket"), "desk__close_ticket") == ["denied"]


# --- 2. writes: policy, then the person ----------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("action", ["accept", "decline"])
async def test_mcp_write_is_put_to_the_person(home: Home, fathom_bin: Path, action: str):
    home.write_config(WRITABLE)
    home.external(stdio_desk())  # a fresh desk per session: nothing is closed at the start
    approver = Approver(action)
    async with open_session(fathom_bin, home.workspace(), env=home.mcp_env(), cwd=home.dir,
                            elicitation_callback=approver) as conn:
        tools = {t.name: t for t in (await conn.session.list_tools()).tools}
        assert "desk__close_ticket" in tools, sorted(tools)
        assert tools["desk__close_ticket"].annotations.destructive_hint is True
        assert "desk__explode" not in tools, "a destructive tool not in policy.allow is not listed"
        result = await conn.call("desk__close_ticket", {"ticket": "INC-1", "note": "fixed by rollback"})
        after = text_of(await conn.call_ok("desk__lookup_ticket", {"ticket": "INC-1"}))
    assert len(approver.requests) == 1, "exactly one question, for the destructive call only"
    asked = approver.requests[0].message
    assert "desk__close_ticket" in asked and "INC-1" in asked and "fixed by rollback" in asked, asked
    outcomes = audit_outcomes(home.audit("desk__close_ticket"), "desk__close_ticket")
    if action == "accept":
        assert not result.is_error and text_of(result) == "closed INC-1: fixed by rollback", text_of(result)
        assert after == INC1 + " (closed)"
        assert outcomes == ["ok"]
    else:
        assert result.is_error and "desk__close_ticket was not run" in text_of(result), text_of(result)
        assert "declined" in text_of(result), text_of(result)
        assert after == INC1, "a declined close must not reach the server"
        assert outcomes == ["denied"]


def test_cli_call_follows_policy_without_asking(home: Home, desk_http: DeskHTTP):
    """`fathom tools call` has no person to ask (stdin is not a terminal): policy alone decides, as for an MCP
    client without elicitation. Read-only refuses, writes without policy.allow refuse, with both it runs."""
    home.external(entry(url=desk_http.url))
    read_only = home.call("desk__close_ticket", ticket="INC-2")
    assert read_only.returncode == 1
    assert "desk__close_ticket is not allowed: Fathom is read-only" in read_only.stdout, read_only.stdout + read_only.stderr
    assert "policy.allow" in read_only.stdout, "the message says which settings allow it"

    home.write_config("policy:\n  read_only: false\n")
    unlisted = home.call("desk__close_ticket", ticket="INC-2")
    assert unlisted.returncode == 1 and "needs an explicit entry in policy.allow" in unlisted.stdout, unlisted.stdout
    assert home.call("desk__lookup_ticket", ticket="INC-2").stdout.strip() == INC2, "refused calls never reached the desk"

    home.write_config(WRITABLE)
    ran = home.call("desk__close_ticket", ticket="INC-2", note="cleaned up")
    assert ran.returncode == 0 and ran.stdout.strip() == "closed INC-2: cleaned up", ran.stdout + ran.stderr
    assert home.call("desk__lookup_ticket", ticket="INC-2").stdout.strip() == INC2 + " (closed)"
    lines = home.audit("desk__close_ticket")
    assert audit_outcomes(lines, "desk__close_ticket") == ["denied", "denied", "ok"], lines
    assert all(" cli desk__close_ticket " in line for line in lines), lines


# --- 3. unreachable servers ------------------------------------------------------------------------------


def test_doctor_reports_unreachable_servers_and_the_rest_serve(home: Home, tmp_path: Path):
    script = marked_script(tmp_path)
    dead_url = f"http://127.0.0.1:{free_port()}/mcp"
    missing = tmp_path / "bin" / "no-such-mcp-server"
    home.external(
        stdio_desk(script),
        entry("gone", url=dead_url),
        entry("ghost", command=[str(missing), "--stdio"]),
    )
    doctor = home.cli("doctor")
    assert doctor.returncode == 1, f"doctor should fail with unreachable servers:\n{doctor.stdout}\n{doctor.stderr}"
    lines = doctor.stdout.splitlines()
    assert "external ok desk: 5 tools, offered as desk__TOOL" in lines, doctor.stdout
    gone = next((l for l in lines if l.startswith("external FAIL gone: ")), None)
    assert gone and dead_url in gone and "refused" in gone, doctor.stdout
    ghost = next((l for l in lines if l.startswith("external FAIL ghost: ")), None)
    assert ghost and str(missing) in ghost, doctor.stdout

    call = home.call("desk__lookup_ticket", ticket="INC-2")
    assert call.returncode == 0 and call.stdout.strip() == INC2, call.stdout + call.stderr
    assert "'gone'" in call.stderr and "'ghost'" in call.stderr, f"unreachable servers are logged: {call.stderr}"
    listed = home.cli("tools", "list", "--all")
    assert "desk__lookup_ticket" in listed.stdout and "gone__" not in listed.stdout and "ghost__" not in listed.stdout
    wait_gone(str(script))


def test_fail_line_names_the_server_when_its_program_is_not_in_path(home: Home):
    program = f"no-such-mcp-server-{uuid.uuid4().hex[:8]}"
    home.external(entry("ghost", command=[program]))
    doctor = home.cli("doctor")
    assert doctor.returncode == 1
    line = next((l for l in doctor.stdout.splitlines() if l.startswith("external FAIL ghost: ")), "")
    assert "not in PATH" in line and program in line, doctor.stdout
    assert f"MCP server '{program}'" not in line, f"the program is not the server's name: {line}"
    assert "MCP server 'ghost'" in line, line


# --- 4. timeouts ----------------------------------------------------------------------------------------------


def slow_desk(home: Home, desk_http: DeskHTTP) -> None:
    home.external(entry(url=desk_http.url, read_only=("lookup_*", "slow"), timeout_seconds=1))


@pytest.mark.anyio
async def test_a_call_past_timeout_seconds_is_an_error_and_the_next_call_works(home: Home, fathom_bin: Path, desk_http: DeskHTTP):
    slow_desk(home, desk_http)
    async with open_session(fathom_bin, home.workspace(), env=home.mcp_env(), cwd=home.dir) as conn:
        assert "desk__slow" in {t.name for t in (await conn.session.list_tools()).tools}
        late = await conn.call("desk__slow", {"seconds": 5})
        assert late.is_error, text_of(late)
        assert text_of(late) == "MCP server 'desk' did not answer within 1 s", text_of(late)
        assert text_of(await conn.call_ok("desk__slow", {"seconds": 0.1})) == "done"
        assert text_of(await conn.call_ok("desk__lookup_ticket", {"ticket": "INC-1"})) == INC1
    assert audit_outcomes(home.audit("desk__slow"), "desk__slow") == ["error", "ok"]


def test_timeout_seconds_bounds_the_wait_for_a_call(home: Home, desk_http: DeskHTTP):
    """The server answers after 3 s; with timeout_seconds: 1 the caller must not wait for it. (The one timing
    check here, with a wide margin: reporting the timeout only once the late answer has come bounds nothing.)"""
    slow_desk(home, desk_http)
    started = time.monotonic()
    late = home.call("desk__slow", seconds=3)
    waited = time.monotonic() - started
    assert late.returncode == 1 and late.stdout.strip() == "MCP server 'desk' did not answer within 1 s", late.stdout
    assert waited < 2.5, f"`fathom tools call desk__slow` came back after {waited:.1f}s although timeout_seconds is 1"


LATE_HANDSHAKE = """\
import json, sys, time
for line in sys.stdin:
    message = json.loads(line)
    if message.get("method") == "initialize":
        time.sleep(2.5)
        print(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": {
            "protocolVersion": message["params"]["protocolVersion"], "capabilities": {"tools": {}},
            "serverInfo": {"name": "late", "version": "1"}}}), flush=True)
    elif message.get("method") == "tools/list":
        print(json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": {"tools": [
            {"name": "ping", "inputSchema": {"type": "object"}}]}}), flush=True)
"""


def test_a_handshake_past_timeout_seconds_makes_the_server_unavailable(home: Home, tmp_path: Path):
    """A stdio server that answers initialize 2.5 s late (timeout_seconds: 1) is reported, not waited for."""
    script = tmp_path / f"late-{uuid.uuid4().hex}.py"
    script.write_text(LATE_HANDSHAKE)
    home.external(entry("late", command=[PYTHON, str(script)], read_only=(), timeout_seconds=1))
    doctor = home.cli("doctor", timeout=10)
    try:
        assert doctor.returncode == 1, doctor.stdout
        line = next((l for l in doctor.stdout.splitlines() if l.startswith("external FAIL late: ")), "")
        assert "did not answer within 1 s" in line, doctor.stdout
    finally:
        wait_gone(str(script))


# --- 5. agents ----------------------------------------------------------------------------------------------


def desk_agent(home: Home) -> None:
    (home.dir / "agents" / "desk-agent.yaml").write_text("""name: desk-agent
kind: execution
description: Looks up incident tickets at the ticket desk and reports what they say.
prompt: desk-agent
tools: ["desk__*"]
budgets: {steps: 4, tokens: 20000, seconds: 60}
approval: deny
playbook:
  - tool: desk__lookup_ticket
    arguments: {ticket: INC-1}
""")
    (home.dir / "prompts" / "desk-agent.md").write_text(
        "---\nname: desk-agent\ndescription: persona of desk-agent\n---\nYou read the ticket desk for an on-call engineer.\n")


def model_config(llm: ScriptedLLM) -> str:
    return f"llm:\n  models:\n    - name: local\n      provider: openai\n      url: {llm.url}\n      model: scripted-model\n"


def test_agent_calls_an_external_tool_and_the_model_sees_it_redacted(home: Home, llm: ScriptedLLM, desk_http: DeskHTTP):
    home.external(entry(url=desk_http.url))
    desk_agent(home)
    home.write_config(model_config(llm))
    llm.set_script({"replies": [{"tool_calls": [{"name": "desk__secret_config", "arguments": {}}]},
                                {"content": "The desk lives at desk.example.com."}]})
    result = home.ask_json("Where does the ticket desk live?", "desk-agent")
    assert result["mode"] == "llm" and result["model"] == "local", result
    assert result["answer"] == "The desk lives at desk.example.com." and result["tool_calls"] == 1

    requests = llm.requests()
    assert len(requests) == 2
    offered = {t["function"]["name"] for t in requests[0]["body"].get("tools", [])}
    assert set(READ_TOOLS) <= offered, offered
    assert not offered & set(DESTRUCTIVE), f"read-only: destructive desk tools are not offered: {offered}"
    outputs = [m["content"] for m in requests[1]["body"]["messages"] if m["role"] == "tool"]
    assert len(outputs) == 1, requests[1]["body"]["messages"]
    assert outputs[0].startswith('<tool_output tool="desk__secret_config"'), outputs[0]
    assert 'status="ok"' in outputs[0] and "url: https://desk.example.com" in outputs[0], outputs[0]
    assert "[REDACTED]" in outputs[0], outputs[0]
    sent = json.dumps(requests)
    assert GITHUB_TOKEN not in sent and "ghp_" not in sent, "the desk's token was sent to the model"

    run = home.cli("runs", "show", result["run_id"], "--json")
    assert run.returncode == 0, run.stderr
    assert GITHUB_TOKEN not in run.stdout, "the token is in `runs show --json`"
    steps = [(s["kind"], s["name"], s["outcome"]) for s in json.loads(run.stdout)["steps"] if s["kind"] == "tool"]
    assert steps == [("tool", "desk__secret_config", "ok")], steps
    assert audit_outcomes(home.audit("desk__secret_config"), "desk__secret_config") == ["ok"]


def test_agent_playbook_uses_an_external_tool_without_a_model(home: Home, desk_http: DeskHTTP):
    home.external(entry(url=desk_http.url))
    desk_agent(home)
    result = home.ask_json("What is going on with INC-1?", "desk-agent")
    assert result["mode"] == "fallback", result
    assert NO_MODEL in json.dumps(result), result
    assert "## desk__lookup_ticket" in result["answer"] and INC1 in result["answer"], result["answer"]
    assert result["tool_calls"] == 1


# --- 6. bad configuration ---------------------------------------------------------------------------------------

BAD = {
    "both": (entry(command=["python3", "server.py"], url="http://127.0.0.1:9/mcp"),
             ["external.servers[0]", "exactly one of command (stdio) and url (HTTP)", "both"]),
    "neither": (entry(read_only=("lookup_*",)), ["external.servers[0]", "exactly one of command", "neither"]),
    "double-underscore-name": (entry("my__desk", command=["python3", "server.py"]),
                               ["external.servers[0].name", "'__'", "my__desk"]),
    "empty-command": (entry(command=[]), ["external.servers[0].command", "empty"]),
    "unknown-key": (entry(command=["python3", "server.py"], timeout=5), ["unknown key 'timeout'", "timeout_seconds"]),
}


@pytest.mark.parametrize("case", list(BAD))
def test_malformed_external_config_is_a_config_error(home: Home, case: str):
    text, words = BAD[case]
    path = home.external(text)
    mcp = home.cli("mcp", timeout=30)
    assert mcp.returncode == 78, f"fathom mcp exited {mcp.returncode}: {mcp.stderr}"
    assert str(path) in mcp.stderr or "tools/external.yaml" in mcp.stderr, f"the file is not named: {mcp.stderr}"
    for word in words:
        assert word in mcp.stderr, f"{word!r} missing from: {mcp.stderr}"
    assert mcp.stdout == "", "nothing on stdout: it carries JSON-RPC only"


# --- 7. no orphans ---------------------------------------------------------------------------------------------------


@pytest.mark.anyio
@pytest.mark.parametrize("ending", ["stdin-closed", "sigterm"])
async def test_the_stdio_server_ends_with_the_session(home: Home, fathom_bin: Path, tmp_path: Path, ending: str):
    script = marked_script(tmp_path)
    marker = str(script)
    home.external(stdio_desk(script))
    if ending == "stdin-closed":
        async with open_session(fathom_bin, home.workspace(), env=home.mcp_env(), cwd=home.dir) as conn:
            assert processes_with(marker), "the external server should run while the session does"
            assert text_of(await conn.call_ok("desk__lookup_ticket", {"ticket": "INC-2"})) == INC2
    else:
        fathom = subprocess.Popen([str(fathom_bin), "mcp"], env=home.mcp_env(), cwd=home.dir, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            assert fathom.stdin and fathom.stdout
            fathom.stdin.write(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "ping"}).encode() + b"\n")
            fathom.stdin.flush()
            ready, _, _ = select.select([fathom.stdout], [], [], 30)
            assert ready, "fathom mcp did not answer ping within 30s"
            assert b'"id":1' in fathom.stdout.readline().replace(b" ", b""), "fathom mcp did not answer ping"
            assert processes_with(marker), "the external server should run while fathom mcp does"
            fathom.send_signal(signal.SIGTERM)
            assert fathom.wait(timeout=20) is not None
        finally:
            if fathom.poll() is None:
                fathom.kill()
                fathom.wait(timeout=10)
            for pipe in (fathom.stdin, fathom.stdout):
                if pipe:
                    pipe.close()
    wait_gone(marker)


@pytest.mark.anyio
async def test_a_stdio_server_that_dies_is_an_error_and_fathom_carries_on(home: Home, fathom_bin: Path, tmp_path: Path):
    """The server is killed mid-session: its tools answer with an error naming it, and Fathom stays responsive
    (the SDK's client would spin on the ended stream without Fathom's transport ending it with an error)."""
    script = marked_script(tmp_path)
    home.external(stdio_desk(script))
    async with open_session(fathom_bin, home.workspace(), env=home.mcp_env(), cwd=home.dir) as conn:
        assert text_of(await conn.call_ok("desk__lookup_ticket", {"ticket": "INC-2"})) == INC2
        for pid in processes_with(str(script)):
            os.kill(pid, signal.SIGKILL)
        wait_gone(str(script))
        gone = await conn.call("desk__lookup_ticket", {"ticket": "INC-2"})
        assert gone.is_error and text_of(gone).startswith("MCP server 'desk' is unreachable"), text_of(gone)
        await conn.alive()
        assert text_of(await conn.call_ok("list_allowed_directories")), "Fathom's own tools still answer"
