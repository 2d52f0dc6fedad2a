"""Shared fixtures for the interop suite.

Every test drives the real `fathom mcp` binary (FATHOM_BIN, default .build/debug/fathom) with a
fresh temporary tree: `root/` is the only allowed directory, `state/` holds fathom.db, `project/`
is the server's working directory (its `prompts/` folder is served as MCP prompts) and
`outside/secret.txt` is a sentinel that no request may read or change.

Two ways to talk to the server:
- `open_session(...)`: the official Python MCP SDK (mcp 2.x ClientSession over stdio_client), with
  the initialize handshake done at a chosen protocol version;
- `RawServer`: newline-delimited JSON-RPC written by hand, for malformed input and exact wire checks.

Waits are bounded and poll; nothing sleeps blindly.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import queue
import sqlite3
import struct
import subprocess
import threading
import time
import uuid
import zlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import mcp_types as types
import pytest
import httpx2
from mcp import ClientSession, StdioServerParameters, stdio_client
from mcp.client import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

REPO = Path(__file__).resolve().parents[2]
DEFAULT_BIN = REPO / ".build" / "debug" / "fathom"

PROTOCOL_VERSIONS = ["2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"]
LATEST = "2025-11-25"
CLIENT_NAME = "fathom-interop"

READ_ONLY_TOOLS = [
    "read_text_file",
    "read_media_file",
    "read_multiple_files",
    "list_directory",
    "list_directory_with_sizes",
    "directory_tree",
    "search_files",
    "get_file_info",
    "list_allowed_directories",
]
WRITE_TOOLS = ["write_file", "edit_file", "create_directory", "move_file"]
# Always listed: the agents as tools (read-only themselves; each tool an agent calls passes policy on its own).
AGENT_TOOLS = ["list_agents", "ask_agent"]
DESTRUCTIVE_TOOLS = ["write_file", "edit_file"]

# Bounds for waits. They are ceilings, not expectations: every wait returns as soon as its
# condition holds.
REQUEST_TIMEOUT = 60.0
NOTIFY_TIMEOUT = 20.0
AUDIT_TIMEOUT = 10.0

HELLO_TEXT = "".join(f"line{i}\n" for i in range(1, 11))


def tiny_png() -> bytes:
    """A valid 2x2 RGB PNG, built here so the suite needs no binary fixtures."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 2 for _ in range(2))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


PROMPTS = {
    "triage-file.md": """---
name: triage-file
description: Triage one file of the workspace and say how bad it is
arguments:
  - name: path
    description: The file to look at
    required: true
  - name: severity
    description: How bad it is believed to be
    required: false
    values: [low, medium, high]
---
Please triage the file {{path}} (believed severity: {{severity}}).
""",
    "alpha.md": "---\nname: alpha\ndescription: First extra prompt\n---\nAlpha body.\n",
    "beta.md": "---\nname: beta\ndescription: Second extra prompt\n---\nBeta body.\n",
    "gamma.md": "---\nname: gamma\ndescription: Third extra prompt\n---\nGamma body.\n",
    "delta.md": "---\nname: delta\ndescription: Fourth extra prompt\n---\nDelta body.\n",
}


