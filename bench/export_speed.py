"""Exports of a 20-sequence project: time per format (OTIO, EDL, FCP 7 XML, FCPXML, the zip
with every chosen take's media, the PDF storyboard sheet and the project as JSON).

Measured in-process, without a server, as the export view does it: read the reel (four
queries), build the timeline, write the format; the zip also copies the takes into it and is
read to its end, as a response streams it. The PDF is timed after a first one has made the fonts'
subsets (cached per set of characters). The project has 20 sequences of 5 shots with two
dialogue lines each, every sequence with a chosen take (a small real video, the stock clip of
the instant provider).
"""

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (
    Figure,
    arguments,
    make_project,
    median,
    percentile,
    report,
    setup_django,
    timed_ms,
)

TITLE = "Bench: timeline exports"
SEQUENCES = 20
SHOTS = 5  # 14 s a sequence: the animatic takes at most 15
RUNS = 20
ZIP_RUNS = 5
GOAL_MS = 500.0  # an export is a click in the editor: it should feel immediate
READ_CHUNK = 1024 * 1024


def make_reel_project() -> int:
    from jobs.models import Take
    from storyboard_app.models import Sequence
    from tests.job_helpers import delivered_take, queued_job

    made = make_project("Bench exports", sequences=SEQUENCES, shots=SHOTS, lines=2)
    for sequence in Sequence.objects.filter(pk__in=made.sequence_ids).select_related("project"):
        delivered_take(queued_job(sequence.project.owner, sequence))
    assert Take.objects.filter(project_id=made.project_id, chosen=True).count() == SEQUENCES
    return made.project_id


def main() -> None:
    options = arguments(__doc__.splitlines()[0])
    setup_django()
    from exports.bundle import bundle
    from exports.edit import FORMATS, timeline_of, write
    from exports.project_json import export_project
    from exports.reel import reel_of
    from exports.sheet import storyboard_pdf
    from exports.sheet_data import sheet_data
    from storyboard_app.models import Project

    project = Project.objects.get(pk=make_reel_project())
    figures = [Figure("sequences x shots", f"{SEQUENCES} x {SHOTS}")]
    for kind in FORMATS:
        text = write(timeline_of(reel_of(project)), kind)[0]
        timings = timed_ms(lambda kind=kind: write(timeline_of(reel_of(project)), kind), RUNS)
        p95 = percentile(timings, 95)
        figures += [
            Figure(f"{kind}: size", len(text.encode()) // 1024, "KiB"),
            Figure(f"{kind}: median", median(timings), "ms"),
            Figure(f"{kind}: p95", p95, "ms", f"< {GOAL_MS:g} ms", p95 < GOAL_MS),
        ]

    def zipped() -> int:
        reel = reel_of(project)
        text, chosen = write(timeline_of(reel), "fcp7")
        with bundle(reel, f"bench.{chosen.extension}", text, with_media=True) as archive:
            return sum(len(chunk) for chunk in iter(lambda: archive.read(READ_CHUNK), b""))

    size = zipped()
    timings = timed_ms(zipped, ZIP_RUNS)
    figures += [
        Figure("zip with media (fcp7): size", size // 1024, "KiB"),
        Figure("zip with media: median", median(timings), "ms"),
    ]
    documents = {
        "pdf (A4)": lambda: storyboard_pdf(sheet_data(project), "a4"),
        "json": lambda: export_project(project)[0],
    }
    for name, make in documents.items():
        size = len(make())  # the PDF's first run also makes the fonts' subsets
        timings = timed_ms(make, ZIP_RUNS)
        p95 = percentile(timings, 95)
        figures += [
            Figure(f"{name}: size", size // 1024, "KiB"),
            Figure(f"{name}: median", median(timings), "ms"),
            Figure(f"{name}: p95", p95, "ms", f"< {GOAL_MS:g} ms", p95 < GOAL_MS),
        ]
    report(TITLE, figures, options.json)


if __name__ == "__main__":
    main()
