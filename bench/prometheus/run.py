#!/usr/bin/env python3
"""Prometheus query benchmark: Fathom's prometheus_query against prometheus-mcp-server and the floor.

In one run, on one real Prometheus (scraping a real node-exporter, started here on loopback) and
for the same PromQL, three paths are timed request to reply, sequentially, best-of-rounds:
  - floor:   the API request itself (GET /api/v1/query) over one keep-alive connection (httpget.c);
  - fathom:  `fathom mcp` over stdio, tools/call prometheus_query, driven by bench/stdio/driver.c;
  - peer:    prometheus-mcp-server 1.6.2 from PyPI over stdio, tools/call execute_query, same driver.
Placements: "free" (no pinning) and "pinned" (driver and MCP server on CPU 0; Prometheus free).
Results: bench/out/prometheus.json and .md; RESULTS.md is written by hand from them.

Env: FATHOM_BIN, BENCH_CALLS (default 1000), BENCH_ROUNDS (default 3).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO / "Tests" / "interop"))
from realparts import ObservabilityStack  # noqa: E402

PEER_VENV = REPO / ".venv-bench-peers"
PEER_PACKAGE = "prometheus-mcp-server==1.6.2"

QUERIES = [
    ("up (3 series)", "up"),
    ("rate, 16 series", "rate(node_cpu_seconds_total[1m])"),
    ("sum by mode (8 series)", "sum by (mode) (rate(node_cpu_seconds_total[1m]))"),
]


def log(message: str) -> None:
    print(f"[bench/prometheus] {message}", file=sys.stderr, flush=True)


def build() -> tuple[str, str]:
    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    for src, name in ((REPO / "bench" / "stdio" / "driver.c", "driver"), (HERE / "httpget.c", "httpget")):
        exe = OUT / name
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-Wall", "-o", str(exe), str(src), "-lm"], check=True)
        built.append(str(exe))
    return built[0], built[1]


def peer_venv() -> Path:
    """A venv of its own: prometheus-mcp-server pins fastmcp, which must not disturb the test venv."""
    stamp = PEER_VENV / ".prometheus-mcp-server"
    if not stamp.exists():
        log(f"installing {PEER_PACKAGE} into {PEER_VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", PEER_PACKAGE], check=True)
        stamp.write_text(PEER_PACKAGE + "\n")
    return PEER_VENV / "bin" / "prometheus-mcp-server"


def run(cmd: list[str], env: dict[str, str], cwd: str, pin: int | None) -> dict:
    pre = (lambda: os.sched_setaffinity(0, {pin})) if pin is not None else None
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=1800, preexec_fn=pre)
    if r.returncode != 0:
        raise RuntimeError(f"{cmd[0]} failed ({r.returncode}): {r.stderr[-2000:]}")
    return json.loads(r.stdout)


def main() -> int:
    calls = int(os.environ.get("BENCH_CALLS", "1000"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    fathom = os.environ.get("FATHOM_BIN", str(REPO / ".build" / "release" / "fathom"))
    driver, httpget = build()
    peer = peer_venv()
    tmp = Path(tempfile.mkdtemp(prefix="fathom-bench-prom-"))
    stack = ObservabilityStack(tmp / "stack").start()
    log(f"prometheus at {stack.prometheus_url}")
    base_env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp), "LANG": "C.UTF-8"}
    fathom_env = {**base_env, "FATHOM_OBSERVABILITY_PROMETHEUS_URL": stack.prometheus_url, "FATHOM_STATE_DIR": str(tmp / "state"),
                  "FATHOM_FILESYSTEM_ROOTS": str(tmp)}
    peer_env = {**base_env, "PROMETHEUS_URL": stack.prometheus_url, "PROMETHEUS_MCP_SERVER_TRANSPORT": "stdio"}
    cwd = tmp / "cwd"
    cwd.mkdir()
    results: dict = {"calls": calls, "rounds": rounds, "queries": {}}
    try:
        for placement, pin in (("free", None), ("pinned", 0)):
            for label, query in QUERIES:
                best: dict[str, dict] = {}
                for _ in range(rounds):
                    samples = {
                        "floor": run([httpget, "--port", str(stack.prometheus_port), "--path",
                                      "/api/v1/query?" + urllib.parse.urlencode({"query": query}), "--calls", str(calls),
                                      "--expect", "success"], base_env, str(cwd), pin),
                        "fathom": run([driver, "--calls", str(calls), "--warmup", "200", "--tool", "prometheus_query",
                                       "--args", json.dumps({"query": query}), "--expect", "seriesCount",
                                       "--server-stderr", str(tmp / "fathom.log"), "--", fathom, "mcp"], fathom_env, str(cwd), pin),
                        "peer": run([driver, "--calls", str(max(calls // 4, 100)), "--warmup", "50", "--tool", "execute_query",
                                     "--args", json.dumps({"query": query}), "--expect", "resultType",
                                     "--server-stderr", str(tmp / "peer.log"), "--", str(peer)], peer_env, str(cwd), pin),
                    }
                    for path, sample in samples.items():
                        if path not in best or sample["median_us"] < best[path]["median_us"]:
                            best[path] = sample
                row = {path: {"median_us": s["median_us"], "p99_us": s["p99_us"]} for path, s in best.items()}
                row["fathom_over_floor"] = best["fathom"]["median_us"] / best["floor"]["median_us"]
                row["peer_over_fathom"] = best["peer"]["median_us"] / best["fathom"]["median_us"]
                results["queries"].setdefault(placement, {})[label] = row
                log(f"{placement:6} {label:24} floor {row['floor']['median_us']:8.1f} µs  fathom {row['fathom']['median_us']:8.1f} µs  "
                    f"peer {row['peer']['median_us']:9.1f} µs  fathom/floor {row['fathom_over_floor']:.2f}  peer/fathom {row['peer_over_fathom']:.1f}")
    finally:
        stack.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    results["meta"] = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "prometheus": subprocess.run(["prometheus", "--version"], capture_output=True, text=True).stdout.splitlines()[0],
        "peer": PEER_PACKAGE,
    }
    (OUT / "prometheus.json").write_text(json.dumps(results, indent=2))
    lines = [f"# Prometheus query, {results['meta']['date']}", "",
             "| placement | query | floor median / p99 | Fathom median / p99 | peer median / p99 | Fathom / floor | peer / Fathom |",
             "|---|---|---:|---:|---:|---:|---:|"]
    for placement, rows in results["queries"].items():
        for label, row in rows.items():
            lines.append(f"| {placement} | {label} | {row['floor']['median_us']:.0f} / {row['floor']['p99_us']:.0f} µs | "
                         f"{row['fathom']['median_us']:.0f} / {row['fathom']['p99_us']:.0f} µs | "
                         f"{row['peer']['median_us']:.0f} / {row['peer']['p99_us']:.0f} µs | {row['fathom_over_floor']:.2f}× | "
                         f"{row['peer_over_fathom']:.1f}× |")
    (OUT / "prometheus.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
