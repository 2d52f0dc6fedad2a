#!/usr/bin/env python3
"""Kubernetes read benchmark: Fathom's cluster tools against kubectl-mcp-server, kubectl and the floor.

In one run, on one fixture Kubernetes API server (Tests/interop/fixtures/kube_api_server.py over plain
HTTP, default scenario; it sets TCP_NODELAY as a real API server does) and for
the same four reads, four paths are timed request to reply, sequentially, best-of-rounds:
  - floor:   the API request itself over one keep-alive connection (bench/prometheus/httpget.c);
  - fathom:  `fathom mcp` over stdio (config folder with tools/cluster.yaml -> a kubeconfig), tools/call
             pods_list / pods_get / events_list / pods_log, driven by bench/stdio/driver.c;
  - peer:    kubectl-mcp-server 2.0.0 from PyPI (its own venv .venv-bench-kubectl-mcp) over stdio, tools/call
             kubectl_get / kubectl_describe / kubectl_get / kubectl_logs, same driver (it runs kubectl per call);
  - kubectl: kubectl itself as a whole process per call (`get -o json`, `logs --tail=200`), own warmed cache.
Placements: "free" (no pinning) and "pinned" (driver/MCP server/kubectl on CPU 0; the API server free).
Before timing, each MCP server is asked once for every read and its reply is checked (the shop pods are
listed, the pod, its events and its log lines are there; no isError, and for the peer success=true).
Results: bench/out/kubernetes.json and .md; RESULTS.md is written by hand from them.

Options (unknown ones, meant for other suites via bench/run.sh, are ignored):
  --only floor,fathom,peer,kubectl   paths to run (env BENCH_PATHS; default all four)
  --placement free,pinned            (env BENCH_PLACEMENTS; default both)
  --calls N                          floor and Fathom calls per round (env BENCH_CALLS, default 1000)
  --slow-calls N                     peer and kubectl calls per round (env BENCH_SLOW_CALLS, default 30)
  --rounds N                         rounds, best median kept (env BENCH_ROUNDS, default 3)
  --strict                           exit 1 when a target is missed
Env: FATHOM_BIN (default .build/release/fathom).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUT = REPO / "bench" / "out"
sys.path.insert(0, str(REPO / "Tests" / "interop"))
from realparts import KubeFixture  # noqa: E402

PEER_VENV = REPO / ".venv-bench-kubectl-mcp"  # its own venv: it pins fastmcp<5 and kubernetes, apart from prometheus-mcp-server
PEER_PACKAGE = "kubectl-mcp-server==2.0.0"
SCENARIO = REPO / "Tests" / "interop" / "fixtures" / "kube" / "default"

NS = "shop"
POD = "checkout-7d9f8b6c5-x2x7q"
CONTAINER = "checkout"  # the pod's only container (scenario pods.json)
PATHS = ("floor", "fathom", "peer", "kubectl")
TARGET_FLOOR = 1.2  # Fathom within 1.2x of the direct GET
TARGET_PEER = 50.0  # >= 50x faster than kubectl-mcp-server


def shop_pods() -> list[str]:
    pods = json.loads((SCENARIO / "pods.json").read_text())
    return sorted(p["metadata"]["name"] for p in pods if p["metadata"].get("namespace") == NS)


# Each read: the API path (floor), Fathom's tool, the peer's tool, kubectl's argv, what every reply must contain
# (checked by the drivers on first and last replies) and what the one-off probe checks in full.
READS = [
    {
        "label": f"list pods in {NS}",
        "api": f"/api/v1/namespaces/{NS}/pods",
        "fathom": ("pods_list", {"namespace": NS}),
        "peer": ("kubectl_get", {"resource_type": "pods", "namespace": NS}),
        "kubectl": ["get", "pods", "-n", NS, "-o", "json"],
        "expect": POD,
        "probe": None,  # filled in main(): every pod of the namespace
    },
    {
        "label": "get a pod",
        "api": f"/api/v1/namespaces/{NS}/pods/{POD}",
        "fathom": ("pods_get", {"name": POD, "namespace": NS}),
        # pods_get is describe-like (state, conditions, the pod's events): the peer's equivalent is kubectl_describe
        "peer": ("kubectl_describe", {"resource_type": "pod", "name": POD, "namespace": NS}),
        "kubectl": ["get", "pod", POD, "-n", NS, "-o", "json"],
        "expect": POD,
        "probe": [POD, "CrashLoopBackOff"],
    },
    {
        "label": f"events in {NS}",
        "api": f"/api/v1/namespaces/{NS}/events",
        "fathom": ("events_list", {"namespace": NS}),
        "peer": ("kubectl_get", {"resource_type": "events", "namespace": NS}),
        "kubectl": ["get", "events", "-n", NS, "-o", "json"],
        "expect": "BackOff",
        "probe": ["BackOff", POD, "OOMKilled"],
    },
    {
        "label": "pod log, 200 lines",
        "api": f"/api/v1/namespaces/{NS}/pods/{POD}/log?container={CONTAINER}&tailLines=200",
        "fathom": ("pods_log", {"name": POD, "namespace": NS}),
        "peer": ("kubectl_logs", {"pod_name": POD, "namespace": NS, "tail": 200}),
        "kubectl": ["logs", POD, "-n", NS, "--tail=200"],
        "expect": "payment gateway timeout",
        "probe": ["payment gateway timeout", "too many payment gateway timeouts"],
    },
]


def log(message: str) -> None:
    print(f"[bench/kubernetes] {message}", file=sys.stderr, flush=True)


def build() -> tuple[str, str]:
    OUT.mkdir(parents=True, exist_ok=True)
    built = []
    for src, name in ((REPO / "bench" / "stdio" / "driver.c", "driver"), (REPO / "bench" / "prometheus" / "httpget.c", "httpget")):
        exe = OUT / name
        subprocess.run([os.environ.get("CC", "cc"), "-O2", "-Wall", "-o", str(exe), str(src), "-lm"], check=True)
        built.append(str(exe))
    return built[0], built[1]


def peer_venv() -> Path:
    stamp = PEER_VENV / ".kubectl-mcp-server"
    if not stamp.exists() or stamp.read_text().strip() != PEER_PACKAGE:
        log(f"installing {PEER_PACKAGE} into {PEER_VENV}")
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", PEER_PACKAGE], check=True)
        stamp.write_text(PEER_PACKAGE + "\n")
    return PEER_VENV / "bin" / "kubectl-mcp"  # console script kubectl_mcp_tool.__main__:main; stdio is its default transport


def write_kubeconfig(path: Path, server: str) -> None:
    path.write_text(f"""apiVersion: v1