@dataclass
class Workspace:
    base: Path
    root: Path
    state: Path
    project: Path
    outside: Path
    sentinel: Path
    sentinel_text: str
    env_overrides: dict[str, str | None] = field(default_factory=dict)
    _stderr_count: int = 0

    def env(self, **overrides: str | None) -> dict[str, str]:
        """The server's whole environment, explicit: nothing FATHOM_* leaks in from the caller."""
        env: dict[str, str | None] = {
            "PATH": os.environ.get("PATH", "/usr/local/bin:/usr/bin:/bin"),
            # HOME points outside the root, so a server that expands "~" must still refuse it.
            "HOME": str(self.outside),
            "LANG": "C.UTF-8",
            "FATHOM_FILESYSTEM_ROOTS": str(self.root),
            "FATHOM_STATE_DIR": str(self.state),
        }
        env.update(self.env_overrides)
        env.update(overrides)
        return {k: v for k, v in env.items() if v is not None}

    def stderr_path(self) -> Path:
        self._stderr_count += 1
        return self.base / f"server-stderr-{self._stderr_count}.log"

    def sentinel_intact(self) -> bool:
        return self.sentinel.read_text() == self.sentinel_text

    # --- audit -------------------------------------------------------------------------------
    def audit_rows(self) -> list[dict[str, Any]]:
        db = self.state / "fathom.db"
        if not db.exists():
            return []
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
        except sqlite3.OperationalError:
            return []
        try:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute("SELECT * FROM audit ORDER BY id")]
        except sqlite3.OperationalError:
            return []  # table not created yet, or locked mid-migration
        finally:
            con.close()

    def wait_audit(
        self, predicate: Callable[[list[dict[str, Any]]], bool], timeout: float = AUDIT_TIMEOUT
    ) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        rows: list[dict[str, Any]] = []
        while time.monotonic() < deadline:
            rows = self.audit_rows()
            if predicate(rows):
                return rows
            time.sleep(0.05)
        raise AssertionError(f"audit rows did not reach the expected state within {timeout}s; rows: {rows}")

    def wait_audit_row(self, timeout: float = AUDIT_TIMEOUT, **match: Any) -> dict[str, Any]:
        def pick(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
            return [r for r in rows if all(r.get(k) == v for k, v in match.items())]

        rows = self.wait_audit(lambda rs: bool(pick(rs)), timeout)
        return pick(rows)[-1]


def make_workspace(base: Path) -> Workspace:
    base = base.resolve()
    root = base / "root"
    state = base / "state"
    project = base / "project"
    outside = base / "outside"
    for d in (root, state, project / "prompts", outside):
        d.mkdir(parents=True)
    sentinel_text = f"FATHOM-SENTINEL-{uuid.uuid4().hex}\n"
    sentinel = outside / "secret.txt"
    sentinel.write_text(sentinel_text)

    (root / "hello.txt").write_text(HELLO_TEXT)
    (root / "notes.md").write_text("# Notes\nalpha beta gamma\n")
    (root / "data.json").write_text(json.dumps({"k": [1, 2, 3]}) + "\n")
    (root / "image.png").write_bytes(tiny_png())
    (root / "sub" / "deeper").mkdir(parents=True)
    (root / "sub" / "nested.txt").write_text("a nested needle here\n")
    (root / "sub" / "deeper" / "app.log").write_text("log line with needle\n")
    (root / "sub" / "deeper" / "other.log").write_text("nothing to see\n")
    (root / "empty_dir").mkdir()
    # Files the default deny globs must hide: .env*, **/.git/**, *.pem, *.key, id_*
    (root / ".env").write_text("DB_PASSWORD=deny-me\n")
    (root / "key.pem").write_text("-----BEGIN PRIVATE KEY-----\nnot really\n-----END PRIVATE KEY-----\n")
    (root / "id_rsa").write_text("not a key\n")
    (root / ".git").mkdir()
    (root / ".git" / "config").write_text("[core]\n\tbare = false\n")

    for name, text in PROMPTS.items():
        (project / "prompts" / name).write_text(text)
    return Workspace(base, root, state, project, outside, sentinel, sentinel_text)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def fathom_bin() -> Path:
    path = Path(os.environ.get("FATHOM_BIN") or DEFAULT_BIN)
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(f"fathom binary not found or not executable at {path} (set FATHOM_BIN, or build it first)")
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    return make_workspace(tmp_path)


# --- results ---------------------------------------------------------------------------------


def text_of(result: types.CallToolResult) -> str:
    return "\n".join(c.text for c in result.content if isinstance(c, types.TextContent))


def everything_of(result: Any) -> str:
    """Every string a result carries (content, structured content, error data), for leak checks."""
    dump = result.model_dump(mode="json", by_alias=True) if hasattr(result, "model_dump") else result
    return json.dumps(dump, ensure_ascii=False)


# --- SDK sessions ----------------------------------------------------------------------------


class Recorder:
    """Collects what the server sends on its own: notifications and log messages."""

    def __init__(self) -> None:
        self.notifications: list[Any] = []
        self.errors: list[Exception] = []

    async def handle(self, message: Any) -> None:
        if isinstance(message, Exception):
            self.errors.append(message)
        else:
            self.notifications.append(message)

    def of(self, kind: type) -> list[Any]:
        return [n for n in self.notifications if isinstance(n, kind)]

    def logs(self) -> list[types.LoggingMessageNotificationParams]:
        return [n.params for n in self.of(types.LoggingMessageNotification)]

    async def wait_for(self, predicate: Callable[[Any], bool], timeout: float = NOTIFY_TIMEOUT, start: int = 0) -> Any:
        """The first notification (from index `start`) that satisfies predicate; fails at the deadline."""
        with anyio.move_on_after(timeout):
            while True:
                for n in self.notifications[start:]:
                    if predicate(n):
                        return n
                await anyio.sleep(0.02)
        raise AssertionError(
            f"no matching notification within {timeout}s; got: {[type(n).__name__ for n in self.notifications]}"
        )


@dataclass
class Conn:
    session: ClientSession
    init: types.InitializeResult
    rec: Recorder
    stderr: Path

    async def call(self, name: str, arguments: dict[str, Any] | None = None, **kw: Any) -> types.CallToolResult:
        return await self.session.call_tool(name, arguments or {}, **kw)

    async def call_ok(self, name: str, arguments: dict[str, Any] | None = None, **kw: Any) -> types.CallToolResult:
        result = await self.call(name, arguments, **kw)
        assert not result.is_error, f"{name}({arguments}) failed: {text_of(result)}"
        return result

    async def alive(self) -> None:
        """A round trip that every revision has (2026-07-28 has no ping)."""
        if self.init is None:
            await self.session.list_tools()
        else:
            await self.session.send_ping()

    async def call_err(self, name: str, arguments: dict[str, Any] | None = None) -> str:
        result = await self.call(name, arguments)
        assert result.is_error, f"{name}({arguments}) should have failed, got: {text_of(result)[:500]}"
        return text_of(result)


async def handshake(session: ClientSession, version: str, capabilities: types.ClientCapabilities) -> types.InitializeResult:
    """The initialize handshake at an explicit protocol version.

    ClientSession.initialize() always offers the SDK's newest handshake version, so for the version
    matrix the same three steps are done here with the SDK's own request types: initialize,
    adopt the result, then notifications/initialized.
    """
    result = await session.send_request(
        types.InitializeRequest(
            params=types.InitializeRequestParams(
                protocol_version=version,
                capabilities=capabilities,
                client_info=types.Implementation(name=CLIENT_NAME, version="1.0.0"),
            )
        ),
        types.InitializeResult,
    )
    session.adopt(result)
    await session.send_notification(types.InitializedNotification())
    return result


class ServeProcess:
    """`fathom serve --port 0` in the background; its URL comes from the line it logs when listening."""

    def __init__(self, fathom_bin: Path, env: dict[str, str], cwd: Path, stderr_path: Path, args: list[str] | None = None):
        self.stderr_path = stderr_path
        self._errlog = open(stderr_path, "w")
        self.proc = subprocess.Popen(
            [str(fathom_bin), "serve", "--host", "127.0.0.1", "--port", "0", *(args or [])],
            env=env,
            cwd=str(cwd),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=self._errlog,
        )
        deadline = time.monotonic() + REQUEST_TIMEOUT
        self.base = ""
        while time.monotonic() < deadline:
            text = stderr_path.read_text(errors="replace")
            marker = text.find("listening on ")
            if marker >= 0 and text.find("/mcp", marker) > 0:
                url = text[marker + len("listening on ") : text.find("/mcp", marker)]
                self.base = url
                break
            if self.proc.poll() is not None:
                raise AssertionError(f"fathom serve exited with {self.proc.returncode}: {text[-2000:]}")
            time.sleep(0.02)
        else:
            self.stop()
            raise AssertionError(f"fathom serve did not start: {stderr_path.read_text(errors='replace')[-2000:]}")

    @property
    def mcp_url(self) -> str:
        return self.base + "/mcp"

    @property
    def port(self) -> int:
        return int(self.base.rsplit(":", 1)[1])

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def stop(self, timeout: float = 20.0) -> int:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._errlog.close()
        return self.proc.returncode


@pytest.fixture
def serve(fathom_bin: Path, ws: Workspace):
    """Starts `fathom serve` for the test's workspace; stopped at the end."""
    started: list[ServeProcess] = []

    def start(args: list[str] | None = None, cwd: Path | None = None, **overrides: str | None) -> ServeProcess:
        server = ServeProcess(fathom_bin, ws.env(**overrides), cwd or ws.project, ws.stderr_path(), args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


# The transport open_session uses when a test does not name one; test modules that run over every
# transport set it from a parametrized fixture (tests run one at a time).
TRANSPORTS = ["stdio", "http", "sse", "stateless"]
default_transport = {"name": "stdio"}


def http_client(token: str | None = None, **headers: str) -> httpx2.AsyncClient:
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(REQUEST_TIMEOUT, read=300.0))


@contextlib.asynccontextmanager
async def client_streams(
    transport: str, fathom_bin: Path, ws: Workspace, env: dict[str, str], cwd: Path, args: list[str] | None,
    stderr_path: Path, errlog: Any,
) -> AsyncIterator[tuple[Any, Any]]:
    """The SDK's read and write streams over stdio, Streamable HTTP or legacy SSE."""
    if transport == "stdio":
        params = StdioServerParameters(
            command=str(fathom_bin), args=args if args is not None else ["mcp"], env=env, cwd=str(cwd)
        )
        async with stdio_client(params, errlog=errlog) as streams:
            yield streams
        return
    server = ServeProcess(fathom_bin, env, cwd, stderr_path, args)
    try:
        if transport == "http":
            async with http_client() as client, streamable_http_client(server.mcp_url, http_client=client) as streams:
                yield streams
        elif transport == "sse":
            async with sse_client(server.base + "/sse", timeout=REQUEST_TIMEOUT) as streams:
                yield streams
        else:
            raise ValueError(transport)
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def open_session(
    fathom_bin: Path,
    ws: Workspace,
    *,
    version: str = LATEST,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    args: list[str] | None = None,
    list_roots_callback: Any = None,
    transport: str | None = None,
    elicitation_callback: Any = None,
    sampling_callback: Any = None,
) -> AsyncIterator[Conn]:
    transport = transport or default_transport["name"]
    stderr_path = ws.stderr_path()
    if transport == "stateless":
        # The 2026-07-28 revision: no handshake, every request stands alone (the SDK's Client).
        server = ServeProcess(fathom_bin, env if env is not None else ws.env(), cwd or ws.project, stderr_path, None)
        try:
            async with Client(server.mcp_url, mode="2026-07-28", cache=None, read_timeout_seconds=REQUEST_TIMEOUT) as client:
                yield Conn(client, None, Recorder(), stderr_path)  # type: ignore[arg-type]
        finally:
            server.stop()
        return
    with open(stderr_path, "w") as errlog:
        try:
            async with client_streams(
                transport, fathom_bin, ws, env if env is not None else ws.env(), cwd or ws.project,
                None if transport != "stdio" else args, stderr_path, errlog,
            ) as (read, write):
                rec = Recorder()
                async with ClientSession(
                    read,
                    write,
                    read_timeout_seconds=REQUEST_TIMEOUT,
                    message_handler=rec.handle,
                    client_info=types.Implementation(name=CLIENT_NAME, version="1.0.0"),
                    list_roots_callback=list_roots_callback,
                    elicitation_callback=elicitation_callback,
                    sampling_callback=sampling_callback,
                ) as session:
                    caps = types.ClientCapabilities(
                        roots=types.RootsCapability(list_changed=True) if list_roots_callback else None,
                        # With a callback the client answers elicitation/create (form mode).
                        elicitation=types.ElicitationCapability(form=types.FormElicitationCapability())
                        if elicitation_callback else None,
                        # With a callback the client lends its model (sampling/createMessage).
                        sampling=types.SamplingCapability() if sampling_callback else None,
                    )
                    with anyio.fail_after(REQUEST_TIMEOUT):
                        init = await handshake(session, version, caps)
                    yield Conn(session, init, rec, stderr_path)
        except BaseException as exc:
            # The SDK's task groups wrap a test's failure in nested one-member ExceptionGroups;
            # unwrap it so pytest shows the assertion itself, with the server's stderr below it.
            leaf: BaseException = exc
            while isinstance(leaf, BaseExceptionGroup) and len(leaf.exceptions) == 1:
                leaf = leaf.exceptions[0]
            errlog.flush()
            tail = stderr_path.read_text(errors="replace")[-4000:]
            leaf.add_note(f"--- fathom stderr ({stderr_path}) ---\n{tail}")
            if leaf is not exc:
                raise leaf from None
            raise


class Approver:
    """An elicitation callback: answers every request with one action and keeps what it was asked."""

    def __init__(self, action: str):
        self.action = action
        self.requests: list[Any] = []

    async def __call__(self, context: Any, params: Any) -> types.ElicitResult:
        self.requests.append(params)
        if self.action != "accept":
            return types.ElicitResult(action=self.action)
        schema = getattr(params, "requested_schema", None) or {}
        answer = {key: True for key, field in (schema.get("properties") or {}).items() if field.get("type") == "boolean"}
        return types.ElicitResult(action="accept", content=answer)


async def expect_mcp_error(awaitable: Any, code: int) -> MCPError:
    try:
        result = await awaitable
    except MCPError as exc:
        assert exc.code == code, f"expected JSON-RPC error {code}, got {exc.code}: {exc.message}"
        return exc
    raise AssertionError(f"expected JSON-RPC error {code}, got a result: {result!r}"[:800])


# --- raw JSON-lines driver -------------------------------------------------------------------


class RawServer:
    """`fathom mcp` as a subprocess, spoken to with hand-written JSON lines.

    A reader thread parses every stdout line; a line that is not JSON is kept in `bad_lines`
    (stdout must carry JSON-RPC only). Unmatched messages stay in a backlog for later reads.
    """

    def __init__(self, fathom_bin: Path, env: dict[str, str], cwd: Path, stderr_path: Path, args: list[str] | None = None):
        self.stderr_path = stderr_path
        self._errlog = open(stderr_path, "wb")
        self.proc = subprocess.Popen(
            [str(fathom_bin), *(args if args is not None else ["mcp"])],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errlog,
            env=env,
            cwd=str(cwd),
        )
        self._queue: queue.Queue[Any] = queue.Queue()
        self.backlog: list[Any] = []
        self.received: list[Any] = []
        self.bad_lines: list[bytes] = []
        self.eof = False
        self._next_id = 1000
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            stripped = line.strip()
            if not stripped:
                continue
            try:
                msg = json.loads(stripped)
            except ValueError:
                self.bad_lines.append(line)
                continue
            self._queue.put(msg)
        self._queue.put(_EOF)

    # --- writing ---
    def send_bytes(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, obj: Any) -> None:
        self.send_bytes(json.dumps(obj).encode() + b"\n")

    def new_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def notify(self, method: str, params: dict[str, Any] | None = None) -> None:
        msg: dict[str, Any] = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)

    # --- reading ---
    def recv(self, predicate: Callable[[Any], bool], timeout: float = REQUEST_TIMEOUT) -> Any:
        for i, msg in enumerate(self.backlog):
            if predicate(msg):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(
                    f"no matching message within {timeout}s; backlog: {self.backlog[-10:]}; {self._stderr_tail()}"
                )
            if self.eof:
                raise AssertionError(f"server closed stdout; backlog: {self.backlog[-10:]}; {self._stderr_tail()}")
            try:
                msg = self._queue.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            if msg is _EOF:
                self.eof = True
                continue
            self.received.append(msg)
            if predicate(msg):
                return msg
            self.backlog.append(msg)

    def response(self, request_id: Any, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        return self.recv(lambda m: isinstance(m, dict) and "method" not in m and m.get("id") == request_id, timeout)

    def drain(self) -> None:
        """Moves whatever has already arrived into the backlog, without waiting."""
        while True:
            try:
                msg = self._queue.get_nowait()
            except queue.Empty:
                return
            if msg is _EOF:
                self.eof = True
                return
            self.received.append(msg)
            self.backlog.append(msg)

    def request(self, method: str, params: dict[str, Any] | None = None, timeout: float = REQUEST_TIMEOUT) -> dict[str, Any]:
        rid = self.new_id()
        msg: dict[str, Any] = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            msg["params"] = params
        self.send(msg)
        return self.response(rid, timeout)

    def initialize(self, version: str = LATEST, capabilities: dict[str, Any] | None = None, client: str = "raw-driver") -> dict[str, Any]:
        resp = self.request(
            "initialize",
            {"protocolVersion": version, "capabilities": capabilities or {}, "clientInfo": {"name": client, "version": "1.0"}},
        )
        assert "result" in resp, f"initialize failed: {resp}"
        self.notify("notifications/initialized")
        return resp["result"]

    def assert_alive(self) -> None:
        """The server still answers ping."""
        resp = self.request("ping")
        assert resp.get("result") == {}, f"ping after bad input got {resp}"
        assert resp.get("jsonrpc") == "2.0"

    # --- lifecycle ---
    def close_stdin(self) -> None:
        with contextlib.suppress(BrokenPipeError, OSError, ValueError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()

    def wait_exit(self, timeout: float = 20.0) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"server did not exit within {timeout}s after stdin EOF; {self._stderr_tail()}") from None

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=10)
        self._errlog.close()

    def _stderr_tail(self) -> str:
        with contextlib.suppress(OSError):
            self._errlog.flush()
            return "stderr tail: " + self.stderr_path.read_text(errors="replace")[-2000:]
        return ""


