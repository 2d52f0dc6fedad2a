#!/usr/bin/env python3
"""HTTP benchmark: `fathom serve` vs the Python SDK's MCPServer on Streamable HTTP (uvicorn).

Stdlib only; run with the repo venv's python (it has `mcp` and uvicorn for the baseline):

    .venv/bin/python bench/http/run.py            # or: make bench / bench/run.sh

In one run:
  1. builds bench/http/loadgen.c into bench/out/ with `cc -O2`;
  2. makes a temp root with a 4 KiB text file, starts both servers on free loopback ports
     (Fathom: release binary, default config; MCPServer: bench/stdio/python_mcpserver.py --http,
     the SDK's defaults: SSE replies, sessions, INFO logging);
  3. load: for 1, 16 and 64 concurrent sessions, loadgen runs a closed loop of tools/call
     (list_allowed_directories) per session against each server, interleaved over R rounds; the
     round with the best throughput is kept per server and concurrency;
  4. memory per idle session: RSS before and after opening N sessions (initialize +
     notifications/initialized each), divided by N;
  5. prints a markdown table, checks the targets (throughput >= 10x MCPServer's; p99 <= 1/5 of
     MCPServer's) and writes bench/out/http.json and bench/out/http.md.

Options (environment variables in brackets):
  --duration S     measured seconds per run      [BENCH_HTTP_DURATION, default 5]
  --warmup S       warm-up seconds per run       [BENCH_HTTP_WARMUP, default 1]
  --rounds R       interleaved rounds            [BENCH_HTTP_ROUNDS, default 2]
  --concurrency L  comma-separated sessions      [BENCH_HTTP_CONCURRENCY, default 1,16,64]
  --idle N         sessions for the memory probe [BENCH_HTTP_IDLE, default 500]
  --fathom-bin P   fathom binary                 [FATHOM_BIN, default .build/release/fathom]
  --strict         exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")
TOOL = "list_allowed_directories"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port: int, proc: subprocess.Popen, what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"{what} did not listen on {port} within {timeout}s")


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def open_idle_sessions(port: int, count: int) -> None:
    """Opens `count` sessions over one keep-alive connection and leaves them idle."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    init = json.dumps({
        "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "idle", "version": "1"}},
    })
    for _ in range(count):
        conn.request("POST", "/mcp", init, headers)
        reply = conn.getresponse()
        reply.read()
        session = reply.getheader("mcp-session-id")
        assert reply.status == 200 and session, f"initialize failed: {reply.status}"
        conn.request("POST", "/mcp", json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}),
                     {**headers, "Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"})
        reply = conn.getresponse()
        reply.read()
        assert reply.status in (200, 202), reply.status
    conn.close()


