"""The filesystem tools' behaviour, through the official SDK over each transport: stdio, Streamable HTTP
and legacy HTTP+SSE at the newest handshake revision, and the stateless 2026-07-28 revision."""

from __future__ import annotations

import json
import os

import pytest

from conftest import HELLO_TEXT, READ_ONLY_TOOLS, TRANSPORTS, WRITE_TOOLS, Workspace, default_transport, open_session, text_of

pytestmark = pytest.mark.anyio


@pytest.fixture(autouse=True, params=TRANSPORTS)
def transport(request):
    default_transport["name"] = request.param
    yield request.param
    default_transport["name"] = "stdio"

WRITES_ON = {"FATHOM_POLICY_READ_ONLY": "false", "FATHOM_POLICY_ALLOW": "write_file,edit_file"}


def writable(ws: Workspace, **extra: str) -> dict[str, str]:
    return ws.env(**WRITES_ON, **extra)


async def tool_names(conn) -> list[str]:
    return [t.name for t in (await conn.session.list_tools()).tools]


# --- reading ---------------------------------------------------------------------------------


async def test_read_text_file_head_and_tail(fathom_bin, ws):
    path = str(ws.root / "hello.txt")
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("read_text_file", {"path": path, "head": 3}))
        assert text.splitlines() == ["line1", "line2", "line3"]
        text = text_of(await conn.call_ok("read_text_file", {"path": path, "tail": 2}))
        assert text.splitlines() == ["line9", "line10"]
        text = text_of(await conn.call_ok("read_text_file", {"path": path}))
        assert text.rstrip("\n") == HELLO_TEXT.rstrip("\n")


async def test_read_relative_path_is_taken_from_the_root(fathom_bin, ws):
    async with open_session(fathom_bin, ws) as conn:
        text = text_of(await conn.call_ok("read_text_file", {"path": "sub/nested.txt"}))
        assert text == "a nested needle here\n"


async def test_read_truncates_with_marker(fathom_bin, ws):
    big = ws.root / "big.txt"
    big.write_text("".join(f"row {i:05d} of a long file\n" for i in range(2000)))
    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_FILESYSTEM_MAX_READ_BYTES="100")) as conn:
        text = text_of(await conn.call_ok("read_text_file", {"path": str(big)}))
        lines = text.splitlines()
        marker = [i for i, line in enumerate(lines) if line.startswith("[truncated:")]
        assert marker, f"no '[truncated:' line in {text[:400]!r}"
        body = "\n".join(lines[: marker[0]])
        assert len(body.encode()) <= 100, f"{len(body.encode())} bytes before the marker, cap is 100"
        assert body.startswith("row 00000")
        assert "row 01999" not in text

        small = text_of(await conn.call_ok("read_text_file", {"path": str(ws.root / "notes.md")}))
        assert "[truncated:" not in small

        # head/tail of a file whose lines are longer than the cap: still cut, and still marked.
        (ws.root / "one-line.txt").write_text("x" * 2000 + "\n")
        for part in ({"head": 1}, {"tail": 1}):
            text = text_of(await conn.call_ok("read_text_file", {"path": str(ws.root / "one-line.txt"), **part}))
            assert any(line.startswith("[truncated:") for line in text.splitlines()), f"{part}: cut without a marker: {text!r}"
            body = "\n".join(line for line in text.splitlines() if not line.startswith("[truncated:"))
            assert body.count("x") <= 100, part


async def test_read_tail_of_a_file_larger_than_the_cap(fathom_bin, ws):
    """tail must return the file's last lines even when the file is far larger than the read cap."""
    big = ws.root / "big.log"
    big.write_text("".join(f"row {i:05d} of a long file\n" for i in range(2000)))
    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_FILESYSTEM_MAX_READ_BYTES="100")) as conn:
        text = text_of(await conn.call_ok("read_text_file", {"path": str(big), "tail": 2}))
        lines = [line for line in text.splitlines() if not line.startswith("[truncated:")]
        assert lines == ["row 01998 of a long file", "row 01999 of a long file"], text
        text = text_of(await conn.call_ok("read_text_file", {"path": str(big), "head": 2}))
        assert text.splitlines()[:2] == ["row 00000 of a long file", "row 00001 of a long file"], text


async def test_truncation_never_splits_a_character(fathom_bin, ws):
    """A cap that falls inside a multi-byte UTF-8 character must not produce U+FFFD."""
    wide = ws.root / "wide.txt"
    wide.write_text("é" * 1000)  # 2 bytes each; a 101-byte cap ends mid-character
    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_FILESYSTEM_MAX_READ_BYTES="101")) as conn:
        text = text_of(await conn.call_ok("read_text_file", {"path": str(wide)}))
        assert "\ufffd" not in text, text
        assert "[truncated:" in text
        read = await conn.session.read_resource("file://" + str(wide))
        text = read.contents[0].text
        assert "[truncated:" in text, text
        assert "\ufffd" not in text, f"resources/read cut a character in half: {text!r}"