kind: Config
clusters:
- name: fixture
  cluster:
    server: {server}
users:
- name: bench
  user: {{}}
contexts:
- name: bench
  context:
    cluster: fixture
    user: bench
current-context: bench
""")


def pinned(pin: int | None):
    return (lambda: os.sched_setaffinity(0, {pin})) if pin is not None else None


def run(cmd: list[str], env: dict[str, str], cwd: str, pin: int | None) -> dict:
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=1800, preexec_fn=pinned(pin))
    if r.returncode != 0:
        raise RuntimeError(f"{Path(cmd[0]).name} failed ({r.returncode}): {r.stderr[-2000:]} {r.stdout[-1000:]}")
    out = json.loads(r.stdout)
    if out.get("errors") or out.get("expect_failures"):
        raise RuntimeError(f"{out.get('errors')} error replies, {out.get('expect_failures')} "
                           f"without the expected text; first: {out.get('first_error')}")
    return out


def time_kubectl(argv: list[str], env: dict[str, str], cwd: str, pin: int | None, calls: int, warmup: int,
                 expect: str) -> dict:
    """kubectl as a whole process per call, stdin /dev/null; this process is pinned while it runs so the
    children inherit the CPU without a preexec_fn (which would force fork instead of vfork/posix_spawn)."""
    before = os.sched_getaffinity(0)
    if pin is not None:
        os.sched_setaffinity(0, {pin})
    samples = []
    size = 0
    try:
        for i in range(warmup + calls):
            t0 = time.perf_counter_ns()
            r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, env=env, cwd=cwd, timeout=60)
            t1 = time.perf_counter_ns()
            if r.returncode != 0 or expect.encode() not in r.stdout:
                raise RuntimeError(f"kubectl {' '.join(argv[1:])} failed ({r.returncode}): {r.stderr[-1000:]!r} {r.stdout[:300]!r}")
            size = len(r.stdout)
            if i >= warmup:
                samples.append((t1 - t0) / 1000)
    finally:
        os.sched_setaffinity(0, before)
    samples.sort()
    return {"n": calls, "median_us": statistics.median(samples), "p90_us": samples[min(len(samples) - 1, int(0.9 * len(samples)))],
            "p99_us": samples[min(len(samples) - 1, int(0.99 * len(samples)))], "mean_us": statistics.fmean(samples),
            "min_us": samples[0], "bytes": size}


class MCPProbe:
    """A plain JSON-lines MCP client for the one-off reply check (not timed)."""

    def __init__(self, cmd: list[str], env: dict[str, str], cwd: str, stderr_path: Path, timeout: float = 60):
        self.timeout = timeout
        self.err = open(stderr_path, "ab")
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, env=env, cwd=cwd)
        self.next_id = 0
        self.request("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                    "clientInfo": {"name": "fathom-bench-probe", "version": "1.0"}})
        self.send({"jsonrpc": "2.0", "method": "notifications/initialized"})

    def send(self, message: dict) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write((json.dumps(message) + "\n").encode())
        self.proc.stdin.flush()

    def request(self, method: str, params: dict) -> dict:
        want = self.next_id
        self.next_id += 1
        self.send({"jsonrpc": "2.0", "id": want, "method": method, "params": params})
        timer = threading.Timer(self.timeout, self.proc.kill)
        timer.start()
        try:
            assert self.proc.stdout is not None
            while True:
                line = self.proc.stdout.readline()
                if not line:
                    raise RuntimeError(f"server closed stdout (exit {self.proc.poll()}) before answering {method}")
                message = json.loads(line)
                if "method" in message:
                    if "id" in message:
                        self.send({"jsonrpc": "2.0", "id": message["id"], "error": {"code": -32601, "message": "not supported"}})
                    continue
                if message.get("id") == want:
                    if "error" in message:
                        raise RuntimeError(f"{method}: {message['error']}")
                    return message["result"]
        finally:
            timer.cancel()

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.err.close()


def reply_text(result: dict) -> str:
    parts = [c.get("text", "") for c in result.get("content", []) if isinstance(c, dict)]
    if "structuredContent" in result:
        parts.append(json.dumps(result["structuredContent"]))
    return "\n".join(parts)


def probe(path: str, cmd: list[str], env: dict[str, str], cwd: str, stderr_path: Path) -> dict[str, str]:
    """Asks the server once for every read; raises unless every reply is a success with the expected content."""
    client = MCPProbe(cmd, env, cwd, stderr_path)
    checked = {}
    try:
        tools = {t["name"] for t in client.request("tools/list", {}).get("tools", [])}
        missing = [read[path][0] for read in READS if read[path][0] not in tools]
        if missing:
            raise RuntimeError(f"no tool {', '.join(missing)} (the server has {len(tools)} tools)")
        for read in READS:
            tool, args = read[path]
            result = client.request("tools/call", {"name": tool, "arguments": args})
            text = reply_text(result)
            if result.get("isError"):
                raise RuntimeError(f"{tool} {json.dumps(args)}: isError: {text[:500]}")
            structured = result.get("structuredContent")
            if path == "peer" and isinstance(structured, dict) and structured.get("success") is not True:
                raise RuntimeError(f"{tool} {json.dumps(args)}: success is not true: {text[:500]}")
            absent = [s for s in read["probe"] if s not in text]
            if absent:
                raise RuntimeError(f"{tool} {json.dumps(args)}: reply lacks {absent}: {text[:800]}")
            checked[read["label"]] = f"{tool}: {len(text)} chars, has {len(read['probe'])} expected strings"
    finally:
        client.close()
    return checked


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", default=os.environ.get("BENCH_PATHS", ",".join(PATHS)))
    parser.add_argument("--placement", default=os.environ.get("BENCH_PLACEMENTS", "free,pinned"))
    parser.add_argument("--calls", type=int, default=int(os.environ.get("BENCH_CALLS", "1000")))
    parser.add_argument("--slow-calls", type=int, default=int(os.environ.get("BENCH_SLOW_CALLS", "30")))
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", "3")))
    parser.add_argument("--strict", action="store_true")
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        log(f"ignoring options for other suites: {' '.join(unknown)}")
    args.paths = [p.strip() for p in args.only.split(",") if p.strip()]
    bad = [p for p in args.paths if p not in PATHS]
    if bad or not args.paths:
        parser.error(f"--only takes a comma-separated subset of {','.join(PATHS)}; got {args.only!r}")
    args.placements = [p.strip() for p in args.placement.split(",") if p.strip()]
    if any(p not in ("free", "pinned") for p in args.placements) or not args.placements:
        parser.error("--placement takes free, pinned or both")
    return args


def fmt_ms(us: float) -> str:
    return f"{us / 1000:.2f}" if us < 10_000 else f"{us / 1000:.1f}"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    READS[0]["probe"] = shop_pods()
    fathom = os.environ.get("FATHOM_BIN", str(REPO / ".build" / "release" / "fathom"))
    driver, httpget = build()
    tmp = Path(tempfile.mkdtemp(prefix="fathom-bench-kube-"))
    kube = KubeFixture(tmp / "fixture")
    kube.start()
    log(f"kube API fixture at {kube.url}; paths {','.join(args.paths)}; placements {','.join(args.placements)}; "
        f"{args.calls} calls (floor, Fathom), {args.slow_calls} (peer, kubectl), {args.rounds} rounds")
    kubeconfig = tmp / "kubeconfig"
    write_kubeconfig(kubeconfig, kube.url)
    base_env = {"PATH": os.environ.get("PATH", ""), "HOME": str(tmp), "LANG": "C.UTF-8"}
    cwd = tmp / "cwd"
    cwd.mkdir()

    # Fathom: a config folder with fathom.yaml (state_dir) and tools/cluster.yaml naming the kubeconfig.
    config = tmp / "config"
    (config / "tools").mkdir(parents=True)
    (config / "fathom.yaml").write_text(f"state_dir: {tmp / 'state'}\n")
    (config / "tools" / "cluster.yaml").write_text(f"clusters:\n  - name: bench\n    kubeconfig: {kubeconfig}\n")
    fathom_env = {**base_env, "FATHOM_CONFIG": str(config / "fathom.yaml"), "FATHOM_STATE_DIR": str(tmp / "state"),
                  "FATHOM_FILESYSTEM_ROOTS": str(tmp)}
    fathom_cmd = [fathom, "mcp"]
    # The peer runs kubectl per call: KUBECONFIG names the fixture, HOME its own (~/.kube/cache, warmed by warm-up).
    (tmp / "peer-home").mkdir()
    peer_env = {**base_env, "HOME": str(tmp / "peer-home"), "KUBECONFIG": str(kubeconfig), "MCP_SERVER_TRANSPORT": "stdio"}
    # kubectl as a process: its own cache dir, warmed once below.
    kubectl_cache = tmp / "kubectl-cache"
    (tmp / "kubectl-home").mkdir()
    kubectl_env = {**base_env, "HOME": str(tmp / "kubectl-home"), "KUBECONFIG": str(kubeconfig)}
    kubectl_base = ["kubectl", f"--cache-dir={kubectl_cache}"]

    results: dict = {"calls": args.calls, "slow_calls": args.slow_calls, "rounds": args.rounds, "paths": args.paths,
                     "targets": {"fathom_over_floor_max": TARGET_FLOOR, "peer_over_fathom_min": TARGET_PEER},
                     "checks": {}, "skipped": {}, "reads": {}}
    status = 0
    paths = list(args.paths)
    try:
        peer = None
        if "peer" in paths:
            peer = peer_venv()
        if "kubectl" in paths:
            for read in READS:
                subprocess.run(kubectl_base + read["kubectl"], stdin=subprocess.DEVNULL, capture_output=True,
                               env=kubectl_env, cwd=str(cwd), timeout=60, check=True)
        # One-off reply checks before timing.
        for path, cmd, env in (("fathom", fathom_cmd, fathom_env), ("peer", [str(peer)], peer_env)):
            if path not in paths:
                continue
            try:
                if path == "fathom" and not Path(fathom).exists():
                    raise RuntimeError(f"{fathom} not found (build it, or set FATHOM_BIN)")
                results["checks"][path] = probe(path, cmd, env, str(config if path == "fathom" else cwd), tmp / f"{path}-probe.log")
                log(f"{path}: replies checked: " + "; ".join(results["checks"][path].values()))
            except Exception as error:  # noqa: BLE001 - reported, the other paths still run
                log(f"{path}: SKIPPED: {error}")
                results["skipped"][path] = str(error)
                paths.remove(path)
                status = 1

        if not paths:
            log("no path left to time")
        for placement in (args.placements if paths else []):
            pin = 0 if placement == "pinned" else None
            for read in READS:
                best: dict[str, dict] = {}
                for _ in range(args.rounds):
                    commands = {}
                    if "floor" in paths:
                        commands["floor"] = lambda: run(
                            [httpget, "--port", str(kube.port), "--path", read["api"], "--calls", str(args.calls),
                             "--warmup", str(max(args.calls // 5, 10)), "--expect", read["expect"]], base_env, str(cwd), pin)
                    if "fathom" in paths:
                        commands["fathom"] = lambda: run(
                            [driver, "--calls", str(args.calls), "--warmup", str(max(args.calls // 5, 10)),
                             "--tool", read["fathom"][0], "--args", json.dumps(read["fathom"][1]), "--expect", read["expect"],
                             "--server-stderr", str(tmp / "fathom.log"), "--", *fathom_cmd], fathom_env, str(config), pin)
                    if "peer" in paths:
                        commands["peer"] = lambda: run(
                            [driver, "--calls", str(args.slow_calls), "--warmup", "5", "--tool", read["peer"][0],
                             "--args", json.dumps(read["peer"][1]), "--expect", read["expect"], "--timeout-ms", "60000",
                             "--server-stderr", str(tmp / "peer.log"), "--", str(peer)], peer_env, str(cwd), pin)
                    if "kubectl" in paths:
                        commands["kubectl"] = lambda: time_kubectl(kubectl_base + read["kubectl"], kubectl_env, str(cwd), pin,
                                                                   args.slow_calls, 2, read["expect"])
                    samples: dict[str, dict] = {}
                    for path, command in commands.items():
                        try:
                            samples[path] = command()
                        except Exception as error:  # noqa: BLE001 - reported; the other paths go on
                            log(f"{path}: FAILED on {read['label']} ({placement}), dropped from the run: {error}")
                            results["skipped"][path] = f"{read['label']} ({placement}): {error}"
                            paths.remove(path)
                            best.pop(path, None)
                            status = 1
                    for path, sample in samples.items():
                        if path not in best or sample["median_us"] < best[path]["median_us"]:
                            best[path] = sample
                row: dict = {p: {"median_us": s["median_us"], "p90_us": s["p90_us"], "p99_us": s["p99_us"], "n": s["n"]}
                             for p, s in best.items()}
                for num, den in (("fathom", "floor"), ("peer", "fathom"), ("kubectl", "fathom"), ("peer", "floor"),
                                 ("kubectl", "floor")):
                    if num in best and den in best:
                        row[f"{num}_over_{den}"] = best[num]["median_us"] / best[den]["median_us"]
                row["tools"] = {"fathom": read["fathom"][0], "peer": read["peer"][0], "kubectl": " ".join(read["kubectl"]),
                                "api": read["api"]}
                results["reads"].setdefault(placement, {})[read["label"]] = row
                log(f"{placement:6} {read['label']:20} " + "  ".join(
                    f"{p} {fmt_ms(row[p]['median_us'])}/{fmt_ms(row[p]['p90_us'])} ms" for p in PATHS if p in row) + "  " +
                    "  ".join(f"{k.replace('_over_', '/')} {v:.2f}" for k, v in row.items() if "_over_" in k))
    finally:
        kube.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    kubectl_version = subprocess.run(["kubectl", "version", "--client"], capture_output=True, text=True).stdout.splitlines()
    results["meta"] = {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}",
        "server": "Tests/interop/fixtures/kube_api_server.py (Python, default scenario, plain HTTP, TCP_NODELAY)",
        "kubectl": kubectl_version[0] if kubectl_version else "?",
        "peer": PEER_PACKAGE,
        "fathom": fathom,
    }
    missed = write_reports(results)
    if missed and args.strict:
        status = 1
    return status


def write_reports(results: dict) -> int:
    (OUT / "kubernetes.json").write_text(json.dumps(results, indent=2))
    paths = [p for p in PATHS if any(p in row for rows in results["reads"].values() for row in rows.values())]
    head = " | ".join(f"{p} median / p90" for p in paths)
    ratios = [("fathom_over_floor", f"Fathom / floor (≤ {TARGET_FLOOR}×)"), ("peer_over_fathom", f"peer / Fathom (≥ {TARGET_PEER:.0f}×)"),
              ("kubectl_over_fathom", "kubectl / Fathom"), ("peer_over_floor", "peer / floor"), ("kubectl_over_floor", "kubectl / floor")]
    shown = [(k, t) for k, t in ratios if any(k in row for rows in results["reads"].values() for row in rows.values())]
    lines = [f"# Kubernetes reads, {results['meta']['date']}", "",
             f"Fixture API server over plain HTTP; {results['calls']} calls (floor, Fathom), {results['slow_calls']} (peer, kubectl), "
             f"best median of {results['rounds']} rounds. Times in ms.", "",
             "| " + " | ".join(["placement", "read", head, *(t for _, t in shown)]) + " |",
             "|---|---|" + "---:|" * (len(paths) + len(shown))]
    missed = 0
    for placement, rows in results["reads"].items():
        for label, row in rows.items():
            cells = [f"{fmt_ms(row[p]['median_us'])} / {fmt_ms(row[p]['p90_us'])}" if p in row else "–" for p in paths]
            rcells = []
            for key, _ in shown:
                value = row.get(key)
                if value is None:
                    rcells.append("–")
                    continue
                ok = None
                if key == "fathom_over_floor":
                    ok = value <= TARGET_FLOOR
                elif key == "peer_over_fathom":
                    ok = value >= TARGET_PEER
                if ok is False:
                    missed += 1
                rcells.append(f"{value:.2f}×" + ("" if ok is None else (" ✓" if ok else " ✗")))
            lines.append(f"| {placement} | {label} | " + " | ".join(cells + rcells) + " |")
    lines += ["", "Tools: " + "; ".join(f"{label}: Fathom `{READS[i]['fathom'][0]}`, peer `{READS[i]['peer'][0]}`, "
                                         f"`kubectl {' '.join(READS[i]['kubectl'])}`, floor `GET {READS[i]['api']}`"
                                         for i, label in enumerate(r['label'] for r in READS)) + "."]
    for path, why in results["skipped"].items():
        lines.append(f"\n**{path} skipped**: {why}")
    (OUT / "kubernetes.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return missed


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