def load(loadgen: str, port: int, sessions: int, warmup: float, duration: float) -> dict:
    proc = subprocess.run(
        [loadgen, "127.0.0.1", str(port), str(sessions), str(warmup), str(duration), TOOL, "{}"],
        capture_output=True, text=True, timeout=warmup + duration + 300,
    )
    if proc.returncode != 0:
        raise SystemExit(f"loadgen failed on port {port}: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def main() -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=float(env("BENCH_HTTP_DURATION", "5")))
    parser.add_argument("--warmup", type=float, default=float(env("BENCH_HTTP_WARMUP", "1")))
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_HTTP_ROUNDS", "2")))
    parser.add_argument("--concurrency", default=env("BENCH_HTTP_CONCURRENCY", "1,16,64"))
    parser.add_argument("--idle", type=int, default=int(env("BENCH_HTTP_IDLE", "500")))
    parser.add_argument("--fathom-bin", default=env("FATHOM_BIN", os.path.join(REPO, ".build", "release", "fathom")))
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    levels = [int(x) for x in args.concurrency.split(",") if x.strip()]

    os.makedirs(OUT, exist_ok=True)
    loadgen = os.path.join(OUT, "loadgen")
    subprocess.run(["cc", "-O2", "-Wall", "-o", loadgen, os.path.join(HERE, "loadgen.c")], check=True)
    if not os.access(args.fathom_bin, os.X_OK):
        raise SystemExit(f"{args.fathom_bin} not found; run `swift build -c release` (make bench does)")

    work = tempfile.mkdtemp(prefix="fathom-bench-http-")
    root = os.path.join(work, "root")
    os.makedirs(root)
    with open(os.path.join(root, "file4k.txt"), "w") as f:
        f.write(("x" * 63 + "\n") * 64)
    devnull = subprocess.DEVNULL
    fathom_port, python_port = free_port(), free_port()
    servers = {
        "fathom": subprocess.Popen(
            [args.fathom_bin, "serve", "--port", str(fathom_port)], cwd=work, stdout=devnull, stderr=devnull,
            env={"PATH": os.environ["PATH"], "HOME": work, "FATHOM_FILESYSTEM_ROOTS": root,
                 "FATHOM_STATE_DIR": os.path.join(work, "state")},
        ),
        "MCPServer": subprocess.Popen(
            [sys.executable, os.path.join(BENCH, "stdio", "python_mcpserver.py"), "--http", str(python_port), root],
            cwd=work, stdout=devnull, stderr=devnull,
        ),
    }
    ports = {"fathom": fathom_port, "MCPServer": python_port}
    results: dict = {"load": {}, "idle": {}}
    try:
        for name, proc in servers.items():
            wait_listening(ports[name], proc, name)
        for name in servers:
            check = load(loadgen, ports[name], 1, 0.2, 0.5)
            if check["errors"] or not check["requests"]:
                raise SystemExit(f"{name} did not answer the tool call correctly: {check}")
        for sessions in levels:
            best: dict[str, dict] = {}
            for round_index in range(args.rounds):
                order = list(servers) if round_index % 2 == 0 else list(reversed(list(servers)))
                for name in order:
                    run = load(loadgen, ports[name], sessions, args.warmup, args.duration)
                    if run["errors"]:
                        raise SystemExit(f"{name}: {run['errors']} failed calls at {sessions} sessions")
                    if name not in best or run["rps"] > best[name]["rps"]:
                        best[name] = run
                    print(f"  {name:9} sessions={sessions:3} round={round_index + 1} rps={run['rps']:9.1f} "
                          f"p50={run['p50_us']:8.0f}us p99={run['p99_us']:8.0f}us", file=sys.stderr)
            results["load"][str(sessions)] = best
        for name, proc in servers.items():
            before = rss_kib(proc.pid)
            open_idle_sessions(ports[name], args.idle)
            time.sleep(1.0)
            after = rss_kib(proc.pid)
            results["idle"][name] = {"sessions": args.idle, "rss_before_kib": before, "rss_after_kib": after,
                                     "kib_per_session": round((after - before) / args.idle, 2)}
    finally:
        for proc in servers.values():
            proc.terminate()
        for proc in servers.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()

    lines = [
        f"HTTP benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()}, "
        f"{os.cpu_count()} CPUs, tool `{TOOL}`, {args.duration:g} s per run, best of {args.rounds} rounds",
        "",
        "| sessions | fathom req/s | MCPServer req/s | ratio | fathom p50 / p99 | MCPServer p50 / p99 | p99 ratio |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    missed = []
    for sessions, best in results["load"].items():
        f, p = best["fathom"], best["MCPServer"]
        ratio = f["rps"] / p["rps"] if p["rps"] else float("inf")
        p99_ratio = f["p99_us"] / p["p99_us"] if p["p99_us"] else 0
        lines.append(
            f"| {sessions} | {f['rps']:,.0f} | {p['rps']:,.0f} | {ratio:.1f}x | {f['p50_us'] / 1000:.2f} / {f['p99_us'] / 1000:.2f} ms "
            f"| {p['p50_us'] / 1000:.2f} / {p['p99_us'] / 1000:.2f} ms | {p99_ratio:.3f} |"
        )
        if ratio < 10:
            missed.append(f"throughput at {sessions} sessions is {ratio:.1f}x (target 10x)")
        if p99_ratio > 0.2:
            missed.append(f"p99 at {sessions} sessions is {p99_ratio:.2f} of MCPServer's (target <= 0.2)")
    lines += ["", "| idle sessions | fathom KiB/session | MCPServer KiB/session |", "|---:|---:|---:|"]
    lines.append(f"| {args.idle} | {results['idle']['fathom']['kib_per_session']} | {results['idle']['MCPServer']['kib_per_session']} |")
    lines += ["", "Targets: " + ("all met" if not missed else "; ".join(missed))]
    report = "\n".join(lines)
    print(report)
    with open(os.path.join(OUT, "http.json"), "w") as f:
        json.dump({**results, "missed": missed}, f, indent=2)
    with open(os.path.join(OUT, "http.md"), "w") as f:
        f.write(report + "\n")
    return 1 if (missed and args.strict) else 0


if __name__ == "__main__":
    sys.exit(main())
