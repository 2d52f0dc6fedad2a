"""MCP over stdio with the official Python SDK, at every protocol version Fathom speaks.

Per version: initialize (negotiated version, capabilities), tools/list, every read-only tool,
resources (list, templates, read, subscribe + updated), prompts (list, get), logging/setLevel +
notifications/message, progress, completion/complete and ping. Then cancellation, pagination,
client roots and the audit rows, which do not depend on the version.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime
from pathlib import Path

import anyio
import mcp_types as types
import pytest

from conftest import (
    CLIENT_NAME,
    HELLO_TEXT,
    LATEST,
    NOTIFY_TIMEOUT,
    PROTOCOL_VERSIONS,
    READ_ONLY_TOOLS,
    WRITE_TOOLS,
    Conn,
    Workspace,
    expect_mcp_error,
    with_tree,
    open_session,
    text_of,
    tiny_png,
)

pytestmark = pytest.mark.anyio
versions = pytest.mark.parametrize("version", PROTOCOL_VERSIONS)


def file_uri(path: Path) -> str:
    return "file://" + str(path)


# --- per version -----------------------------------------------------------------------------


@versions
async def test_initialize_negotiates_version_and_capabilities(fathom_bin, ws, version):
    async with open_session(fathom_bin, ws, version=version) as conn:
        init = conn.init
        assert init.protocol_version == version
        assert init.server_info.name
        assert init.server_info.version
        caps = init.capabilities
        assert caps.tools is not None and caps.tools.list_changed is True, caps
        assert caps.resources is not None, caps
        assert caps.resources.subscribe is True and caps.resources.list_changed is True, caps.resources
        assert caps.prompts is not None and caps.prompts.list_changed is True, caps
        assert caps.logging is not None, caps
        if version != "2024-11-05":  # the completions capability was introduced in 2025-03-26
            assert caps.completions is not None, caps
        await conn.session.send_ping()


@versions
async def test_tools_list_has_read_only_tools_and_no_write_tools(fathom_bin, ws, version):
    async with open_session(fathom_bin, ws, version=version) as conn:
        listed = await conn.session.list_tools()
        names = [t.name for t in listed.tools]
        assert listed.next_cursor is None
        assert len(names) == len(set(names)), f"duplicate tools: {names}"
        for name in READ_ONLY_TOOLS:
            assert name in names, f"{name} missing from {names}"
        for name in WRITE_TOOLS:
            assert name not in names, f"{name} is listed although writes are off by default"
        for tool in listed.tools:
            assert tool.description and len(tool.description.strip()) > 10, tool.name
            assert tool.input_schema.get("type") == "object", (tool.name, tool.input_schema)
            if tool.annotations is not None and tool.annotations.read_only_hint is not None:
                assert tool.annotations.read_only_hint is True, tool.name


@versions
async def test_every_read_only_tool_succeeds(fathom_bin, ws, version):
    r = ws.root
    hello, notes = str(r / "hello.txt"), str(r / "notes.md")
    async with open_session(fathom_bin, ws, version=version) as conn:
        res = await conn.call_ok("read_text_file", {"path": hello})
        assert text_of(res).rstrip("\n") == HELLO_TEXT.rstrip("\n")

        res = await conn.call_ok("read_media_file", {"path": str(r / "image.png")})
        images = [c for c in res.content if isinstance(c, types.ImageContent)]
        assert len(images) == 1, res.content
        assert images[0].mime_type == "image/png"
        assert base64.b64decode(images[0].data) == tiny_png()

        res = await conn.call_ok("read_multiple_files", {"paths": [hello, notes]})
        text = text_of(res)
        assert "line10" in text and "alpha beta gamma" in text

        res = await conn.call_ok("list_directory", {"path": str(r)})
        lines = text_of(res).splitlines()
        assert "[FILE] hello.txt" in lines and "[DIR] sub" in lines, lines

        res = await conn.call_ok("list_directory_with_sizes", {"path": str(r)})
        assert "hello.txt" in text_of(res) and "sub" in text_of(res)

        res = await conn.call_ok("directory_tree", {"path": str(r / "sub")})
        tree = json.loads(text_of(res))
        names = {e["name"]: e for e in tree}
        assert names["nested.txt"]["type"] == "file"
        assert names["deeper"]["type"] == "directory"
        assert {c["name"] for c in names["deeper"]["children"]} == {"app.log", "other.log"}

        res = await conn.call_ok("search_files", {"path": str(r), "pattern": "*.txt"})
        found = set(text_of(res).splitlines())
        assert {hello, str(r / "sub" / "nested.txt")} <= found, found

        res = await conn.call_ok("get_file_info", {"path": hello})
        assert "size" in text_of(res).lower()
        if version >= "2025-06-18":  # structuredContent exists from 2025-06-18
            sc = res.structured_content
            assert isinstance(sc, dict), res
            assert sc["size"] == len(HELLO_TEXT)
            assert sc["type"] == "file"

        res = await conn.call_ok("list_allowed_directories", {})
        assert text_of(res).splitlines() == ["Allowed directories:", str(r)]
        if version >= "2025-06-18":
            assert res.structured_content == {"directories": [str(r)]}


@versions
async def test_resources_list_templates_read(fathom_bin, ws, version):
    r = ws.root
    async with open_session(fathom_bin, ws, version=version) as conn:
        listed = await conn.session.list_resources()
        uris = {res.uri for res in listed.resources}
        for name in ("hello.txt", "notes.md", "data.json", "image.png"):
            assert file_uri(r / name) in uris, (name, uris)
        # Files directly in the root only: not recursive, no directories, nothing denied.
        assert file_uri(r / "sub" / "nested.txt") not in uris
        assert file_uri(r / "sub") not in uris and file_uri(r / "sub") + "/" not in uris
        for denied in (".env", "key.pem", "id_rsa"):
            assert file_uri(r / denied) not in uris, f"denied file {denied} listed as a resource"

        templates = await conn.session.list_resource_templates()
        assert "file:///{path}" in [t.uri_template for t in templates.resource_templates]

        read = await conn.session.read_resource(file_uri(r / "hello.txt"))
        assert len(read.contents) == 1
        content = read.contents[0]
        assert isinstance(content, types.TextResourceContents), content
        assert content.text == HELLO_TEXT
        assert content.uri == file_uri(r / "hello.txt")

        read = await conn.session.read_resource(file_uri(r / "image.png"))
        content = read.contents[0]
        assert isinstance(content, types.BlobResourceContents), content
        assert base64.b64decode(content.blob) == tiny_png()
        assert content.mime_type == "image/png"

        # A file below the root is readable through the template, too.
        read = await conn.session.read_resource(file_uri(r / "sub" / "nested.txt"))
        assert read.contents[0].text == "a nested needle here\n"


@versions
async def test_resource_subscribe_sends_updated(fathom_bin, ws, version):
    target = ws.root / "notes.md"
    uri = file_uri(target)
    async with open_session(fathom_bin, ws, version=version) as conn:
        await conn.session.subscribe_resource(uri)
        start = len(conn.rec.notifications)
        target.write_text(target.read_text() + "one more line, so the size changes\n")
        note = await conn.rec.wait_for(
            lambda n: isinstance(n, types.ResourceUpdatedNotification) and n.params.uri == uri, start=start
        )
        assert note.params.uri == uri
        await conn.session.unsubscribe_resource(uri)


@versions
async def test_prompts_list_and_get(fathom_bin, ws, version):
    async with open_session(fathom_bin, ws, version=version) as conn:
        listed = await conn.session.list_prompts()
        prompts = {p.name: p for p in listed.prompts}
        assert {"triage-file", "alpha", "beta", "gamma", "delta"} <= set(prompts), prompts
        triage = prompts["triage-file"]
        assert triage.description == "Triage one file of the workspace and say how bad it is"
        args = {a.name: a for a in triage.arguments or []}
        assert args["path"].required is True
        assert not args["severity"].required

        got = await conn.session.get_prompt("triage-file", {"path": "src/main.swift", "severity": "high"})
        assert got.messages, got
        text = "\n".join(m.content.text for m in got.messages if isinstance(m.content, types.TextContent))
        assert "src/main.swift" in text and "high" in text, text
        assert "{{path}}" not in text

        await expect_mcp_error(conn.session.get_prompt("no-such-prompt", {}), -32602)
        await expect_mcp_error(conn.session.get_prompt("triage-file", {"severity": "low"}), -32602)


@versions
async def test_logging_set_level_and_messages(fathom_bin, ws, version):
    def mentions(n, level, tool):
        return (
            isinstance(n, types.LoggingMessageNotification)
            and n.params.level == level
            and tool in json.dumps(n.params.data)
        )

    async with open_session(fathom_bin, ws, version=version) as conn:
        await conn.session.set_logging_level("debug")
        start = len(conn.rec.notifications)
        await conn.call_ok("list_allowed_directories", {})
        note = await conn.rec.wait_for(lambda n: mentions(n, "debug", "list_allowed_directories"), start=start)
        assert re.fullmatch(r"tool list_allowed_directories ok in \d+us", str(note.params.data)), note.params.data

        await conn.session.set_logging_level("warning")
        start = len(conn.rec.notifications)
        await conn.call_ok("list_allowed_directories", {})
        denied = await conn.call("write_file", {"path": str(ws.root / "x.txt"), "content": "x"})
        assert denied.is_error
        await conn.rec.wait_for(lambda n: mentions(n, "warning", "write_file"), start=start)
        await conn.session.send_ping()
        below = [
            n for n in conn.rec.notifications[start:]
            if isinstance(n, types.LoggingMessageNotification) and n.params.level in ("debug", "info", "notice")
        ]
        assert not below, f"messages below the set level were sent: {below}"


@versions
async def test_progress_notifications(fathom_bin, ws, medium_tree, version):
    async with open_session(fathom_bin, ws, version=version, env=with_tree(ws, medium_tree)) as conn:
        for tool, args in (
            ("search_files", {"path": str(medium_tree), "pattern": "*.txt", "content": "needle"}),
            ("directory_tree", {"path": str(medium_tree)}),
        ):
            seen: list[float] = []

            async def on_progress(progress: float, total: float | None, message: str | None) -> None:
                seen.append(progress)

            await conn.call_ok(tool, args, progress_callback=on_progress)
            assert seen, f"{tool} sent no notifications/progress for a request with a progressToken"
            assert seen == sorted(seen), f"{tool} progress went backwards: {seen}"


@versions
async def test_completion(fathom_bin, ws, version):
    async with open_session(fathom_bin, ws, version=version) as conn:
        ref = types.PromptReference(name="triage-file")
        got = await conn.session.complete(ref, {"name": "severity", "value": "m"})
        assert got.completion.values == ["medium"]
        got = await conn.session.complete(ref, {"name": "severity", "value": ""})
        assert sorted(got.completion.values) == ["high", "low", "medium"]

        tref = types.ResourceTemplateReference(uri="file:///{path}")
        prefix = str(ws.root / "su")
        got = await conn.session.complete(tref, {"name": "path", "value": prefix})
        values = got.completion.values
        if not values:  # the {path} variable may be written without its leading slash
            got = await conn.session.complete(tref, {"name": "path", "value": prefix.lstrip("/")})
            values = got.completion.values
        assert any(v.rstrip("/").endswith("root/sub") for v in values), values
        assert not any("outside" in v for v in values)


@versions
async def test_ping(fathom_bin, ws, version):
    async with open_session(fathom_bin, ws, version=version) as conn:
        result = await conn.session.send_ping()
        assert isinstance(result, types.EmptyResult)


# --- version independent ---------------------------------------------------------------------


def test_unknown_protocol_version_gets_latest(raw_server):
    server = raw_server()
    result = server.initialize(version="1999-01-01")
    assert result["protocolVersion"] == LATEST
    server.assert_alive()


@pytest.mark.parametrize("loop", ["thread", "event-loop"])
def test_cancel_search_raw(raw_server, ws: Workspace, big_tree, loop: str):
    """notifications/cancelled stops search_files: no response for it, audit says cancelled. With a
    network toolset configured stdin is read on NIO's event loop, which must not be starved either."""
    extra = {"FATHOM_OBSERVABILITY_PROMETHEUS_URL": "http://127.0.0.1:9"} if loop == "event-loop" else {}
    server = raw_server(FATHOM_FILESYSTEM_ROOTS=f"{ws.root},{big_tree}", **extra)
    server.initialize(client="cancel-raw")
    rid = server.new_id()
    token = "cancel-me"
    server.send({
        "jsonrpc": "2.0", "id": rid, "method": "tools/call",
        "params": {
            "name": "search_files",
            "arguments": {"path": str(big_tree), "pattern": "*", "content": "no such needle anywhere"},
            "_meta": {"progressToken": token},
        },
    })
    first = server.recv(
        lambda m: m.get("method") == "notifications/progress" or ("method" not in m and m.get("id") == rid)
    )
    assert first.get("method") == "notifications/progress", (
        f"search finished before its first progress notification, nothing left to cancel: {first}"
    )
    assert first["params"]["progressToken"] == token
    server.notify("notifications/cancelled", {"requestId": rid, "reason": "test cancels"})
    server.assert_alive()
    row = ws.wait_audit_row(tool="search_files", client="cancel-raw", timeout=60)
    assert row["outcome"] == "cancelled", row
    server.assert_alive()
    server.drain()
    answered = [m for m in server.received if "method" not in m and m.get("id") == rid]
    assert not answered, f"a cancelled request must get no response, got {answered}"