async def test_read_missing_file(fathom_bin, ws):
    async with open_session(fathom_bin, ws) as conn:
        msg = await conn.call_err("read_text_file", {"path": str(ws.root / "nope.txt")})
        assert "No such file or directory" in msg or "does not exist" in msg, msg


async def test_read_multiple_files_reports_each(fathom_bin, ws):
    paths = [str(ws.root / "hello.txt"), str(ws.root / "missing.txt"), str(ws.root / "notes.md")]
    async with open_session(fathom_bin, ws) as conn:
        res = await conn.call("read_multiple_files", {"paths": paths})
        text = text_of(res)
        assert "line10" in text and "alpha beta gamma" in text
        assert "missing.txt" in text
        assert "No such file or directory" in text or "does not exist" in text, text


async def test_schema_invalid_arguments_are_tool_errors(fathom_bin, ws):
    async with open_session(fathom_bin, ws) as conn:
        await conn.call_err("read_text_file", {})
        await conn.call_err("read_text_file", {"path": 42})
        await conn.call_err("read_multiple_files", {"paths": "not-an-array"})
        await conn.call_err("list_directory_with_sizes", {"path": str(ws.root), "sortBy": "colour"})
        await conn.alive()


# --- listing ---------------------------------------------------------------------------------


async def test_list_directory(fathom_bin, ws):
    async with open_session(fathom_bin, ws) as conn:
        lines = text_of(await conn.call_ok("list_directory", {"path": str(ws.root)})).splitlines()
        for entry in ("[FILE] hello.txt", "[FILE] notes.md", "[FILE] image.png", "[DIR] sub", "[DIR] empty_dir"):
            assert entry in lines, (entry, lines)
        for denied in (".env", "key.pem", "id_rsa"):  # ".git" itself is not matched by **/.git/**
            assert not any(line.endswith(" " + denied) for line in lines), f"denied entry {denied} listed: {lines}"
        msg = await conn.call_err("list_directory", {"path": str(ws.root / "hello.txt")})
        assert msg


async def test_list_directory_with_sizes_sorting(fathom_bin, ws):
    (ws.root / "zz-small.txt").write_text("x")
    (ws.root / "aa-large.txt").write_text("x" * 5000)
    async with open_session(fathom_bin, ws) as conn:
        by_name = text_of(await conn.call_ok("list_directory_with_sizes", {"path": str(ws.root), "sortBy": "name"}))
        by_size = text_of(await conn.call_ok("list_directory_with_sizes", {"path": str(ws.root), "sortBy": "size"}))

    def file_order(text: str) -> list[str]:
        order = []
        for line in text.splitlines():
            if line.startswith("[FILE]"):
                order.append(line.split()[1])
        return order

    names = file_order(by_name)
    assert names == sorted(names), names
    sizes = file_order(by_size)
    assert sorted(sizes) == sorted(names)
    # The reference server sorts by size, largest first.
    assert sizes[0] == "aa-large.txt" and sizes[-1] == "zz-small.txt", sizes
    large_line = next(line for line in by_size.splitlines() if "aa-large.txt" in line)
    assert any(ch.isdigit() for ch in large_line.replace("aa-large.txt", "")), f"no size shown: {large_line}"


async def test_directory_tree_and_excludes(fathom_bin, ws):
    async with open_session(fathom_bin, ws) as conn:
        tree = json.loads(text_of(await conn.call_ok("directory_tree", {"path": str(ws.root)})))
        top = {e["name"]: e for e in tree}
        assert top["hello.txt"] == {"name": "hello.txt", "type": "file"} or top["hello.txt"]["type"] == "file"
        assert "children" not in top["hello.txt"]
        assert top["empty_dir"]["type"] == "directory" and top["empty_dir"]["children"] == []
        deeper = {e["name"]: e for e in top["sub"]["children"]}["deeper"]
        assert {e["name"] for e in deeper["children"]} == {"app.log", "other.log"}
        for denied in (".env", "key.pem", "id_rsa"):  # ".git" itself is not matched by **/.git/**
            assert denied not in top, f"denied entry {denied} in the tree"

        tree = json.loads(text_of(await conn.call_ok(
            "directory_tree", {"path": str(ws.root), "excludePatterns": ["*.log", "empty_dir"]})))
        top = {e["name"]: e for e in tree}
        assert "empty_dir" not in top
        deeper = {e["name"]: e for e in top["sub"]["children"]}["deeper"]
        assert deeper["children"] == []


