"""Third-party MCP checkers from PyPI, run against `fathom mcp`: mcp-conform (12 basic checks)
and mcp-lighthouse (25 checks in protocol, schema, robustness, best practices, performance)."""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

VENV_BIN = Path(sys.executable).parent
# The lowest mcp-lighthouse score accepted; a correct Fathom scores 100 (see the report path printed).
LIGHTHOUSE_FAIL_UNDER = int(os.environ.get("FATHOM_LIGHTHOUSE_FAIL_UNDER", "95"))


def tool(name: str) -> str:
    path = VENV_BIN / name
    assert path.exists(), f"{name} is not installed next to {sys.executable}; run scripts/install-deps.sh"
    return str(path)


def server_command(fathom_bin: Path) -> str:
    return f"{shlex.quote(str(fathom_bin))} mcp"


def checker_env(ws) -> dict[str, str]:
    # The checkers start the server themselves and pass their own environment on to it.
    env = ws.env()
    env["PATH"] = f"{VENV_BIN}:{env['PATH']}"
    return env


def test_mcp_conform(fathom_bin, ws):
    proc = subprocess.run(
        [tool("mcp-conform"), "server", "--transport", "stdio", "--command", server_command(fathom_bin),
         "--format", "json", "--timeout", "30"],
        env=checker_env(ws), cwd=ws.project, capture_output=True, text=True, timeout=300,
    )
    assert proc.stdout.strip(), f"mcp-conform printed nothing; stderr: {proc.stderr}"
    report = json.loads(proc.stdout)
    failed = [c for c in report["checks"] if not c["passed"]]
    print(f"mcp-conform: {report['passed']}/{report['total']} passed, fatal={report['fatal_error']}")
    assert report["fatal_error"] is None, report
    assert not failed, json.dumps(failed, indent=2)
    assert report["ok"] and proc.returncode == 0, proc.stdout


def test_mcp_lighthouse(fathom_bin, ws):
    md = ws.base / "lighthouse.md"
    proc = subprocess.run(
        [tool("mcp-lighthouse"), "scan", "--stdio", server_command(fathom_bin), "--timeout", "30",
         "--report", str(md), "--fail-under", str(LIGHTHOUSE_FAIL_UNDER), "--verbose"],
        env={**checker_env(ws), "COLUMNS": "200", "NO_COLOR": "1"}, cwd=ws.project,
        capture_output=True, text=True, timeout=300,
    )
    output = f"stdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    assert md.exists(), f"mcp-lighthouse wrote no report\n{output}"
    report = md.read_text()
    score = int(re.search(r"Overall Score: \*\*(\d+)/100\*\*", report).group(1))
    failed = [line for line in report.splitlines() if line.startswith("| Failed |")]
    print(f"mcp-lighthouse score: {score}/100 (report {md})")
    for line in failed:
        print("  " + line)
    assert not [f for f in failed if "| critical |" in f], f"critical lighthouse checks failed:\n{report}"
    assert score >= LIGHTHOUSE_FAIL_UNDER, f"lighthouse score {score} < {LIGHTHOUSE_FAIL_UNDER}\n{report}"
    assert proc.returncode == 0, output