async def test_cancel_search_sdk(fathom_bin, ws: Workspace, big_tree):
    """The SDK's own cancellation (abandoning the call) reaches the server as notifications/cancelled."""
    async with open_session(fathom_bin, ws, env=with_tree(ws, big_tree)) as conn:
        progressed = anyio.Event()
        outcome: dict[str, object] = {}

        async def on_progress(progress: float, total: float | None, message: str | None) -> None:
            progressed.set()

        async def search(scope: anyio.CancelScope) -> None:
            with scope:
                outcome["result"] = await conn.call(
                    "search_files",
                    {"path": str(big_tree), "pattern": "*", "content": "no such needle anywhere"},
                    progress_callback=on_progress,
                )

        scope = anyio.CancelScope()
        async with anyio.create_task_group() as tg:
            tg.start_soon(search, scope)
            with anyio.fail_after(NOTIFY_TIMEOUT * 3):
                while not progressed.is_set() and "result" not in outcome:
                    await anyio.sleep(0.01)
            assert "result" not in outcome, "search finished before its first progress notification"
            scope.cancel()
        await conn.session.send_ping()
        row = ws.wait_audit_row(tool="search_files", timeout=60)
        assert row["outcome"] == "cancelled", row


async def test_pagination_walks_all_pages(fathom_bin, ws: Workspace):
    async with open_session(fathom_bin, ws) as full:
        all_tools = [t.name for t in (await full.session.list_tools()).tools]
        all_resources = [r.uri for r in (await full.session.list_resources()).resources]
        all_prompts = [p.name for p in (await full.session.list_prompts()).prompts]
    assert len(all_tools) > 3 and len(all_resources) > 3 and len(all_prompts) > 3

    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_MCP_PAGE_SIZE="3")) as conn:
        s = conn.session
        for lister, key, everything in (
            (s.list_tools, lambda r: [t.name for t in r.tools], all_tools),
            (s.list_resources, lambda r: [x.uri for x in r.resources], all_resources),
            (s.list_prompts, lambda r: [p.name for p in r.prompts], all_prompts),
        ):
            seen: list[str] = []
            cursor = None
            pages = 0
            while True:
                params = types.PaginatedRequestParams(cursor=cursor) if cursor else None
                page = await lister(params=params)
                items = key(page)
                pages += 1
                assert len(items) <= 3, items
                seen += items
                cursor = page.next_cursor
                if cursor is None:
                    break
                assert items, "an empty page must not carry a nextCursor"
                assert pages < 100, "pagination does not end"
            assert pages >= 2
            assert len(seen) == len(set(seen)), f"an item came twice: {seen}"
            assert sorted(seen) == sorted(everything)

            await expect_mcp_error(lister(params=types.PaginatedRequestParams(cursor="not-a-cursor")), -32602)


