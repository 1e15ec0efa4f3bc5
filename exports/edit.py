"""The edit: the reel (exports/reel.py) as editing software reads it — an OpenTimelineIO
`Timeline`, written as OTIO itself, CMX 3600 EDL, Final Cut Pro 7 XML or FCPXML. ("Edit" is our
word for it; "timeline" means the editor's, docs/ARCHITECTURE.md.)

One video track, one clip per shot, cut at the shot's boundaries inside its sequence's take:
the take was rendered from the shots in order, so shot k starts where the durations before it
end (the durations the take's job froze, since the storyboard may have changed since). A shot
the take does not cover (no take, or a shot added after it) is a clip with a missing reference
of the shot's length, so the edit keeps its timing. No audio track: the takes' sound is in the
same files and every editor links it from the video clip.

User text (the title, speakers, lines) enters the timeline through `one_line`: the EDL is
one record per line and XML 1.0 cannot carry control characters (exports/plain_text.py).

Pure: no settings or database, so the tests and the benchmark build timelines from plain dicts.
"""

from dataclasses import dataclass

import opentimelineio as otio

from exports.plain_text import one_line
from storyboard_app.models import LINE_CONTENT_FIELDS

DEFAULT_FPS = 24
MEDIA_DIR = "media"
LINE_COLOR = otio.schema.MarkerColor.RED
VOICE_OVER_COLOR = otio.schema.MarkerColor.BLUE
# The storyboard's own fields a clip carries under metadata["storyboard"].
SHOT_METADATA = ("shot_size", "camera_angle", "camera_movement", "text", "lettering")


@dataclass(frozen=True)
class Format:
    adapter: str
    extension: str
    content_type: str


FORMATS = {
    "otio": Format("otio_json", "otio", "application/json"),
    "edl": Format("cmx_3600", "edl", "text/plain; charset=utf-8"),
    "fcp7": Format("fcp_xml", "xml", "application/xml"),
    "fcpx": Format("fcpx_xml", "fcpxml", "application/xml"),
}


def clip_name(sequence_number: int, shot_number: int) -> str:
    return f"S{sequence_number:02d} Shot {shot_number:02d}"


def timeline_rate(reel: dict) -> float:
    """The first take's frame rate (the takes of one provider share it) if timecode can count
    in it (EDL and FCP XML need that; a 4 fps animatic cannot), else the default."""
    for sequence in reel["sequences"]:
        if sequence["take"]:
            rate = sequence["take"]["fps"]
            return rate if otio.opentime.RationalTime.is_valid_timecode_rate(rate) else DEFAULT_FPS
    return DEFAULT_FPS


def _time(seconds: float, rate: float) -> otio.opentime.RationalTime:
    # Whole frames: editors and EDL timecodes cannot cut between two frames.
    return otio.opentime.RationalTime(round(seconds * rate), rate)


def _span(start: float, duration: float, rate: float) -> otio.opentime.TimeRange:
    return otio.opentime.TimeRange(_time(start, rate), _time(duration, rate))


def shot_segments(sequence: dict) -> list[tuple[float, float] | None]:
    """(start, duration) in seconds inside the take for each shot, None where it has none."""
    take = sequence["take"]
    if take is None:
        return [None] * len(sequence["shots"])
    durations = take["shot_durations"] or [shot["duration"] for shot in sequence["shots"]]
    segments: list[tuple[float, float] | None] = []
    start = 0.0
    for index in range(len(sequence["shots"])):
        if index >= len(durations) or start >= take["duration"]:
            segments.append(None)
            continue
        segments.append((start, min(durations[index], take["duration"] - start)))
        start += durations[index]
    return segments


def _speaker(line: dict) -> str:
    return one_line(line["speaker"]).strip() or ("Voice-over" if line["voice_over"] else "Line")


def _markers(shot: dict, clip_range: otio.opentime.TimeRange) -> list[otio.schema.Marker]:
    """One marker per dialogue line, the lines sharing the clip evenly in their order (the
    storyboard does not time lines, and the renderer speaks them one after another)."""
    lines = shot["dialogue"]
    rate = clip_range.duration.rate
    share = clip_range.duration.value / max(len(lines), 1)
    markers = []
    for index, line in enumerate(lines):
        start = clip_range.start_time + otio.opentime.RationalTime(round(index * share), rate)
        marker = otio.schema.Marker(
            name=_speaker(line),
            marked_range=otio.opentime.TimeRange(
                start, otio.opentime.RationalTime(max(round(share), 1), rate)
            ),
            color=VOICE_OVER_COLOR if line["voice_over"] else LINE_COLOR,
            comment=one_line(line["text"]),
        )
        marker.metadata["storyboard"] = {key: line[key] for key in LINE_CONTENT_FIELDS}
        markers.append(marker)
    return markers


def _clip(sequence: dict, index: int, segment, rate: float) -> otio.schema.Clip:
    shot = sequence["shots"][index]
    take = sequence["take"]
    if segment is None:
        reference = otio.schema.MissingReference()
        source = _span(0, shot["duration"], rate)
    else:
        reference = otio.schema.ExternalReference(
            target_url=f"{MEDIA_DIR}/{take['media_name']}",
            available_range=_span(0, take["duration"], rate),
        )
        source = _span(*segment, rate)
    clip = otio.schema.Clip(
        name=clip_name(sequence["number"], index + 1),
        media_reference=reference,
        source_range=source,
    )
    clip.metadata["storyboard"] = {
        "sequence_id": sequence["id"],
        "sequence_number": sequence["number"],
        "sequence_title": sequence["title"],
        "shot_id": shot["id"],
        "shot_number": index + 1,
        "shot_version": shot["version"],
        "duration": shot["duration"],
        "take_id": take["id"] if take and segment else None,
        **{key: shot[key] for key in SHOT_METADATA},
        "dialogue": [dict(line) for line in shot["dialogue"]],
    }
    # The EDL's reel: the writer would make one of the file or clip name, spaces included,
    # which readers split as separate columns; an explicit one says the sequence and whether
    # it is the take (what edit_import matches an unnamed event by).
    blank = "BLANK" if segment is None else "TAKE"
    clip.metadata["cmx_3600"] = {"reel": f"S{sequence['number']:02d}{blank}"}
    clip.markers.extend(_markers(shot, source))
    return clip


def timeline_of(reel: dict) -> otio.schema.Timeline:
    rate = timeline_rate(reel)
    timeline = otio.schema.Timeline(name=one_line(reel["title"]).strip() or "Storyboard")
    timeline.metadata["storyboard"] = {"project_id": reel["id"], "fps": rate}
    track = otio.schema.Track(name="Video", kind=otio.schema.TrackKind.Video)
    timeline.tracks.append(track)
    for sequence in reel["sequences"]:
        for index, segment in enumerate(shot_segments(sequence)):
            track.append(_clip(sequence, index, segment, rate))
    return timeline


def write(timeline: otio.schema.Timeline, kind: str) -> tuple[str, Format]:
    """The timeline as the text of format `kind` (a key of FORMATS), and that format."""
    chosen = FORMATS[kind]
    return otio.adapters.write_to_string(timeline, chosen.adapter), chosen
