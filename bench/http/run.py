#!/usr/bin/env python3
"""HTTP benchmark: `fathom serve` vs the Python SDK's MCPServer on Streamable HTTP (uvicorn).

Stdlib only; run with the repo venv's python (it has `mcp` and uvicorn for the baseline):

    .venv/bin/python bench/http/run.py            # or: make bench / bench/run.sh

In one run:
  1. builds bench/http/loadgen.c into bench/out/ with `cc -O2`;
  2. makes a temp root with a 4 KiB text file, starts both servers on free loopback ports
     (Fathom: release binary, default config; MCPServer: bench/stdio/python_mcpserver.py --http,
     the SDK's defaults: SSE replies, sessions, INFO logging);
  3. memory per idle session, on the fresh servers: RSS before and after opening N sessions
     (initialize + notifications/initialized each), divided by N;
  4. load: for 1, 16 and 64 concurrent sessions, loadgen runs a closed loop of tools/call
     (list_allowed_directories) per session against each server, and against bench/http/floor.c
     (an epoll HTTP server that returns a canned reply: the machine's floor), interleaved over R
     rounds; the round with the best throughput is kept per server and concurrency. Two
     placements, as in the stdio bench: "free" (no pinning; on these VMs a cross-CPU wake-up costs
     70-100 us) and "pinned" (server and driver on one CPU);
  5. prints a markdown table, checks the targets (throughput >= 10x MCPServer's; p99 <= 1/5 of
     MCPServer's) and writes bench/out/http.json and bench/out/http.md.

Options (environment variables in brackets):
  --duration S     measured seconds per run      [BENCH_HTTP_DURATION, default 5]
  --warmup S       warm-up seconds per run       [BENCH_HTTP_WARMUP, default 1]
  --rounds R       interleaved rounds            [BENCH_HTTP_ROUNDS, default 2]
  --concurrency L  comma-separated sessions      [BENCH_HTTP_CONCURRENCY, default 1,16,64]
  --idle N         sessions for the memory probe [BENCH_HTTP_IDLE, default 500]
  --fathom-bin P   fathom binary                 [FATHOM_BIN, default .build/release/fathom]
  --placement P    free | pinned | both          [BENCH_PLACEMENT, default both]
  --pin-cpu N      the CPU for "pinned"          [BENCH_PIN_CPU, default 0]
  --strict         exit 1 when a target is missed
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import shutil
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


def load(loadgen: str, port: int, sessions: int, warmup: float, duration: float, pin: list[str] | None = None) -> dict:
    proc = subprocess.run(
        [*(pin or []), loadgen, "127.0.0.1", str(port), str(sessions), str(warmup), str(duration), TOOL, "{}"],
        capture_output=True, text=True, timeout=warmup + duration + 300,
    )
    if proc.returncode != 0:
        raise SystemExit(f"loadgen failed on port {port}: {proc.stderr.strip()}")
    return json.loads(proc.stdout)


def start_servers(args, floor: str, work: str, root: str, pin: list[str]) -> tuple[dict, dict]:
    devnull = subprocess.DEVNULL
    ports = {"fathom": free_port(), "MCPServer": free_port(), "floor": free_port()}
    servers = {
        "fathom": subprocess.Popen(
            [*pin, args.fathom_bin, "serve", "--port", str(ports["fathom"])], cwd=work, stdout=devnull, stderr=devnull,
            env={"PATH": os.environ["PATH"], "HOME": work, "FATHOM_FILESYSTEM_ROOTS": root,
                 "FATHOM_STATE_DIR": os.path.join(work, "state")},
        ),
        "MCPServer": subprocess.Popen(
            [*pin, sys.executable, os.path.join(BENCH, "stdio", "python_mcpserver.py"), "--http", str(ports["MCPServer"]), root],
            cwd=work, stdout=devnull, stderr=devnull,
        ),
        "floor": subprocess.Popen([*pin, floor, str(ports["floor"])], stdout=devnull, stderr=devnull),
    }
    for name, proc in servers.items():
        wait_listening(ports[name], proc, name)
    return servers, ports


def stop(servers: dict) -> None:
    for proc in servers.values():
        proc.terminate()
    for proc in servers.values():
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()


def measure(args, loadgen: str, floor: str, work: str, root: str, placement: str, levels: list[int], results: dict) -> dict:
    pin = ["taskset", "-c", str(args.pin_cpu)] if placement == "pinned" else []
    servers, ports = start_servers(args, floor, work, root, pin)
    best_by_level: dict[str, dict] = {}
    try:
        for name in ("fathom", "MCPServer"):
            check = load(loadgen, ports[name], 1, 0.2, 0.5, pin)
            if check["errors"] or not check["requests"]:
                raise SystemExit(f"{name} did not answer the tool call correctly: {check}")
        if not results["idle"]:
            for name in ("fathom", "MCPServer"):
                before = rss_kib(servers[name].pid)
                open_idle_sessions(ports[name], args.idle)
                time.sleep(1.0)
                after = rss_kib(servers[name].pid)
                results["idle"][name] = {"sessions": args.idle, "rss_before_kib": before, "rss_after_kib": after,
                                         "kib_per_session": round((after - before) / args.idle, 2)}
        for sessions in levels:
            best: dict[str, dict] = {}
            for round_index in range(args.rounds):
                order = ["fathom", "MCPServer", "floor"]
                order = order[round_index % 3:] + order[:round_index % 3]
                for name in order:
                    run = load(loadgen, ports[name], sessions, args.warmup, args.duration, pin)
                    if run["errors"]:
                        raise SystemExit(f"{name}: {run['errors']} failed calls at {sessions} sessions")
                    if name not in best or run["rps"] > best[name]["rps"]:
                        best[name] = run
                    print(f"  {placement:6} {name:9} sessions={sessions:3} round={round_index + 1} rps={run['rps']:9.1f} "
                          f"p50={run['p50_us']:8.0f}us p99={run['p99_us']:8.0f}us", file=sys.stderr)
            best_by_level[str(sessions)] = best
    finally:
        stop(servers)
    return best_by_level


def main() -> int:
    env = os.environ.get
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=float, default=float(env("BENCH_HTTP_DURATION", "5")))
    parser.add_argument("--warmup", type=float, default=float(env("BENCH_HTTP_WARMUP", "1")))
    parser.add_argument("--rounds", type=int, default=int(env("BENCH_HTTP_ROUNDS", "2")))
    parser.add_argument("--concurrency", default=env("BENCH_HTTP_CONCURRENCY", "1,16,64"))
    parser.add_argument("--idle", type=int, default=int(env("BENCH_HTTP_IDLE", "500")))
    parser.add_argument("--fathom-bin", default=env("FATHOM_BIN", os.path.join(REPO, ".build", "release", "fathom")))
    parser.add_argument("--placement", default=env("BENCH_PLACEMENT", "both"), choices=["free", "pinned", "both"])
    parser.add_argument("--pin-cpu", type=int, default=int(env("BENCH_PIN_CPU", "0")))
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args()
    levels = [int(x) for x in args.concurrency.split(",") if x.strip()]

    os.makedirs(OUT, exist_ok=True)
    loadgen = os.path.join(OUT, "loadgen")
    floor = os.path.join(OUT, "http-floor")
    subprocess.run(["cc", "-O2", "-Wall", "-o", loadgen, os.path.join(HERE, "loadgen.c")], check=True)
    subprocess.run(["cc", "-O2", "-Wall", "-o", floor, os.path.join(HERE, "floor.c")], check=True)
    placements = ["free", "pinned"] if args.placement == "both" else [args.placement]
    if not os.access(args.fathom_bin, os.X_OK):
        raise SystemExit(f"{args.fathom_bin} not found; run `swift build -c release` (make bench does)")

    work = tempfile.mkdtemp(prefix="fathom-bench-http-")
    root = os.path.join(work, "root")
    os.makedirs(root)
    with open(os.path.join(root, "file4k.txt"), "w") as f:
        f.write(("x" * 63 + "\n") * 64)
    results: dict = {"idle": {}, "load": {}}
    for placement in placements:
        results["load"][placement] = measure(args, loadgen, floor, work, root, placement, levels, results)
    shutil.rmtree(work, ignore_errors=True)

    lines = [
        f"HTTP benchmark, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {platform.node()}, "
        f"{os.cpu_count()} CPUs, tool `{TOOL}`, {args.duration:g} s per run, best of {args.rounds} rounds",
    ]
    missed = []
    for placement, by_level in results["load"].items():
        lines += [
            "",
            f"Placement: {placement}",
            "",
            "| sessions | fathom req/s | MCPServer req/s | ratio | floor req/s | fathom p50 / p99 | MCPServer p50 / p99 | p99 ratio | floor p50 / p99 |",
            "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for sessions, best in by_level.items():
            f, p, fl = best["fathom"], best["MCPServer"], best["floor"]
            ratio = f["rps"] / p["rps"] if p["rps"] else float("inf")
            p99_ratio = f["p99_us"] / p["p99_us"] if p["p99_us"] else 0
            lines.append(
                f"| {sessions} | {f['rps']:,.0f} | {p['rps']:,.0f} | {ratio:.1f}x | {fl['rps']:,.0f} "
                f"| {f['p50_us'] / 1000:.2f} / {f['p99_us'] / 1000:.2f} ms | {p['p50_us'] / 1000:.2f} / {p['p99_us'] / 1000:.2f} ms "
                f"| {p99_ratio:.3f} | {fl['p50_us'] / 1000:.2f} / {fl['p99_us'] / 1000:.2f} ms |"
            )
            if ratio < 10:
                missed.append(f"{placement}: throughput at {sessions} sessions is {ratio:.1f}x (target 10x)")
            if p99_ratio > 0.2:
                missed.append(f"{placement}: p99 at {sessions} sessions is {p99_ratio:.2f} of MCPServer's (target <= 0.2)")
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
