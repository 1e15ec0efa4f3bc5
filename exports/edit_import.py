"""An edited timeline brought back from editing software, as a proposed storyboard change.

`read_edit` parses an OTIO JSON file or a CMX 3600 EDL sent by a user, refusing what is too
big, malformed or built to hurt the parser (`EditRefused` with a message for them).
`proposal_of` matches its clips to the reel's shots and says, per sequence, the new shot order
and the new whole-second durations, with a readable list of the changes; clips that match no
shot and shots missing from the edit are reported as problems, never guessed.

A clip is matched by the ids the export put in its metadata (OTIO), else by its name ("S01
Shot 02"), else by its EDL reel and source timecode. A duration counts as changed only if the
clip no longer lasts what the export gave it, so a storyboard changed since the take was made
is not reverted by an untouched edit. Pure: no Django.
"""

import json
import math
import re
from collections.abc import Mapping

import opentimelineio as otio

from exports.edit import clip_name, shot_segments, timeline_rate

MAX_EDIT_BYTES = 2 * 1024 * 1024
MAX_JSON_DEPTH = 64
MAX_JSON_NODES = 200_000
MAX_CLIPS = 2000
MAX_REASON_CHARS = 200
MIN_SHOT_SECONDS = 1
MAX_SHOT_SECONDS = 60  # script.rules.MAX_SHOT_SECONDS_STORED
# The EDL reader (otio_cmx3600_adapter) takes its lines off the front of a list one by one and
# reads some with backtracking regexes (a motion effect's M2 line, a clip's file path), each
# quadratic in its line: bounded here before it reads anything. An EDL of MAX_CLIPS clips has a
# few lines per clip, of at most a hundred or so characters.
MAX_EDL_LINES = 10 * MAX_CLIPS
MAX_EDL_EVENTS = 2 * MAX_CLIPS  # lines opening with an event number: video and audio
MAX_EDL_LINE_CHARS = 256
# A motion effect's line, as the reader tells it; CMX 3600 writes it in 80 columns.
MOTION_LINE = re.compile(r"\*?\s*+M2")
MAX_MOTION_LINE_CHARS = 80
NAME_PATTERN = re.compile(r"^\s*S(\d{1,4}) Shot (\d{1,4})\s*$")
REEL_PATTERN = re.compile(r"^S(\d{1,4})TAKE")


class EditRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _check_json_shape(text: str) -> None:
    """Refuse JSON nested or sized to exhaust the OTIO reader (walked without recursion)."""
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise EditRefused("This is not valid OTIO JSON.") from None
    if not isinstance(document, dict) or not str(document.get("OTIO_SCHEMA", "")).startswith(
        "Timeline."
    ):
        raise EditRefused("This OTIO file does not hold a timeline.")
    stack, nodes = [(document, 1)], 0
    while stack:
        value, depth = stack.pop()
        nodes += 1
        if depth > MAX_JSON_DEPTH or nodes > MAX_JSON_NODES:
            raise EditRefused("This OTIO file is nested too deeply or too large to read.")
        children = value.values() if isinstance(value, dict) else value
        if isinstance(value, dict | list):
            stack.extend((child, depth + 1) for child in children)


def _check_edl_shape(text: str) -> None:
    """Refuse an EDL with more lines, or longer ones, than the EDL reader can read in time."""
    lines = [line for line in (line.strip() for line in text.splitlines()) if line]
    if len(lines) > MAX_EDL_LINES:
        raise EditRefused(f"This EDL has more than {MAX_EDL_LINES} lines.")
    if sum(line[0].isdigit() for line in lines) > MAX_EDL_EVENTS:
        raise EditRefused(f"This EDL has more than {MAX_EDL_EVENTS} events.")
    for number, line in enumerate(lines, start=1):
        longest = MAX_MOTION_LINE_CHARS if MOTION_LINE.match(line) else MAX_EDL_LINE_CHARS
        if len(line) > longest:
            raise EditRefused(
                f"Line {number} of this EDL is longer than {longest} characters; an EDL's "
                "lines are short."
            )


