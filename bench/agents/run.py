#!/usr/bin/env python3
"""The agent loop's own cost per step (bench/agents/Sources/AgentLoopBench.swift, built by `make bench`).

The bench binary runs `AgentEngine.ask` with an instant in-process model that calls `read_text_file` on N
files and then answers: each step is a model turn, a tool call through the registry (policy, schema,
audit path) and the run's journal rows in a real SQLite store. In the same process and round it makes the
same N tool calls straight through the registry (the floor). Overhead per step = (run - floor) / (N + 1).
Target (issue 6): at most 1 ms. Runs free and pinned to one CPU; 3 rounds each; best median reported.

Env: BENCH_AGENT_STEPS (20), BENCH_AGENT_RUNS (200), BENCH_ROUNDS (3).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("FATHOM_AGENT_BENCH", REPO / ".build" / "release" / "fathom-agent-bench"))
OUT = REPO / "bench" / "out"


def run(pinned: bool, steps: int, runs: int) -> dict:
    command = [str(BINARY), "--steps", str(steps), "--runs", str(runs), "--warmup", "20"]
    if pinned:
        command = ["taskset", "-c", "0", *command]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise SystemExit(f"agent bench failed: {result.stdout}{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> int:
    if not BINARY.exists():
        print(f"agents: {BINARY} is missing; `make bench` builds it (swift build -c release)", file=sys.stderr)
        return 1
    steps = int(os.environ.get("BENCH_AGENT_STEPS", "20"))
    runs = int(os.environ.get("BENCH_AGENT_RUNS", "200"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "3"))
    report = {}
    print(f"agent loop, {steps} tool steps + 1 answer per run, {runs} runs x {rounds} rounds")
    print(f"{'placement':<10} {'run median':>12} {'tools direct':>13} {'overhead/step median':>21} {'p90':>9}  target <= 1000 us")
    for placement, pinned in (("free", False), ("pinned", True)):
        results = [run(pinned, steps, runs) for _ in range(rounds)]
        best = min(results, key=lambda r: r["overhead_per_step_us_median"])
        report[placement] = {"best": best, "rounds": results}
        verdict = "met" if best["overhead_per_step_us_median"] <= 1000 else "MISSED"
        print(f"{placement:<10} {best['run_us_median'] / 1000:>10.2f} ms {best['tools_direct_us_median'] / 1000:>10.2f} ms "
              f"{best['overhead_per_step_us_median']:>18.0f} us {best['overhead_per_step_us_p90']:>6.0f} us  {verdict}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "agents.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