async def allowed_directories_once_they_include(conn, root) -> list[str]:
    """Polls list_allowed_directories (bounded) until `root` is in force; the server applies roots asynchronously."""
    with anyio.fail_after(NOTIFY_TIMEOUT):
        while True:
            lines = text_of(await conn.call_ok("list_allowed_directories", {})).splitlines()
            if str(root) in lines:
                return lines[1:]
            await anyio.sleep(0.05)


async def test_client_roots_narrow_the_configured_roots(fathom_bin, ws: Workspace):
    """Roots the client offers replace the configured ones, but only inside them: `--root` stays the ceiling."""
    client_root = ws.root / "client-root"
    client_root.mkdir()
    (client_root / "from-client.txt").write_text("served from the client's root\n")
    second_root = ws.root / "second-client-root"
    second_root.mkdir()
    outside_root = ws.base / "outside-client-root"
    outside_root.mkdir()
    (outside_root / "not-served.txt").write_text("must never be served\n")
    asked = anyio.Event()
    offered = [client_root, outside_root]

    async def list_roots(context):
        asked.set()
        return types.ListRootsResult(roots=[types.Root(uri=f"file://{p}", name=p.name) for p in offered])

    async with open_session(fathom_bin, ws, list_roots_callback=list_roots) as conn:
        with anyio.fail_after(NOTIFY_TIMEOUT):
            await asked.wait()
        # The resource list follows the roots, so the server says it changed.
        await conn.rec.wait_for(lambda n: isinstance(n, types.ResourceListChangedNotification))
        listed = await conn.session.list_resources()
        assert [r.uri for r in listed.resources] == [f"file://{client_root}/from-client.txt"]
        assert await allowed_directories_once_they_include(conn, client_root) == [str(client_root)]
        res = await conn.call_ok("read_text_file", {"path": str(client_root / "from-client.txt")})
        assert "served from the client's root" in text_of(res)
        msg = await conn.call_err("read_text_file", {"path": str(ws.root / "hello.txt")})
        assert "outside the allowed directories" in msg
        msg = await conn.call_err("read_text_file", {"path": str(outside_root / "not-served.txt")})
        assert "outside the allowed directories" in msg and "must never be served" not in msg

        # notifications/roots/list_changed makes the server ask again.
        offered.append(second_root)
        await conn.session.send_roots_list_changed()
        assert await allowed_directories_once_they_include(conn, second_root) == [str(client_root), str(second_root)]