def read_edit(data: bytes, filename: str, rate: float) -> otio.schema.Timeline:
    if len(data) > MAX_EDIT_BYTES:
        raise EditRefused(f"The file is larger than {MAX_EDIT_BYTES // (1024 * 1024)} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise EditRefused("The file is not text in UTF-8: send an .otio or an .edl.") from None
    if "\x00" in text:
        raise EditRefused("The file is not text: send an .otio or an .edl.")
    is_json = filename.lower().endswith(".otio") or text.lstrip().startswith("{")
    if is_json:
        _check_json_shape(text)
    else:
        _check_edl_shape(text)
    # The adapters raise many kinds of exception (C++ errors among them) on bad input: any of
    # them means the file cannot be read, which the user must hear, not a server error.
    try:
        if is_json:
            timeline = otio.adapters.read_from_string(text, "otio_json")
        else:
            timeline = otio.adapters.read_from_string(text, "cmx_3600", rate=rate)
    except Exception as error:  # noqa: BLE001 - see above
        if is_json:  # the reader's own words name C++ types: of no help to the user
            raise EditRefused(
                "This OTIO file does not follow the OpenTimelineIO format: a field is missing "
                "or has the wrong type."
            ) from None
        raise EditRefused(f"This EDL cannot be read: {str(error)[:MAX_REASON_CHARS]}") from None
    if not isinstance(timeline, otio.schema.Timeline):
        raise EditRefused("This file does not hold a timeline.")
    if not edited_clips(timeline):
        raise EditRefused("This timeline has no clips on its video tracks.")
    return timeline


def edited_clips(timeline: otio.schema.Timeline) -> list[otio.schema.Clip]:
    """The clips of the video tracks in the order they play (a clip on a higher track at the
    same time comes after the lower one)."""
    placed = []
    for track_index, track in enumerate(timeline.video_tracks()):
        ranges = track.range_of_all_children()
        for child in track:
            if isinstance(child, otio.schema.Clip):
                placed.append((ranges[child].start_time.to_seconds(), track_index, child))
    if len(placed) > MAX_CLIPS:
        raise EditRefused(f"The edit has more than {MAX_CLIPS} clips.")
    placed.sort(key=lambda row: (row[0], row[1]))
    return [clip for _, _, clip in placed]


class _Index:
    """The reel's shots by id, by (sequence, shot) number and by reel name and source time."""

    def __init__(self, reel: dict) -> None:
        self.shots, self.by_number, self.segments, self.sequence_of = {}, {}, {}, {}
        for sequence in reel["sequences"]:
            segments = shot_segments(sequence)
            for index, shot in enumerate(sequence["shots"]):
                self.shots[shot["id"]] = shot
                self.sequence_of[shot["id"]] = sequence
                self.by_number[(sequence["number"], index + 1)] = shot["id"]
                self.segments[shot["id"]] = segments[index]

    def match(self, clip: otio.schema.Clip) -> int | None:
        ids = clip.metadata.get("storyboard")
        shot_id = ids.get("shot_id") if isinstance(ids, Mapping) else None
        if isinstance(shot_id, int) and shot_id in self.shots:
            return shot_id
        named = NAME_PATTERN.match(clip.name or "")
        if named:
            return self.by_number.get((int(named[1]), int(named[2])))
        return self._by_reel(clip)

    def _by_reel(self, clip: otio.schema.Clip) -> int | None:
        edl = clip.metadata.get("cmx_3600")
        reel = REEL_PATTERN.match(str(edl.get("reel", ""))) if isinstance(edl, Mapping) else None
        if reel is None or clip.source_range is None:
            return None
        source = clip.source_range.start_time.to_seconds()
        for shot_id, segment in self.segments.items():
            if self.sequence_of[shot_id]["number"] != int(reel[1]) or segment is None:
                continue
            if segment[0] <= source + 1e-6 < segment[0] + segment[1]:
                return shot_id
        return None

    def exported_seconds(self, shot_id: int) -> float:
        segment = self.segments[shot_id]
        return segment[1] if segment is not None else self.shots[shot_id]["duration"]

    def label(self, shot_id: int) -> str:
        sequence = self.sequence_of[shot_id]
        return clip_name(sequence["number"], sequence["shots"].index(self.shots[shot_id]) + 1)


def _new_duration(seconds: float, index: _Index, shot_id: int, frame: float, problems) -> int:
    shot = index.shots[shot_id]
    if abs(seconds - index.exported_seconds(shot_id)) < frame / 2:
        return shot["duration"]
    whole = math.floor(seconds + 0.5)
    kept = min(max(whole, MIN_SHOT_SECONDS), MAX_SHOT_SECONDS)
    if kept != whole:
        problems.append(
            f"{index.label(shot_id)} lasts {seconds:.2f} s in the edit; a shot lasts "
            f"{MIN_SHOT_SECONDS} to {MAX_SHOT_SECONDS} s, so it becomes {kept} s."
        )
    return kept


def proposal_of(timeline: otio.schema.Timeline, reel: dict) -> dict:
    """{"proposal": {"sequences": [...]}, "changes": [...], "problems": [...]}."""
    index, frame = _Index(reel), 1 / timeline_rate(reel)
    edited: dict[int, float] = {}  # shot id -> seconds, in the edit's order
    problems: list[str] = []
    for position, clip in enumerate(edited_clips(timeline), start=1):
        shot_id = index.match(clip)
        seconds = clip.source_range.duration.to_seconds() if clip.source_range else math.nan
        if shot_id is None:
            problems.append(f"Clip {position} “{clip.name}” matches no shot: it is left out.")
        elif shot_id in edited:
            problems.append(f"{index.label(shot_id)} is used twice: its first use counts.")
        elif not math.isfinite(seconds):
            problems.append(f"Clip {position} “{clip.name}” has no readable duration.")
        else:
            edited[shot_id] = seconds
    proposal, changes = [], []
    for sequence in reel["sequences"]:
        current = [shot["id"] for shot in sequence["shots"]]
        moved = iter([shot_id for shot_id in edited if shot_id in set(current)])
        # A shot missing from the edit keeps its place; the others fill the rest in order.
        order = [shot_id if shot_id not in edited else next(moved) for shot_id in current]
        for shot_id in current:
            if shot_id not in edited:
                problems.append(
                    f"{index.label(shot_id)} is not in the edit: it keeps its place and length."
                )
        rows, sequence_changes = [], []
        for shot_id in order:
            shot = index.shots[shot_id]
            duration = shot["duration"]
            if shot_id in edited:
                duration = _new_duration(edited[shot_id], index, shot_id, frame, problems)
            if duration != shot["duration"]:
                sequence_changes.append(
                    f"{index.label(shot_id)}: {shot['duration']} s → {duration} s"
                )
            rows.append(
                {
                    "id": shot_id,
                    "version": shot["version"],
                    "position": shot["position"],
                    "duration": duration,
                }
            )
        if order != current:
            labels = ", ".join(index.label(shot_id) for shot_id in order)
            sequence_changes.insert(0, f"S{sequence['number']:02d}: new order {labels}")
        if sequence_changes:
            proposal.append({"id": sequence["id"], "number": sequence["number"], "shots": rows})
            changes.extend(sequence_changes)
    return {"proposal": {"sequences": proposal}, "changes": changes, "problems": problems}
