"""Path escapes: every spelling is refused with isError and a clear message, and nothing outside
the root is ever read (its content never appears in any reply) or written (it is unchanged after).

Layout (see conftest.make_workspace): base/root is the only root; base/outside/secret.txt holds a
unique sentinel string; base/root-evil/secret.txt shares the root's name as a string prefix.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from mcp.shared.exceptions import MCPError

from conftest import HELLO_TEXT, Workspace, everything_of, make_workspace, open_session, text_of

pytestmark = pytest.mark.anyio

OUTSIDE = ("outside the allowed directories",)
MISSING = ("No such file or directory", "does not exist")
DENIED = ("denied by pattern",)
NUL = ("NUL byte",)
ANY: tuple[str, ...] = ()  # any non-empty message
LITERAL = "LITERAL-INSIDE-THE-ROOT\n"
WRITES_ON = {"FATHOM_POLICY_READ_ONLY": "false", "FATHOM_POLICY_ALLOW": "write_file,edit_file"}


@pytest.fixture
def ews(tmp_path: Path) -> Workspace:
    ws = make_workspace(tmp_path)
    r, out = ws.root, ws.outside
    os.symlink(ws.sentinel, r / "link_out")  # file symlink leaving the root
    os.symlink(out, r / "outdir_link")  # directory symlink leaving the root
    os.symlink("..", r / "up")  # relative symlink to the root's parent
    os.symlink(out / "created-through-dangling.txt", r / "dangling_out")  # dangling, target outside
    os.symlink(r / "hello.txt", r / "ok_link")  # stays inside: must work
    os.symlink(r / ".env", r / "innocent.txt")  # inside, but its target is denied
    os.symlink(".", r / "loop")  # a cycle
    evil = ws.base / (r.name + "-evil")  # "/.../root-evil" starts with "/.../root"
    evil.mkdir()
    (evil / "secret.txt").write_text(ws.sentinel_text)
    literal = r / "%2e%2e" / "outside"
    literal.mkdir(parents=True)
    (literal / "secret.txt").write_text(LITERAL)
    (r / "sub" / ".env.local").write_text("DENIED-CONTENT-env-local\n")
    (r / "sub" / "server.key").write_text("DENIED-CONTENT-server-key\n")
    (r / "sub" / "id_ed25519").write_text("DENIED-CONTENT-id-ed25519\n")
    (r / ".env").write_text("DENIED-CONTENT-dotenv\n")
    (r / "key.pem").write_text("DENIED-CONTENT-pem\n")
    (r / "id_rsa").write_text("DENIED-CONTENT-id-rsa\n")
    (r / ".git" / "config").write_text("DENIED-CONTENT-git-config\n")
    return ws


def snapshot(*dirs: Path) -> dict[str, bytes | str]:
    """Every entry under dirs (not following symlinks), with file contents."""
    snap: dict[str, bytes | str] = {}
    for d in dirs:
        for dirpath, dirnames, filenames in os.walk(d):
            for name in dirnames + filenames:
                p = Path(dirpath) / name
                if p.is_symlink():
                    snap[str(p)] = "-> " + os.readlink(p)
                elif p.is_file():
                    snap[str(p)] = p.read_bytes()
                else:
                    snap[str(p)] = "dir"
    return snap


def assert_no_leak(ws: Workspace, blob: str, where: str) -> None:
    secret = ws.sentinel_text.strip()
    assert secret not in blob, f"{where}: the sentinel outside the root leaked: {blob[:600]}"
    assert "DENIED-CONTENT" not in blob, f"{where}: a denied file's content leaked: {blob[:600]}"
    assert "root:x:0:0" not in blob, f"{where}: /etc/passwd leaked"


def assert_refused(ws: Workspace, result, expected: tuple[str, ...], where: str) -> str:
    blob = everything_of(result)
    assert_no_leak(ws, blob, where)
    assert result.is_error, f"{where}: not refused: {text_of(result)[:600]}"
    msg = text_of(result)
    assert msg.strip(), f"{where}: refused without a message"
    if expected:
        assert any(e in msg for e in expected), f"{where}: message {msg!r} lacks one of {expected}"
    return msg


EITHER = OUTSIDE + MISSING

# {root}, {sentinel}, {outside} and {base} are filled in per test.
READ_CASES = [
    ("dotdot", "../outside/secret.txt", OUTSIDE),
    ("inner-dotdot", "sub/../../outside/secret.txt", OUTSIDE),
    ("dot-dotdot", "./../outside/secret.txt", OUTSIDE),
    ("double-slash", "..//outside/secret.txt", OUTSIDE),
    ("trailing-slash-file", "../outside/secret.txt/", OUTSIDE),
    ("trailing-slash-dir", "../outside/", OUTSIDE),
    ("bare-dotdot", "..", OUTSIDE),
    ("bare-dotdot-slash", "../", OUTSIDE),
    ("abs-dotdot", "{root}/../outside/secret.txt", OUTSIDE),
    ("abs-inner-dotdot", "{root}/sub/../../outside/secret.txt", OUTSIDE),
    ("abs-trailing-dots", "{root}/..", OUTSIDE),
    ("deep-dotdot", "a/" * 50 + "../" * 51 + "outside/secret.txt", EITHER),
    ("abs-outside", "{sentinel}", OUTSIDE),
    ("abs-outside-dir", "{outside}", OUTSIDE),
    ("etc-passwd", "/etc/passwd", OUTSIDE),
    ("filesystem-root", "/", OUTSIDE),
    ("root-parent", "{base}", OUTSIDE),
    ("prefix-sibling", "{root}-evil/secret.txt", OUTSIDE),
    ("file-uri-as-path", "file://{sentinel}", EITHER),
    ("tilde-home", "~/secret.txt", EITHER),
    ("symlink-file-out", "link_out", OUTSIDE),
    ("symlink-file-out-abs", "{root}/link_out", OUTSIDE),
    ("symlink-dir-out", "outdir_link", OUTSIDE),
    ("symlink-dir-out-file", "outdir_link/secret.txt", OUTSIDE),
    ("symlink-parent", "up", OUTSIDE),
    ("symlink-parent-file", "up/outside/secret.txt", OUTSIDE),
    ("symlink-dangling-out", "dangling_out", EITHER),
    ("fullwidth-dots", "\uff0e\uff0e/outside/secret.txt", EITHER),
    ("one-dot-leader", "\u2024\u2024/outside/secret.txt", EITHER),
    ("division-slash", "..\u2215outside\u2215secret.txt", EITHER),
    ("backslashes", "..\\outside\\secret.txt", EITHER),
    ("nul-suffix", "hello.txt\x00../../outside/secret.txt", NUL),
    ("nul-alone", "\x00", NUL),
    ("nul-middle", "sub/\x00/nested.txt", NUL),
    ("long-component", "a" * 300 + ".txt", ANY),
    ("long-path", "/".join(["abcd"] * 1000), ANY),
    ("long-path-escape", "x/" * 2000 + "../" * 2001 + "outside/secret.txt", ANY),
]


def fill(ws: Workspace, template: str) -> str:
    return (
        template.replace("{root}", str(ws.root))
        .replace("{sentinel}", str(ws.sentinel))
        .replace("{outside}", str(ws.outside))
        .replace("{base}", str(ws.base))
    )


DENY_CASES = [
    ("dotenv", ".env"),
    ("dotenv-dot", "./.env"),
    ("dotenv-normalized", "sub/../.env"),
    ("dotenv-local", "sub/.env.local"),
    ("git-config", ".git/config"),
    ("pem", "key.pem"),
    ("key", "sub/server.key"),
    ("id-rsa", "id_rsa"),
    ("id-ed25519", "sub/id_ed25519"),
    ("symlink-to-denied", "innocent.txt"),
]


def case_ids(cases):
    return [c[0] for c in cases]


@pytest.mark.parametrize("case_id,template,expected", READ_CASES, ids=case_ids(READ_CASES))
async def test_read_escape_refused(fathom_bin, ews, case_id, template, expected):
    path = fill(ews, template)
    before = snapshot(ews.outside, ews.base / (ews.root.name + "-evil"))
    async with open_session(fathom_bin, ews) as conn:
        res = await conn.call("read_text_file", {"path": path})
        assert_refused(ews, res, expected, f"read_text_file({path[:80]!r})")
        res = await conn.call("get_file_info", {"path": path})
        assert_refused(ews, res, expected, f"get_file_info({path[:80]!r})")
        for tool, args in (
            ("read_media_file", {"path": path}),
            ("list_directory", {"path": path}),
            ("list_directory_with_sizes", {"path": path}),
            ("directory_tree", {"path": path}),
            ("search_files", {"path": path, "pattern": "*", "content": "SENTINEL"}),
        ):
            res = await conn.call(tool, args)
            assert_refused(ews, res, ANY, f"{tool}({path[:80]!r})")
        res = await conn.call("read_multiple_files", {"paths": [str(ews.root / "hello.txt"), path]})
        assert_no_leak(ews, everything_of(res), f"read_multiple_files([hello, {path[:80]!r}])")
        await conn.session.send_ping()
    assert snapshot(ews.outside, ews.base / (ews.root.name + "-evil")) == before
    assert ews.sentinel_intact()


@pytest.mark.parametrize("case_id,path", DENY_CASES, ids=case_ids(DENY_CASES))
async def test_deny_globs_refused(fathom_bin, ews, case_id, path):
    async with open_session(fathom_bin, ews) as conn:
        for tool in ("read_text_file", "get_file_info"):
            res = await conn.call(tool, {"path": path})
            assert_refused(ews, res, DENIED, f"{tool}({path!r})")
        res = await conn.call("read_multiple_files", {"paths": [path]})
        assert_no_leak(ews, everything_of(res), f"read_multiple_files([{path!r}])")


async def test_control_paths_inside_still_work(fathom_bin, ews):
    """The guards must not refuse what is legitimately inside."""
    async with open_session(fathom_bin, ews) as conn:
        assert text_of(await conn.call_ok("read_text_file", {"path": "ok_link"})) == HELLO_TEXT
        assert text_of(await conn.call_ok("read_text_file", {"path": "sub/./nested.txt"})) == "a nested needle here\n"
        assert text_of(await conn.call_ok("read_text_file", {"path": "sub/../hello.txt"})) == HELLO_TEXT
        # "%2e%2e" is a literal name inside the root: no percent-decoding of paths.
        res = await conn.call_ok("read_text_file", {"path": "%2e%2e/outside/secret.txt"})
        assert text_of(res) == LITERAL


async def test_search_and_tree_do_not_follow_symlinks_out(fathom_bin, ews):
    r = ews.root
    async with open_session(fathom_bin, ews) as conn:
        res = await conn.call_ok("search_files", {"path": str(r), "pattern": "secret.txt"})
        assert_no_leak(ews, everything_of(res), "search_files secret.txt")
        found = [p for p in text_of(res).splitlines() if p != "No matches found"]
        assert found == [str(r / "%2e%2e" / "outside" / "secret.txt")], found

        res = await conn.call_ok(
            "search_files", {"path": str(r), "pattern": "*", "content": ews.sentinel_text.strip()})
        assert text_of(res).splitlines() == ["No matches found"], text_of(res)

        res = await conn.call_ok("directory_tree", {"path": str(r)})
        import json

        def walk(entries, prefix):
            for e in entries:
                p = prefix / e["name"]
                yield p
                yield from walk(e.get("children") or [], p)

        for p in walk(json.loads(text_of(res)), r):
            real = os.path.realpath(p)
            if os.path.islink(p):
                continue  # the link itself may be shown; what matters is that it is not descended
            assert real == str(r) or real.startswith(str(r) + "/"), f"directory_tree went outside via {p}"


async def test_symlink_loop_terminates(fathom_bin, ews):
    async with open_session(fathom_bin, ews) as conn:
        await conn.call("directory_tree", {"path": str(ews.root)})
        await conn.call("search_files", {"path": str(ews.root), "pattern": "*.txt"})
        await conn.session.send_ping()


async def test_resources_read_refuses_escapes(fathom_bin, ews):
    r = ews.root
    uris = [
        "file://" + str(ews.sentinel),
        "file://" + str(r) + "/../outside/secret.txt",
        "file://" + str(r) + "/link_out",
        "file://" + str(r) + "/outdir_link/secret.txt",
        "file://" + str(r) + "-evil/secret.txt",
        "file://" + str(r) + "/.env",
        "file:///etc/passwd",
    ]
    async with open_session(fathom_bin, ews) as conn:
        for uri in uris:
            try:
                got = await conn.session.read_resource(uri)
            except MCPError as exc:
                assert_no_leak(ews, f"{exc.message} {exc.data}", f"resources/read {uri}")
                continue
            raise AssertionError(f"resources/read {uri} was not refused: {everything_of(got)[:400]}")

        # Percent-encoded dots in a URI: decoded, they must be refused; not decoded, they name the
        # literal folder inside the root. Either way the sentinel must not come back.
        uri = "file://" + str(r) + "/%2e%2e/outside/secret.txt"
        try:
            got = await conn.session.read_resource(uri)
            assert got.contents[0].text == LITERAL, everything_of(got)[:400]
        except MCPError as exc:
            assert_no_leak(ews, f"{exc.message} {exc.data}", f"resources/read {uri}")
        await conn.session.send_ping()


WRITE_CASES = [
    ("dotdot", "../outside/secret.txt", OUTSIDE),
    ("dotdot-new", "../outside/new.txt", OUTSIDE),
    ("abs-outside", "{sentinel}", OUTSIDE),
    ("abs-outside-new", "{outside}/new.txt", OUTSIDE),
    ("prefix-sibling", "{root}-evil/secret.txt", OUTSIDE),
    ("symlink-file-out", "link_out", OUTSIDE),
    ("symlink-dir-out-new", "outdir_link/new.txt", OUTSIDE),
    ("symlink-dir-out-existing", "outdir_link/secret.txt", OUTSIDE),
    ("symlink-dangling-out", "dangling_out", OUTSIDE),
    ("symlink-parent", "up/outside/secret.txt", OUTSIDE),
    ("fullwidth-dots", "\uff0e\uff0e/outside/secret.txt", OUTSIDE + MISSING),
    ("denied-dotenv", ".env", DENIED),
    ("denied-pem-new", "sub/new.pem", DENIED),
    ("nul", "hello.txt\x00x", NUL),
    ("long-component", "a" * 300 + ".txt", ANY),
]


@pytest.mark.parametrize("case_id,template,expected", WRITE_CASES, ids=case_ids(WRITE_CASES))
async def test_write_escape_refused(fathom_bin, ews, case_id, template, expected):
    path = fill(ews, template)
    watched = (ews.outside, ews.base / (ews.root.name + "-evil"), ews.root)
    before = snapshot(*watched)
    async with open_session(fathom_bin, ews, env=ews.env(**WRITES_ON)) as conn:
        res = await conn.call("write_file", {"path": path, "content": "PWNED\n"})
        assert_refused(ews, res, expected, f"write_file({path[:80]!r})")
        res = await conn.call(
            "edit_file", {"path": path, "edits": [{"oldText": "FATHOM", "newText": "PWNED"}]})
        assert_refused(ews, res, ANY, f"edit_file({path[:80]!r})")
        await conn.session.send_ping()
    assert snapshot(*watched) == before, "a refused write changed the filesystem"
    assert ews.sentinel_intact()
    assert not (ews.outside / "created-through-dangling.txt").exists()


async def test_directory_and_move_escapes_refused(fathom_bin, ews):
    r, out = ews.root, ews.outside
    watched = (out, ews.base / (r.name + "-evil"), r)
    before = snapshot(*watched)
    async with open_session(fathom_bin, ews, env=ews.env(**WRITES_ON)) as conn:
        for args in ({"path": "../outside/newdir"}, {"path": "outdir_link/newdir"}, {"path": str(out / "d")}):
            res = await conn.call("create_directory", args)
            assert_refused(ews, res, OUTSIDE, f"create_directory({args})")
        for src, dst in (
            (str(r / "hello.txt"), "../outside/moved.txt"),
            (str(r / "hello.txt"), "outdir_link/moved.txt"),
            (str(ews.sentinel), str(r / "stolen.txt")),
            ("up/outside/secret.txt", "stolen2.txt"),
        ):
            res = await conn.call("move_file", {"source": src, "destination": dst})
            assert_refused(ews, res, OUTSIDE, f"move_file({src!r} -> {dst!r})")
        await conn.session.send_ping()
    assert snapshot(*watched) == before, "a refused create/move changed the filesystem"
    assert ews.sentinel_intact()


async def test_moving_a_symlink_renames_the_link_not_its_target(fathom_bin, ews):
    r = ews.root
    async with open_session(fathom_bin, ews, env=ews.env(**WRITES_ON)) as conn:
        await conn.call_ok("move_file", {"source": "link_out", "destination": "renamed-link"})
        assert (r / "renamed-link").is_symlink() and not (r / "link_out").exists()
        res = await conn.call("read_text_file", {"path": "renamed-link"})
        assert_refused(ews, res, OUTSIDE, "read through the renamed link")
    assert ews.sentinel_intact()
    assert ews.sentinel.exists()