async def test_audit_rows(fathom_bin, ws: Workspace):
    async with open_session(fathom_bin, ws) as conn:
        await conn.call_ok("read_text_file", {"path": str(ws.root / "hello.txt")})
        await conn.call_err("read_text_file", {"path": str(ws.root / "missing.txt")})
        await conn.call_err("write_file", {"path": str(ws.root / "w.txt"), "content": "x"})
        await conn.call_err("read_text_file", {"path": 12345})
        await conn.call_ok(
            "search_files", {"path": str(ws.root), "pattern": "*.txt", "content": "password=hunter2"}
        )
    rows = ws.wait_audit(lambda rs: len(rs) >= 5)
    assert len(rows) == 5, rows
    for row in rows:
        assert row["client"] == CLIENT_NAME, row
        datetime.fromisoformat(row["at"].replace("Z", "+00:00"))
        assert isinstance(row["duration_us"], int) and row["duration_us"] >= 0, row
        json.loads(row["arguments"])
    ok, missing, denied, invalid, redacted = rows
    assert (ok["tool"], ok["outcome"]) == ("read_text_file", "ok")
    assert json.loads(ok["arguments"]) == {"path": str(ws.root / "hello.txt")}
    assert (missing["tool"], missing["outcome"]) == ("read_text_file", "error")
    assert missing["error"]
    assert (denied["tool"], denied["outcome"]) == ("write_file", "denied")
    assert (invalid["tool"], invalid["outcome"]) == ("read_text_file", "invalid")
    assert redacted["tool"] == "search_files" and redacted["outcome"] == "ok"
    assert "hunter2" not in redacted["arguments"], redacted