async def test_search_files(fathom_bin, ws):
    r = ws.root
    async with open_session(fathom_bin, ws) as conn:
        async def search(**args) -> list[str]:
            res = await conn.call_ok("search_files", {"path": str(r), **args})
            return text_of(res).splitlines()

        assert set(await search(pattern="*.txt")) == {str(r / "hello.txt"), str(r / "sub" / "nested.txt")}
        assert set(await search(pattern="**/*.log")) == {
            str(r / "sub" / "deeper" / "app.log"), str(r / "sub" / "deeper" / "other.log")}
        assert set(await search(pattern="*", content="needle")) == {
            str(r / "sub" / "nested.txt"), str(r / "sub" / "deeper" / "app.log")}
        assert set(await search(pattern="*.log", excludePatterns=["other*"])) == {str(r / "sub" / "deeper" / "app.log")}
        capped = await search(pattern="*", maxResults=2)
        assert len([line for line in capped if not line.startswith("[truncated:")]) == 2, capped
        assert capped[-1].startswith("[truncated:"), f"a capped search must say it was cut: {capped}"
        assert await search(pattern="*.nothing") == ["No matches found"]
        found = await search(pattern=".env*")
        assert not any(".env" in line for line in found), f"search reveals a denied file: {found}"
        found = await search(pattern="*", content="deny-me")
        assert found == ["No matches found"], f"content search read a denied file: {found}"


async def test_get_file_info(fathom_bin, ws):
    path = ws.root / "hello.txt"
    async with open_session(fathom_bin, ws) as conn:
        res = await conn.call_ok("get_file_info", {"path": str(path)})
        text = text_of(res)
        pairs = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
        assert pairs.get("size", "").strip() == str(len(HELLO_TEXT)), text
        sc = res.structured_content
        for key in ("path", "type", "size", "modified", "accessed", "permissions"):
            assert key in sc, (key, sc)
        assert sc["path"] == str(path) and sc["type"] == "file" and sc["size"] == len(HELLO_TEXT)
        assert oct(os.stat(path).st_mode & 0o777)[2:] in str(sc["permissions"]), sc

        res = await conn.call_ok("get_file_info", {"path": str(ws.root / "sub")})
        assert res.structured_content["type"] == "directory"


async def test_list_allowed_directories_multiple_roots(fathom_bin, ws):
    second = ws.base / "second-root"
    second.mkdir()
    (second / "two.txt").write_text("two\n")
    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_FILESYSTEM_ROOTS=f"{ws.root},{second}")) as conn:
        res = await conn.call_ok("list_allowed_directories", {})
        assert text_of(res).splitlines() == ["Allowed directories:", str(ws.root), str(second)]
        assert res.structured_content == {"directories": [str(ws.root), str(second)]}
        assert text_of(await conn.call_ok("read_text_file", {"path": str(second / "two.txt")})) == "two\n"


# --- policy and writes -----------------------------------------------------------------------


async def test_writes_denied_by_default(fathom_bin, ws):
    target = ws.root / "new.txt"
    async with open_session(fathom_bin, ws) as conn:
        for name, args in (
            ("write_file", {"path": str(target), "content": "x"}),
            ("edit_file", {"path": str(ws.root / "hello.txt"), "edits": [{"oldText": "line1", "newText": "LINE1"}]}),
            ("create_directory", {"path": str(ws.root / "newdir")}),
            ("move_file", {"source": str(ws.root / "notes.md"), "destination": str(ws.root / "moved.md")}),
        ):
            msg = await conn.call_err(name, args)
            assert "not allowed" in msg, (name, msg)
            assert "read-only" in msg or "read only" in msg, (name, msg)
    assert not target.exists()
    assert not (ws.root / "newdir").exists() and not (ws.root / "moved.md").exists()
    assert (ws.root / "hello.txt").read_text() == HELLO_TEXT


async def test_read_only_false_enables_only_non_destructive_writes(fathom_bin, ws):
    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_POLICY_READ_ONLY="false")) as conn:
        names = await tool_names(conn)
        assert "create_directory" in names and "move_file" in names, names
        assert "write_file" not in names and "edit_file" not in names, names
        msg = await conn.call_err("write_file", {"path": str(ws.root / "new.txt"), "content": "x"})
        assert "not allowed" in msg, msg
        await conn.call_ok("create_directory", {"path": str(ws.root / "made" / "deep")})
    assert (ws.root / "made" / "deep").is_dir()
    assert not (ws.root / "new.txt").exists()


