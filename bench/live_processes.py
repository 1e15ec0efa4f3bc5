"""The processes the live-events bench drives or watches, other than its WebSocket clients.

- `Worker`: the worker process (this file run with WORKER_FLAG; `worker_main`), Django set up as
  a Celery worker is: it changes a GenerationJob row inside `transaction.atomic()` and calls
  `jobs.events.job_updated(job)`, as jobs/actions.py does; an on-commit hook registered before
  the event's stamps time.time() right after the commit.
- `server_pid`, `rss_kib`: the uvicorn child serving the bench, and its VmRSS.
- `pids_named`, `CpuMeter`: user+system CPU seconds of groups of processes, read from /proc.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, configure_environment, stop_process

WORKER_FLAG = "--worker"


def server_pid(base_url: str) -> int:
    """The uvicorn child of this process that listens on the port of `base_url`."""
    port = base_url.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if ppid == os.getpid() and b"uvicorn" in argv and port.encode() in argv:
            return int(entry.name)
    raise RuntimeError(f"no uvicorn child listening on {port}")


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


def pids_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == name:
                pids.append(int(entry.name))
        except OSError:
            continue
    return pids


class CpuMeter:
    """User+system CPU seconds of groups of processes, read from /proc/<pid>/stat."""

    TICKS = os.sysconf("SC_CLK_TCK")

    def __init__(self, groups: dict[str, list[int]]) -> None:
        self.groups = groups
        self.began = time.perf_counter()
        self.start = self._read()

    def _read(self) -> dict[str, float]:
        totals = {}
        for name, pids in self.groups.items():
            total = 0
            for pid in pids:
                try:
                    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                total += int(fields[11]) + int(fields[12])
            totals[name] = total / self.TICKS
        return totals

    def per_second(self) -> str:
        elapsed = time.perf_counter() - self.began
        end = self._read()
        used = {name: (end[name] - self.start[name]) / elapsed for name in end}
        return ", ".join(f"{name} {value:.2f}" for name, value in used.items())


class Worker:
    """The worker process (this file with WORKER_FLAG): commits job changes and publishes their
    events on request; returns (job, milli-progress, commit time) of each."""

    def __init__(self, project_id: int) -> None:
        command = [sys.executable, str(Path(__file__).resolve()), WORKER_FLAG, str(project_id)]
        self.process = subprocess.Popen(
            command, cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.pid = self.process.pid
        self._ask({"jobs": [], "count": 0, "pace": 0})  # Django set up, connections open

    def _ask(self, request: dict) -> dict:
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the worker exited ({self.process.poll()})")
        return json.loads(line)

    def publish(self, jobs: list[int], count: int, pace: float) -> list[tuple[int, int, float]]:
        answer = self._ask({"jobs": jobs, "count": count, "pace": pace})
        return [tuple(stamp) for stamp in answer["stamps"]]

    def stop(self) -> None:
        self.process.stdin.close()
        stop_process(self.process, timeout=10)


def worker_main(project_id: int) -> None:
    """The worker process: reads {"jobs", "count", "pace"} lines, writes {"stamps"} lines."""
    answers = os.fdopen(os.dup(1), "w")  # the protocol; anything printed goes to stderr
    os.dup2(2, 1)
    configure_environment()
    import django

    django.setup()
    from django.db import transaction

    from jobs.events import job_updated
    from jobs.models import GenerationJob

    sent: dict[int, int] = {}  # job → events so far (its progress in thousandths)
    turn = 0
    for line in sys.stdin:
        request = json.loads(line)
        stamps = []
        jobs = request["jobs"]
        begin = time.perf_counter()
        for n in range(request["count"]):
            time.sleep(max(0.0, begin + n * request["pace"] - time.perf_counter()))
            job_id = jobs[turn % len(jobs)]
            turn += 1
            milli = sent[job_id] = sent.get(job_id, 0) + 1
            with transaction.atomic():
                GenerationJob.objects.filter(pk=job_id).update(progress=milli / 1000)
                job = GenerationJob.objects.get(pk=job_id)
                # Runs first of the on-commit hooks: right after the commit, before the event.
                transaction.on_commit(
                    lambda s=stamps, j=job_id, m=milli: s.append((j, m, time.time()))
                )
                job_updated(job)
        answers.write(json.dumps({"stamps": stamps}) + "\n")
        answers.flush()


if __name__ == "__main__":
    if sys.argv[1:2] == [WORKER_FLAG]:
        worker_main(int(sys.argv[2]))