_EOF = object()


@pytest.fixture
def raw_server(fathom_bin: Path, ws: Workspace):
    """Factory: raw_server(**env_overrides) -> a started RawServer; all are killed at teardown."""
    started: list[RawServer] = []

    def start(cwd: Path | None = None, args: list[str] | None = None, **overrides: str | None) -> RawServer:
        server = RawServer(fathom_bin, ws.env(**overrides), cwd or ws.project, ws.stderr_path(), args)
        started.append(server)
        return server

    yield start
    for server in started:
        server.kill()
    for server in started:
        assert not server.bad_lines, f"non-JSON lines on stdout: {server.bad_lines[:5]}"


def make_big_tree(root: Path, dirs: int = 300, files_per_dir: int = 100) -> int:
    """A tree big enough that a content search over it takes a while (dirs*files_per_dir files)."""
    body = ("lorem ipsum dolor sit amet " * 8 + "\n").encode()
    root.mkdir(parents=True, exist_ok=True)
    for d in range(dirs):
        sub = root / f"d{d:04d}"
        sub.mkdir()
        for f in range(files_per_dir):
            with open(sub / f"f{f:04d}.txt", "wb") as fh:
                fh.write(body)
    return dirs * files_per_dir


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.fixture(scope="session")
def big_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """30,000 small files, made once per run and only ever read: a content search over it takes a
    while, so a cancel can land mid-call. Tests add it as a second root next to their own fresh one."""
    tree = tmp_path_factory.mktemp("big-tree").resolve()
    make_big_tree(tree, dirs=300, files_per_dir=100)
    return tree