async def test_policy_deny_wins(fathom_bin, ws):
    env = ws.env(**WRITES_ON, FATHOM_POLICY_DENY="write_*,read_multiple_files")
    async with open_session(fathom_bin, ws, env=env) as conn:
        names = await tool_names(conn)
        assert "write_file" not in names and "read_multiple_files" not in names, names
        assert "edit_file" in names and "read_text_file" in names, names
        msg = await conn.call_err("write_file", {"path": str(ws.root / "new.txt"), "content": "x"})
        assert "not allowed" in msg, msg
        msg = await conn.call_err("read_multiple_files", {"paths": [str(ws.root / "hello.txt")]})
        assert "not allowed" in msg, msg
    assert not (ws.root / "new.txt").exists()


async def test_write_file(fathom_bin, ws):
    target = ws.root / "written.txt"
    async with open_session(fathom_bin, ws, env=writable(ws)) as conn:
        names = await tool_names(conn)
        for name in READ_ONLY_TOOLS + WRITE_TOOLS:
            assert name in names, (name, names)
        await conn.call_ok("write_file", {"path": str(target), "content": "first\nsecond\n"})
        assert target.read_text() == "first\nsecond\n"
        await conn.call_ok("write_file", {"path": str(target), "content": "replaced ✓\n"})
        assert target.read_text(encoding="utf-8") == "replaced ✓\n"
        msg = await conn.call_err("write_file", {"path": str(ws.root / "no-dir" / "x.txt"), "content": "x"})
        assert msg


async def test_edit_file_dry_run_and_apply(fathom_bin, ws):
    target = ws.root / "hello.txt"
    edits = [{"oldText": "line2\n", "newText": "LINE TWO\n"}, {"oldText": "line9", "newText": "line nine"}]
    async with open_session(fathom_bin, ws, env=writable(ws)) as conn:
        text = text_of(await conn.call_ok("edit_file", {"path": str(target), "edits": edits, "dryRun": True}))
        assert "```diff" in text, text
        assert "-line2" in text and "+LINE TWO" in text and "+line nine" in text, text
        assert target.read_text() == HELLO_TEXT, "dryRun changed the file"

        text = text_of(await conn.call_ok("edit_file", {"path": str(target), "edits": edits}))
        assert "```diff" in text and "+LINE TWO" in text
        assert target.read_text() == HELLO_TEXT.replace("line2\n", "LINE TWO\n").replace("line9", "line nine")

        before = target.read_text()
        msg = await conn.call_err(
            "edit_file", {"path": str(target), "edits": [{"oldText": "not in the file", "newText": "x"}]})
        assert msg
        assert target.read_text() == before


async def test_create_directory_and_move_file(fathom_bin, ws):
    r = ws.root
    async with open_session(fathom_bin, ws, env=writable(ws)) as conn:
        await conn.call_ok("create_directory", {"path": str(r / "a" / "b" / "c")})
        assert (r / "a" / "b" / "c").is_dir()
        await conn.call_ok("create_directory", {"path": str(r / "a" / "b" / "c")})  # idempotent

        await conn.call_ok("move_file", {"source": str(r / "notes.md"), "destination": str(r / "a" / "notes.md")})
        assert not (r / "notes.md").exists()
        assert (r / "a" / "notes.md").read_text() == "# Notes\nalpha beta gamma\n"

        msg = await conn.call_err("move_file", {"source": str(r / "data.json"), "destination": str(r / "hello.txt")})
        assert "exist" in msg, msg
        assert (r / "hello.txt").read_text() == HELLO_TEXT
        assert (r / "data.json").exists()


async def test_root_configured_through_a_symlink(fathom_bin, ws):
    """A root given as a symlink (a Kubernetes ConfigMap mount, macOS /tmp) accepts paths spelled with
    the configured name, not only with its resolved target."""
    link = ws.base / "root-link"
    os.symlink(ws.root, link)
    async with open_session(fathom_bin, ws, env=ws.env(FATHOM_FILESYSTEM_ROOTS=str(link))) as conn:
        text = text_of(await conn.call_ok("read_text_file", {"path": str(link / "hello.txt")}))
        assert text == HELLO_TEXT
        msg = await conn.call_err("read_text_file", {"path": str(link / ".." / "outside" / "secret.txt")})
        assert "outside the allowed directories" in msg


async def test_concurrent_calls(fathom_bin, ws):
    """Many calls in flight at once on one session: every reply reaches its own request."""
    import anyio

    for i in range(40):
        (ws.root / f"c{i:02d}.txt").write_text(f"content {i}\n")
    async with open_session(fathom_bin, ws) as conn:
        got: dict[int, str] = {}

        async def one(i: int) -> None:
            got[i] = text_of(await conn.call_ok("read_text_file", {"path": f"c{i:02d}.txt"}))

        async with anyio.create_task_group() as tg:
            for i in range(40):
                tg.start_soon(one, i)
        assert got == {i: f"content {i}\n" for i in range(40)}
