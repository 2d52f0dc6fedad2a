#!/usr/bin/env python3
"""stdio benchmark: Fathom vs the Python SDK's MCPServer vs a raw-pipe floor.

Stdlib only. Run it with the repo venv's python (which has `mcp` installed for
the MCPServer baseline):

    .venv/bin/python bench/stdio/run.py            # or: make bench / bench/run.sh

What it does, in one run:
  1. builds bench/stdio/driver.c and floor.c into bench/out/ with `cc -O2`;
  2. makes a temp root with a 4 KiB text file and a temp state dir;
  3. checks each server answers both tools correctly (a few calls);
  4. latency: N sequential tools/call round trips (after W warm-up calls) of
     list_allowed_directories ("trivial") and read_text_file on the 4 KiB file
     ("read 4 KiB"), for fathom, MCPServer and floor, interleaved round-robin
     over R rounds (the server order rotates each round); the round with the
     best median is reported per server and tool;
  5. cold start: K fresh processes per server, interleaved, time from fork to
     the initialize response line; median reported;
  6. idle RSS: VmRSS of the server process after initialize + 1 s idle;
  7. prints a markdown table, checks the targets (fathom >= 10x faster than
     MCPServer; fathom within 1.5x of the floor) and writes bench/out/stdio.json
     (and bench/out/stdio.md with the same tables).

Options (environment variables in brackets):
  --calls N      measured calls per run       [BENCH_CALLS, default 5000]
  --warmup W     warm-up calls per run        [BENCH_WARMUP, default 500]
  --rounds R     interleaved rounds           [BENCH_ROUNDS, default 3]
  --cold K       cold-start samples           [BENCH_COLD, default 20]
  --rss-idle-ms  idle time before RSS read    [BENCH_RSS_IDLE_MS, default 1000]
  --fathom-bin P fathom binary                [FATHOM_BIN, default /work/main/.build/release/fathom]
  --python P     python for MCPServer         [BENCH_PYTHON, default: this interpreter]
  --placement P  free | pinned | both          [BENCH_PLACEMENT, default both]
                 free: no CPU pinning; pinned: driver and server (all threads)
                 on one CPU. On these VMs a cross-CPU wake-up costs ~70-100 µs,
                 so free results are bimodal; pinned shows the same-CPU cost.
                 Both are measured, interleaved, each with its own target checks.
  --pin-cpu N    the CPU for "pinned"         [BENCH_PIN_CPU, default 0]
  --no-fathom    measure only MCPServer and floor (for developing the bench)
  --strict       exit 1 when a target is missed (default: report only)
Exit status: 0 when all measurements ran (targets are reported, not enforced,
unless --strict); 1 when a server failed or was missing.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BENCH = os.path.dirname(HERE)
REPO = os.path.dirname(BENCH)
OUT = os.path.join(BENCH, "out")

TOOLS = [
    # key, label, tool name, args (filled in later), expected substring of the raw response line
    ("trivial", "trivial (list_allowed_directories)", "list_allowed_directories", None, "Allowed directories"),
    ("read4k", "read_text_file 4 KiB", "read_text_file", None, "FATHOM-BENCH-MARKER"),
]
LABEL = {"fathom": "fathom", "mcpserver": "Python MCPServer", "floor": "floor (raw pipe)"}


def env_int(name: str, default: int) -> int:
    v = os.environ.get(name)
    return int(v) if v else default


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--calls", type=int, default=env_int("BENCH_CALLS", 5000))
    p.add_argument("--warmup", type=int, default=env_int("BENCH_WARMUP", 500))
    p.add_argument("--rounds", type=int, default=env_int("BENCH_ROUNDS", 3))
    p.add_argument("--cold", type=int, default=env_int("BENCH_COLD", 20))
    p.add_argument("--rss-idle-ms", type=int, default=env_int("BENCH_RSS_IDLE_MS", 1000))
    p.add_argument("--fathom-bin", default=os.environ.get("FATHOM_BIN") or os.path.join(REPO, ".build/release/fathom"))
    p.add_argument("--python", default=os.environ.get("BENCH_PYTHON") or sys.executable)
    p.add_argument("--placement", choices=["free", "pinned", "both"], default=os.environ.get("BENCH_PLACEMENT") or "both")
    p.add_argument("--pin-cpu", type=int, default=env_int("BENCH_PIN_CPU", 0))
    p.add_argument("--no-fathom", action="store_true")
    p.add_argument("--strict", action="store_true")
    return p.parse_args()


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def build() -> tuple[str, str]:
    os.makedirs(OUT, exist_ok=True)
    cc = os.environ.get("CC", "cc")
    outs = []
    for name in ("driver", "floor"):
        src = os.path.join(HERE, name + ".c")
        exe = os.path.join(OUT, name)
        cmd = [cc, "-O2", "-Wall", "-o", exe, src, "-lm"]
        r = subprocess.run(cmd, capture_output=True, text=True)
        if r.returncode != 0:
            sys.exit(f"build failed: {' '.join(cmd)}\n{r.stderr}")
        outs.append(exe)
    return outs[0], outs[1]


def make_root(tmp: str) -> tuple[str, str, str, str]:
    root = os.path.realpath(os.path.join(tmp, "root"))
    state = os.path.join(tmp, "state")
    cwd = os.path.join(tmp, "cwd")  # empty cwd: no fathom.yaml is picked up by accident
    for d in (root, state, cwd):
        os.makedirs(d, exist_ok=True)
    text = "FATHOM-BENCH-MARKER\n"
    i = 0
    while len(text) < 4096:
        text += f"line {i:04d}: the quick brown fox jumps over the lazy dog 0123456789\n"
        i += 1
    text = text[:4095] + "\n"
    path = os.path.join(root, "bench-4k.txt")
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    assert os.path.getsize(path) == 4096
    return root, state, cwd, path


def run_driver(driver: str, server: dict, extra: list[str], timeout: float = 1800, pin: int | None = None) -> dict:
    cmd = [driver, *extra, "--server-stderr", server["stderr"], "--", *server["cmd"]]
    # the affinity set here is inherited by the server (and all its threads) that the driver forks
    pre = (lambda: os.sched_setaffinity(0, {pin})) if pin is not None else None
    r = subprocess.run(cmd, capture_output=True, encoding="utf-8", errors="replace", env=server["env"],
                       cwd=server["cwd"], timeout=timeout, preexec_fn=pre)
    if r.returncode != 0:
        raise RuntimeError(
            f"driver failed for {server['name']} (exit {r.returncode}): {r.stderr.strip()[:2000]}\n"
            f"stdout: {r.stdout.strip()[:1000]}\nserver stderr: {tail(server['stderr'])}"
        )
    return json.loads(r.stdout)


def tail(path: str, n: int = 1500) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - n))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def version_of(cmd: list[str], env=None) -> str:
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=30, env=env)
        return (r.stdout.strip() or r.stderr.strip()).splitlines()[0] if (r.stdout or r.stderr) else ""
    except Exception as e:  # noqa: BLE001
        return f"unknown ({e})"


def fmt_us(v: float | None) -> str:
    if v is None:
        return "n/a"
    if v >= 10000:
        return f"{v / 1000:.1f} ms"
    return f"{v:.1f} µs"


def fmt_ratio(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2f}x"


def main() -> int:
    a = parse_args()
    placements = ["free", "pinned"] if a.placement == "both" else [a.placement]
    driver, floor = build()
    log(f"built {driver} and {floor}")

    fathom_bin = os.path.abspath(a.fathom_bin)
    use_fathom = not a.no_fathom
    if use_fathom and not os.access(fathom_bin, os.X_OK):
        log(f"fathom binary not found at {fathom_bin} (set FATHOM_BIN, run `swift build -c release`, or pass --no-fathom)")
        return 1
    fathom_debug = use_fathom and "/debug/" in fathom_bin

    r = subprocess.run([a.python, "-c", "import mcp.server.mcpserver"], capture_output=True, text=True)
    if r.returncode != 0:
        log(f"{a.python} cannot import mcp.server.mcpserver (install mcp==2.3.0 in the repo venv): {r.stderr.strip()}")
        return 1

    tmp = tempfile.mkdtemp(prefix="fathom-bench-stdio-")
    try:
        root, state, cwd, file4k = make_root(tmp)
        base_env = {k: v for k, v in os.environ.items() if not k.startswith("FATHOM_")}
        servers: dict[str, dict] = {}
        if use_fathom:
            servers["fathom"] = {
                "name": "fathom",
                "cmd": [fathom_bin, "mcp"],
                "env": {**base_env, "FATHOM_FILESYSTEM_ROOTS": root, "FATHOM_STATE_DIR": state},
                "cwd": cwd,
                "stderr": os.path.join(tmp, "fathom.stderr"),
            }
        servers["mcpserver"] = {
            "name": "mcpserver",
            "cmd": [a.python, os.path.join(HERE, "python_mcpserver.py")],
            "env": {**base_env, "BENCH_ROOT": root},
            "cwd": cwd,
            "stderr": os.path.join(tmp, "mcpserver.stderr"),
        }
        servers["floor"] = {
            "name": "floor",
            "cmd": [floor, "--text-bytes", "4096"],
            "env": base_env,
            "cwd": cwd,
            "stderr": os.path.join(tmp, "floor.stderr"),
        }
        tools = [(k, lbl, name, json.dumps({"path": file4k}) if name == "read_text_file" else "{}", exp)
                 for (k, lbl, name, _, exp) in TOOLS]

        meta = {
            "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "host": platform.node(),
            "kernel": platform.release(),
            "cpus": os.cpu_count(),
            "loadavg_start": os.getloadavg(),
            "cc": version_of([os.environ.get("CC", "cc"), "--version"]),
            "python": version_of([a.python, "--version"]),
            "mcp_version": version_of([a.python, "-c", "import importlib.metadata as m; print(m.version('mcp'))"]),
            "fathom_bin": fathom_bin if use_fathom else None,
            "fathom_build": ("debug" if fathom_debug else "release") if use_fathom else None,
            "fathom_version": version_of([fathom_bin, "--version"]) if use_fathom else None,
            "config": {"calls": a.calls, "warmup": a.warmup, "rounds": a.rounds, "cold": a.cold,
                       "rss_idle_ms": a.rss_idle_ms, "file_bytes": 4096, "protocol": "2025-11-25",
                       "placements": placements, "pin_cpu": a.pin_cpu},
        }
        failures: list[str] = []
        notes: list[str] = []

        # 3. preflight: correctness of both tools on every server
        for s in list(servers.values()):
            for (_, _, tname, targs, exp) in tools:
                try:
                    res = run_driver(driver, s, ["--calls", "3", "--warmup", "0", "--tool", tname, "--args", targs,
                                                 "--expect", exp], timeout=120)
                    if res["errors"]:
                        raise RuntimeError(f"{tname} returned an error: {res.get('first_error')}")
                except Exception as e:  # noqa: BLE001
                    failures.append(f"{s['name']}: preflight {tname}: {e}")
                    log(f"PREFLIGHT FAILED {s['name']} {tname}: {e}")
                    servers.pop(s["name"], None)
                    break
        log(f"preflight ok: {', '.join(servers)}")

        # 4. latency, interleaved: rounds x placements x tools x servers (order rotates per round)
        names = list(servers)
        lat: dict[str, dict] = {}
        for pl in placements:
            lat[pl] = {"runs": {n: {t[0]: [] for t in tools} for n in names}}
        for rnd in range(a.rounds):
            order = names[rnd % len(names):] + names[:rnd % len(names)]
            for pl in placements:
                pin = a.pin_cpu if pl == "pinned" else None
                for (tkey, _, tname, targs, exp) in tools:
                    for n in order:
                        try:
                            res = run_driver(driver, servers[n], ["--calls", str(a.calls), "--warmup", str(a.warmup),
                                                                  "--tool", tname, "--args", targs, "--expect", exp],
                                             pin=pin)
                        except Exception as e:  # noqa: BLE001
                            failures.append(f"{n}: {pl} {tkey} round {rnd + 1}: {e}")
                            log(f"FAILED {n} {pl} {tkey} round {rnd + 1}: {e}")
                            continue
                        res["round"] = rnd + 1
                        if res.get("exit_status") != 0:
                            notes.append(f"{n} exited with status {res.get('exit_status')} after stdin EOF "
                                         f"({pl} {tkey} round {rnd + 1})")
                        if res.get("skipped_lines"):
                            notes.append(f"{n} sent {res['skipped_lines']} non-response lines ({pl} {tkey} round {rnd + 1})")
                        lat[pl]["runs"][n][tkey].append(res)
                        log(f"round {rnd + 1}/{a.rounds} {pl:6s} {tkey:8s} {n:10s} median {fmt_us(res['median_us']):>10s} "
                            f"p99 {fmt_us(res['p99_us']):>10s} errors {res['errors']}")
        for pl in placements:
            lat[pl]["best"] = {n: {t: (min(rs, key=lambda x: x["median_us"]) if rs else None) for t, rs in per.items()}
                               for n, per in lat[pl]["runs"].items()}

        # 5. cold start, interleaved (floor included for reference)
        cold_samples: dict[str, list[float]] = {n: [] for n in names}
        for k in range(a.cold):
            for n in names:
                try:
                    res = run_driver(driver, servers[n], ["--calls", "0", "--warmup", "0", "--cold", "1"], timeout=120)
                    cold_samples[n].extend(res["cold"]["samples_us"])
                except Exception as e:  # noqa: BLE001
                    failures.append(f"{n}: cold start: {e}")
                    log(f"FAILED {n} cold start: {e}")
        cold = {n: ({"k": len(v), "median_us": statistics.median(v), "min_us": min(v), "max_us": max(v), "samples_us": v}
                    if v else None) for n, v in cold_samples.items()}
        log("cold start: " + ", ".join(f"{n} {fmt_us(c['median_us']) if c else 'n/a'}" for n, c in cold.items()))

        # 6. idle RSS
        rss: dict[str, dict | None] = {}
        for n in names:
            try:
                res = run_driver(driver, servers[n], ["--calls", "0", "--warmup", "0", "--rss-idle-ms", str(a.rss_idle_ms)],
                                 timeout=120)
                after = [r.get("rss_after_kb", -1) for pl in placements for per in lat[pl]["runs"][n].values() for r in per]
                rss[n] = {"rss_idle_kb": res["rss_idle_kb"], "hwm_idle_kb": res["hwm_idle_kb"],
                          "rss_after_calls_max_kb": max(after) if after else None}
            except Exception as e:  # noqa: BLE001
                failures.append(f"{n}: rss: {e}")
                rss[n] = None
        meta["loadavg_end"] = os.getloadavg()
        meta["finished"] = time.strftime("%Y-%m-%dT%H:%M:%S%z")

        # 7. ratios, targets, report
        for pl in placements:
            best = lat[pl]["best"]

            def stat(n, t, key, best=best):
                b = best.get(n, {}).get(t)
                return b[key] if b else None

            def ratio(x, y):
                return (x / y) if (x and y) else None

            ratios, targets = {}, {}
            for (tkey, *_rest) in tools:
                sp = ratio(stat("mcpserver", tkey, "median_us"), stat("fathom", tkey, "median_us"))
                ff = ratio(stat("fathom", tkey, "median_us"), stat("floor", tkey, "median_us"))
                ratios[tkey] = {
                    "mcpserver_over_fathom_median": sp,
                    "fathom_over_floor_median": ff,
                    "mcpserver_over_fathom_p99": ratio(stat("mcpserver", tkey, "p99_us"), stat("fathom", tkey, "p99_us")),
                    "fathom_over_floor_p99": ratio(stat("fathom", tkey, "p99_us"), stat("floor", tkey, "p99_us")),
                }
                targets[tkey] = {"speedup_ge_10x": (sp >= 10) if sp is not None else None,
                                 "within_1_5x_floor": (ff <= 1.5) if ff is not None else None}
            lat[pl]["ratios"], lat[pl]["targets"] = ratios, targets

        md = render(meta, tools, names, placements, lat, cold, rss, failures, notes, fathom_debug)
        print(md)
        result = {"meta": meta, "latency": lat, "cold_start": cold, "rss": rss, "failures": failures, "notes": notes}
        with open(os.path.join(OUT, "stdio.json"), "w") as f:
            json.dump(result, f, indent=2)
        with open(os.path.join(OUT, "stdio.md"), "w") as f:
            f.write(md + "\n")
        log(f"wrote {os.path.join(OUT, 'stdio.json')} and stdio.md")

        if failures:
            return 1
        if a.strict and any(v is False for pl in placements for t in lat[pl]["targets"].values() for v in t.values()):
            return 1
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


PLACEMENT_TEXT = {
    "free": "no CPU pinning (the scheduler places driver and server threads)",
    "pinned": "driver and server (all threads) pinned to one CPU",
}


def render(meta, tools, names, placements, lat, cold, rss, failures, notes, fathom_debug) -> str:
    c = meta["config"]
    L = []
    L.append("## stdio benchmark: Fathom vs Python MCPServer vs raw-pipe floor")
    L.append("")
    if fathom_debug:
        L.append("> **fathom is a DEBUG build here: smoke test only, the figures are not representative.**")
        L.append("")
    L.append(f"{meta['started']} · {meta['cpus']} CPUs · kernel {meta['kernel']} · load {meta['loadavg_start'][0]:.2f} "
             f"→ {meta['loadavg_end'][0]:.2f} · fathom `{meta['fathom_version']}` ({meta['fathom_build']}) · "
             f"mcp {meta['mcp_version']} on {meta['python']}")
    L.append("")
    L.append(f"Sequential `tools/call` round trips over stdio (JSON lines), {c['calls']} measured calls after "
             f"{c['warmup']} warm-up calls per run, {c['rounds']} interleaved rounds; the round with the best median is "
             f"shown, all round medians (µs) in the last column.")

    def mark(v):
        return "n/a" if v is None else ("PASS" if v else "**FAIL**")

    for pl in placements:
        best, runs = lat[pl]["best"], lat[pl]["runs"]
        L.append("")
        L.append(f"### Latency, {PLACEMENT_TEXT[pl]}" + (f" (CPU {c['pin_cpu']})" if pl == "pinned" else ""))
        L.append("")
        L.append("| tool | server | median | p99 | mean | calls/s | resp bytes | round medians |")
        L.append("|---|---|---:|---:|---:|---:|---:|---|")
        for (tkey, tlabel, *_r) in tools:
            for n in names:
                b = best[n][tkey]
                if not b:
                    L.append(f"| {tlabel} | {LABEL[n]} | n/a | n/a | n/a | n/a | n/a | |")
                    continue
                rm = " / ".join(f"{r['median_us']:.1f}" for r in runs[n][tkey])
                L.append(f"| {tlabel} | {LABEL[n]} | {fmt_us(b['median_us'])} | {fmt_us(b['p99_us'])} | "
                         f"{fmt_us(b['mean_us'])} | {b['calls_per_s']:,} | {int(b['response_bytes'])} | {rm} |")
        L.append("")
        L.append("| tool | MCPServer / fathom (median) | MCPServer / fathom (p99) | target ≥ 10x | "
                 "fathom / floor (median) | fathom / floor (p99) | target ≤ 1.5x |")
        L.append("|---|---:|---:|:---:|---:|---:|:---:|")
        for (tkey, tlabel, *_r) in tools:
            r, t = lat[pl]["ratios"][tkey], lat[pl]["targets"][tkey]
            L.append(f"| {tlabel} | {fmt_ratio(r['mcpserver_over_fathom_median'])} | "
                     f"{fmt_ratio(r['mcpserver_over_fathom_p99'])} | {mark(t['speedup_ge_10x'])} | "
                     f"{fmt_ratio(r['fathom_over_floor_median'])} | {fmt_ratio(r['fathom_over_floor_p99'])} | "
                     f"{mark(t['within_1_5x_floor'])} |")
    L.append("")
    L.append("### Cold start and memory")
    L.append("")
    L.append(f"Cold start (fork/exec → `initialize` response, {c['cold']} fresh processes each, interleaved) and idle "
             f"RSS (VmRSS after initialize + {c['rss_idle_ms']} ms idle):")
    L.append("")
    L.append("| server | cold start median | min | max | idle RSS | RSS after call runs (max) |")
    L.append("|---|---:|---:|---:|---:|---:|")
    for n in names:
        cs, rs = cold.get(n), rss.get(n)
        cm = (fmt_us(cs["median_us"]), fmt_us(cs["min_us"]), fmt_us(cs["max_us"])) if cs else ("n/a",) * 3
        ri = f"{rs['rss_idle_kb'] / 1024:.1f} MiB" if rs else "n/a"
        ra = f"{rs['rss_after_calls_max_kb'] / 1024:.1f} MiB" if rs and rs.get("rss_after_calls_max_kb") else "n/a"
        L.append(f"| {LABEL[n]} | {cm[0]} | {cm[1]} | {cm[2]} | {ri} | {ra} |")
    if "fathom" in names and "mcpserver" in names and cold.get("fathom") and cold.get("mcpserver"):
        L.append("")
        L.append(f"Cold start MCPServer / fathom: {fmt_ratio(cold['mcpserver']['median_us'] / cold['fathom']['median_us'])}; "
                 + (f"idle RSS MCPServer / fathom: {fmt_ratio(rss['mcpserver']['rss_idle_kb'] / rss['fathom']['rss_idle_kb'])}"
                    if rss.get("fathom") and rss.get("mcpserver") else ""))
    if failures:
        L.append("")
        L.append("Failures:")
        for f in failures:
            L.append(f"- {f.splitlines()[0]}")
    if notes:
        L.append("")
        L.append("Notes:")
        for x in dict.fromkeys(notes):
            L.append(f"- {x}")
    return "\n".join(L)


if __name__ == "__main__":
    sys.exit(main())
