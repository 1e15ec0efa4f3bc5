"""Run every benchmark, one after another, and print a summary table of their figures.

Each benchmark runs as its own process (its own server, killed when it ends) with a time limit;
its output is shown as it comes. Missed goals are printed as FAIL but do not change the exit
status (these are measurements, not tests); a benchmark that crashes or overruns does (1).
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import stop_process

BENCH_DIR = Path(__file__).resolve().parent
BENCHMARKS = [
    "timeline_latency.py",
    "sharing_scale.py",
    "patch_concurrency.py",
    "editor_page_load.py",
    "element_media.py",
    "upload_memory.py",
    "mention_completion.py",
    "pipeline_throughput.py",
    "kling_at_scale.py",
    "animatic_render.py",
    "live_latency.py",
    "screening_speed.py",
    "export_speed.py",
    "director_speed.py",
    "parser_worst_case.py",
]
TIME_LIMIT_SECONDS = 180
# Benchmarks that need longer (10,000 Kling jobs take 30 to 120 s each at the fake; the
# animatic's 8 renders and 12 encodes of 15 s of video about 2 min, more on a loaded machine;
# the live events' 1,000 sockets on one project about 4 to 5 min).
TIME_LIMITS = {
    "pipeline_throughput.py": 480,
    "kling_at_scale.py": 1200,
    "animatic_render.py": 360,
    "live_latency.py": 480,
}


def run(script: str, json_path: Path) -> tuple[list[dict], str]:
    """The figures of one benchmark, and what went wrong ("" if nothing)."""
    command = [sys.executable, str(BENCH_DIR / script), "--json", str(json_path)]
    limit = TIME_LIMITS.get(script, TIME_LIMIT_SECONDS)
    began = time.monotonic()
    process = subprocess.Popen(command, cwd=BENCH_DIR.parent)
    try:
        returncode = process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        stop_process(process, timeout=15)
        return [], f"over {limit} s"
    except BaseException:  # Ctrl-C or SIGTERM of run_all itself
        stop_process(process, timeout=15)
        raise
    print(f"  ({script}: {time.monotonic() - began:.0f} s)", flush=True)
    if returncode != 0 or not json_path.exists():
        return [], f"exit status {returncode}"
    return json.loads(json_path.read_text())["figures"], ""


def value_of(figure: dict) -> str:
    value = figure["value"]
    text = f"{value:.1f}" if isinstance(value, float) else str(value)
    return f"{text} {figure['unit']}".strip()


def print_summary(rows: list[tuple[str, list[dict], str]]) -> None:
    print("\n" + "=" * 96 + "\nSummary\n" + "=" * 96)
    print(f"{'benchmark':<22} {'figure':<42} {'value':>14}  {'goal':<12} verdict")
    for script, figures, error in rows:
        name = script.removesuffix(".py")
        if error:
            print(f"{name:<22} {'(did not finish)':<42} {'':>14}  {'':<12} ERROR: {error}")
        for figure in figures:
            verdict = {True: "PASS", False: "FAIL", None: ""}[figure["ok"]]
            print(
                f"{name:<22} {figure['name'].strip():<42} {value_of(figure):>14}  "
                f"{figure['goal']:<12} {verdict}"
            )


def main() -> int:
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    load = os.getloadavg()[0]
    print(f"{os.cpu_count()} CPUs, 1-min load average {load:.2f} before the benchmarks")
    rows = []
    with tempfile.TemporaryDirectory(prefix="storyboard-bench-") as tmp:
        for script in BENCHMARKS:
            print(f"\n### {script}", flush=True)
            figures, error = run(script, Path(tmp) / f"{script}.json")
            rows.append((script, figures, error))
    print_summary(rows)
    return 1 if any(error for _, _, error in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
