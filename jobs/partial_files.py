"""No partial file outlives its job.

A take is written under a temporary `.part` name and renamed into place when complete (the
animatic renderer, the provider download), in one directory per claim of the job
(pipeline.take_dir). A worker killed mid-write leaves its `.part` behind; it is removed when the
job is taken over (`remove_parts` keeping the new claim's directory), when the job ends in any
state (`remove_when_committed`), and by the sweep beat runs (`sweep`) for anything those missed.
"""

import contextlib
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.db import transaction

from jobs.choices import ACTIVE_STATES
from jobs.models import GenerationJob
from jobs.snapshot import takes_dir

PART_SUFFIX = ".part"
# The sweep leaves a `.part` written to this recently: a writer that is still alive keeps
# touching its file, and it may belong to a claim made after the sweep read the jobs.
SWEEP_GRACE_SECONDS = 120


def remove_parts(project_id: int, job_id: int, keep_step: int | None = None) -> int:
    """Remove the job's `.part` files, except in the directory of claim `keep_step` (the claim
    that is writing now); the claim directories left empty go too. How many were removed."""
    removed = 0
    for claim in _claim_dirs(takes_dir(project_id, job_id)):
        if keep_step is not None and claim.name == str(keep_step):
            continue
        for part in claim.glob(f"*{PART_SUFFIX}"):
            part.unlink(missing_ok=True)
            removed += 1
        with contextlib.suppress(OSError):  # not empty: a finished take stays
            claim.rmdir()
    return removed


def remove_when_committed(job: GenerationJob) -> None:
    """The job just ended (inside the transaction that ended it): once that commits, none of
    its partial files may stay. A writer still at work loses its file and, having lost the job
    too, stops at its next check."""
    project_id, job_id = job.project_id, job.pk
    transaction.on_commit(lambda: remove_parts(project_id, job_id))


def sweep() -> int:
    """Remove every `.part` under the takes that no running claim is writing: of a job that
    ended or is gone, or of an earlier claim of a job in flight. How many were removed."""
    root = Path(settings.MEDIA_ROOT) / "private" / "projects"
    # Listed before the jobs are read, so a claim made meanwhile shows as the job's step.
    by_job: dict[int, list[Path]] = defaultdict(list)
    for part in root.glob(f"*/takes/*/*/*{PART_SUFFIX}"):
        job_dir = part.parent.parent.name
        if job_dir.isdigit():
            by_job[int(job_dir)].append(part)
    writing = {
        pk: str(step)
        for pk, step in GenerationJob.objects.filter(
            pk__in=list(by_job), state__in=ACTIVE_STATES
        ).values_list("pk", "step")
    }
    recent = time.time() - SWEEP_GRACE_SECONDS
    removed = 0
    for job_id, parts in by_job.items():
        for part in parts:
            if writing.get(job_id) == part.parent.name:
                continue
            with contextlib.suppress(FileNotFoundError):
                if part.stat().st_mtime < recent:
                    part.unlink()
                    removed += 1
    return removed


def _claim_dirs(directory: Path) -> list[Path]:
    try:
        return [path for path in directory.iterdir() if path.is_dir()]
    except FileNotFoundError:
        return []
