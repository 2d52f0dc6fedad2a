"""The `fathom` command line, as a person or a script uses it: output and exit codes are an interface."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(tmp_path):
    """Runs fathom in a fresh project folder with one allowed root and its own state."""
    bin_path = os.environ.get("FATHOM_BIN", str(REPO / ".build" / "debug" / "fathom"))
    project = tmp_path / "project"
    root = project / "root"
    root.mkdir(parents=True)
    (root / "notes.txt").write_text("alpha\nbeta\n")

    def run(*args: str, env: dict[str, str] | None = None, check: bool = False) -> subprocess.CompletedProcess:
        full_env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "FATHOM_FILESYSTEM_ROOTS": str(root),
            "FATHOM_STATE_DIR": str(tmp_path / "state"),
        }
        full_env.update(env or {})
        proc = subprocess.run(
            [bin_path, *args], cwd=project, env=full_env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
        )
        if check:
            assert proc.returncode == 0, proc.stderr
        return proc

    run.project = project
    run.root = root
    run.state = tmp_path / "state"
    return run


def test_version(cli):
    out = cli("--version", check=True).stdout.strip()
    assert out.count(".") == 2 and out[0].isdigit(), out


def test_tools_list_shows_only_callable_tools(cli):
    out = cli("tools", "list", check=True).stdout
    assert "read_text_file" in out
    assert "write_file" not in out
    everything = cli("tools", "list", "--all", check=True).stdout
    assert "write_file" in everything and "destructive" in everything


def test_tools_list_json_has_schemas_and_annotations(cli):
    tools = json.loads(cli("tools", "list", "--json", check=True).stdout)
    by_name = {tool["name"]: tool for tool in tools}
    assert by_name["read_text_file"]["inputSchema"]["required"] == ["path"]
    assert by_name["read_text_file"]["annotations"]["readOnlyHint"] is True
    assert "outputSchema" in by_name["get_file_info"]


def test_tools_call_goes_through_policy_and_audit(cli):
    ok = cli("tools", "call", "read_text_file", "--args", '{"path": "notes.txt"}')
    assert ok.returncode == 0 and ok.stdout == "alpha\nbeta\n\n", ok
    denied = cli("tools", "call", "write_file", "--args", '{"path": "x.txt", "content": "token=abc12345"}')
    assert denied.returncode == 1
    assert "read-only" in denied.stdout
    assert not (cli.root / "x.txt").exists()
    rows = sqlite3.connect(cli.state / "fathom.db").execute("SELECT client, tool, outcome, arguments FROM audit ORDER BY id").fetchall()
    assert [(r[0], r[1], r[2]) for r in rows] == [("cli", "read_text_file", "ok"), ("cli", "write_file", "denied")]
    assert "abc12345" not in rows[1][3]
    audit = cli("audit", check=True).stdout
    assert "write_file denied" in audit


def test_tools_call_rejects_bad_arguments_clearly(cli):
    not_json = cli("tools", "call", "read_text_file", "--args", "{path")
    assert not_json.returncode != 0 and "--args must be a JSON object" in not_json.stderr
    unknown = cli("tools", "call", "rm_rf", "--args", "{}")
    assert unknown.returncode != 0 and "Unknown tool 'rm_rf'" in unknown.stderr
    invalid = cli("tools", "call", "read_text_file", "--args", '{"path": 3}')
    assert invalid.returncode == 1 and "arguments.path: expected string, got integer" in invalid.stdout


def test_doctor_reports_each_part(cli):
    out = cli("doctor", check=True).stdout
    for line in ("config   ok", "store    ok", "files    ok", "policy   read-only"):
        assert line in out, out


def test_config_error_names_file_line_and_key(cli):
    (cli.project / "fathom.yaml").write_text("policy:\n  read_only: true\n  alow: [write_file]\n")
    doctor = cli("doctor")
    assert doctor.returncode == 1
    assert "fathom.yaml:3:" in doctor.stdout and "unknown key 'alow'" in doctor.stdout, doctor.stdout
    served = cli("mcp")
    assert served.returncode == 78
    assert "unknown key 'alow'" in served.stderr


def test_bad_environment_value_is_named(cli):
    proc = cli("tools", "list", env={"FATHOM_MCP_PAGE_SIZE": "0"})
    assert proc.returncode != 0
    assert "$FATHOM_MCP_PAGE_SIZE" in proc.stderr


def test_shell_completion_script(cli):
    out = cli("--generate-completion-script", "bash", check=True).stdout
    assert "_fathom" in out and "tools" in out


def test_doctor_checks_every_endpoint_and_database(cli, obs, postgres, tmp_path):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    db = tmp_path / "app.db"
    sqlite3.connect(db).executescript("CREATE TABLE t(x); CREATE VIEW v AS SELECT x FROM t;")
    tools = cli.project / "tools"
    tools.mkdir()
    (tools / "observability.yaml").write_text(f"""prometheus:
  - {{name: local, url: "{obs.prometheus_url}", cluster: test}}
  - {{name: dead, url: "http://127.0.0.1:{dead}"}}
alertmanager:
  - {{name: am, url: "{obs.alertmanager_url}"}}
""")
    (tools / "database.yaml").write_text(f"""connections:
  - {{name: app, sqlite: "{db}"}}
  - {{name: pg, postgres: {{port: {postgres.port}, user: postgres, tls: disable}}}}
""")
    doctor = cli("doctor")
    out = doctor.stdout
    assert doctor.returncode == 1, out  # the dead endpoint fails the check
    assert f"obs      ok prometheus 'local' {obs.prometheus_url} cluster test: Prometheus 2." in out, out
    assert f"obs      FAIL prometheus 'dead' http://127.0.0.1:{dead}: " in out and "connection refused" in out
    assert "obs      ok alertmanager 'am'" in out and "Alertmanager 0.25" in out
    assert "db       ok app (sqlite) 2 tables and views, read-only" in out
    assert "db       ok pg (postgres)" in out and "is a superuser" in out