@pytest.fixture(scope="session")
def medium_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2,000 files: enough entries for the walkers to report progress."""
    tree = tmp_path_factory.mktemp("medium-tree").resolve()
    make_big_tree(tree, dirs=20, files_per_dir=100)
    return tree


def with_tree(ws: Workspace, tree: Path, **overrides: str) -> dict[str, str]:
    """The test's environment with a shared read-only tree as a second root."""
    return ws.env(FATHOM_FILESYSTEM_ROOTS=f"{ws.root},{tree}", **overrides)


# --- real parts: Prometheus, node-exporter, Alertmanager, PostgreSQL (Tests/interop/realparts.py) -----

from realparts import ObservabilityStack, PostgresServer, SecurePrometheus, CertificateAuthority  # noqa: E402


@pytest.fixture(scope="session")
def obs(tmp_path_factory: pytest.TempPathFactory):
    """node-exporter → Prometheus → Alertmanager, started once for the session."""
    stack = ObservabilityStack(tmp_path_factory.mktemp("observability")).start()
    yield stack
    stack.stop()


@pytest.fixture(scope="session")
def test_ca(tmp_path_factory: pytest.TempPathFactory) -> CertificateAuthority:
    return CertificateAuthority(tmp_path_factory.mktemp("ca")).make()


@pytest.fixture(scope="session")
def secure_prometheus(tmp_path_factory: pytest.TempPathFactory, test_ca: CertificateAuthority):
    """Prometheus with TLS (test CA), required client certificates and basic auth."""
    server = SecurePrometheus(tmp_path_factory.mktemp("secure-prometheus"), test_ca).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres(tmp_path_factory: pytest.TempPathFactory):
    server = PostgresServer(tmp_path_factory.mktemp("postgres")).start()
    yield server
    server.stop()


def write_tools_config(ws: Workspace, name: str, text: str) -> Path:
    """Writes project/tools/NAME.yaml, which the server reads as its toolset config."""
    folder = ws.project / "tools"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path


@pytest.fixture(scope="session")
def loki_tempo(tmp_path_factory: pytest.TempPathFactory):
    from realparts import LokiTempoFixture

    fixture = LokiTempoFixture(tmp_path_factory.mktemp("loki-tempo")).start()
    yield fixture
    fixture.stop()