async def test_audit_cli_client(fathom_bin, ws: Workspace):
    """`fathom tools call` goes through the same registry and audit, as client "cli"."""
    import subprocess

    proc = subprocess.run(
        [str(fathom_bin), "tools", "call", "list_allowed_directories", "--args", "{}"],
        env=ws.env(), cwd=ws.project, capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert str(ws.root) in proc.stdout
    row = ws.wait_audit_row(tool="list_allowed_directories")
    assert row["client"] == "cli" and row["outcome"] == "ok"


async def test_unknown_tool_is_invalid_params(fathom_bin, ws: Workspace):
    async with open_session(fathom_bin, ws) as conn:
        await expect_mcp_error(conn.session.call_tool("no_such_tool", {}), -32602)
        await conn.session.send_ping()


async def test_shipped_prompts_and_config(fathom_bin, ws: Workspace):
    """Run from the repository itself: its tools/filesystem.yaml loads and its prompts/ are served."""
    from conftest import REPO

    async with open_session(fathom_bin, ws, cwd=REPO) as conn:
        prompts = {p.name: p for p in (await conn.session.list_prompts()).prompts}
        assert {"investigate-alert", "summarize-directory"} <= set(prompts), prompts
        args = {a.name: a.required for a in prompts["investigate-alert"].arguments or []}
        assert args == {"alertname": True, "namespace": False} or (args["alertname"] and not args["namespace"]), args
        args = {a.name: a.required for a in prompts["summarize-directory"].arguments or []}
        assert args == {"path": True}, args

        got = await conn.session.get_prompt("investigate-alert", {"alertname": "KubePodCrashLooping", "namespace": "shop"})
        text = got.messages[0].content.text
        assert "KubePodCrashLooping" in text and "shop" in text and "{{" not in text, text
        got = await conn.session.get_prompt("summarize-directory", {"path": "deploy/"})
        assert "deploy/" in got.messages[0].content.text
        await expect_mcp_error(conn.session.get_prompt("investigate-alert", {"namespace": "shop"}), -32602)

        done = await conn.session.complete(types.PromptReference(name="investigate-alert"), {"name": "alertname", "value": "Kube"})
        assert done.completion.values and all(v.startswith("Kube") for v in done.completion.values), done
        # The environment still wins over the repository's tools/filesystem.yaml.
        res = await conn.call_ok("list_allowed_directories", {})
        assert res.structured_content == {"directories": [str(ws.root)]}
