"""The storyboard rules: limits as named constants and the check of a sequence against them.

Pure Python, no Django: the API, the editor (which receives `limits()` from the server) and the
job compiler all use this one module. A sequence is checked as plain data (`SequenceDraft`), so
the same rules run on saved rows, on a request body, or on a director's split.

Two kinds of limits live here:
- storage limits (`MAX_*_STORED`): a save beyond them is refused with a 400;
- model limits: the storyboard can be saved while over them (a director trims later), but it
  cannot be generated; `check_sequence` reports them per field.
"""

import re
from dataclasses import dataclass, field

from elements_app.mentions import HandleIndex, find_mentions

# Model limits (Kling 3.0 multi-shot storyboard, see shared/kling_api.md "Decisions").
MIN_SEQUENCE_SECONDS = 3
MAX_SEQUENCE_SECONDS = 15
MIN_SHOT_SECONDS = 1
MAX_SHOTS = 6
MAX_SHOT_PROMPT_CHARS = 512
MAX_WHOLE_PROMPT_CHARS = 2500
MAX_NEGATIVE_PROMPT_CHARS = 2500

# Storage limits: what one save may hold at all.
MAX_SHOT_SECONDS_STORED = 60
MAX_TEXT_STORED = 4000
MAX_SHORT_TEXT_STORED = 200
MAX_DIALOGUE_LINES_STORED = 20
MAX_SHOTS_STORED = 30
MAX_SEED = 2**31 - 1
# Stored text may hold tabs and newlines but no other control characters.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

# Natural speaking rates, in characters per second, to check that dialogue fits its shot.
# Alphabetic scripts count letters and spaces; CJK counts characters (syllables for Hangul).
SPEAKING_CHARS_PER_SECOND = {"en": 15.0, "es": 15.0, "zh": 4.5, "ja": 7.0, "ko": 6.0}
DEFAULT_SPEAKING_CHARS_PER_SECOND = 12.0


@dataclass(frozen=True)
class LineDraft:
    speaker: str
    text: str
    language: str = "auto"
    delivery: str = ""
    voice_over: bool = False


@dataclass(frozen=True)
class ShotDraft:
    duration: int
    text: str = ""
    shot_size: str = "medium"
    camera_angle: str = "eye_level"
    camera_movement: str = "static"
    lettering: str = ""
    dialogue: tuple[LineDraft, ...] = ()


@dataclass(frozen=True)
class SequenceDraft:
    mode: str = "custom"
    prompt: str = ""
    negative_prompt: str = ""
    auto_duration: int = 5
    shots: tuple[ShotDraft, ...] = ()
    # The handles of the elements the project may use; None skips the check of @mentions.
    handles: HandleIndex | None = None


@dataclass
class Report:
    errors: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    shot_prompt_chars: list[int] = field(default_factory=list)
    whole_prompt_chars: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def limits() -> dict[str, object]:
    """The limits the editor shows and checks as the user types (sent by the server)."""
    return {
        "min_sequence_seconds": MIN_SEQUENCE_SECONDS,
        "max_sequence_seconds": MAX_SEQUENCE_SECONDS,
        "min_shot_seconds": MIN_SHOT_SECONDS,
        "max_shots": MAX_SHOTS,
        "max_shot_prompt_chars": MAX_SHOT_PROMPT_CHARS,
        "max_whole_prompt_chars": MAX_WHOLE_PROMPT_CHARS,
        "max_negative_prompt_chars": MAX_NEGATIVE_PROMPT_CHARS,
        "max_shot_seconds_stored": MAX_SHOT_SECONDS_STORED,
        "max_text_stored": MAX_TEXT_STORED,
    }


def _words(choice_value: str) -> str:
    return choice_value.replace("_", " ")


def shot_prompt(shot: ShotDraft) -> str:
    """The text a model receives for one shot: framing, action, lettering, then dialogue."""
    framing = [_words(shot.shot_size)]
    if shot.camera_angle != "eye_level":
        framing.append(f"{_words(shot.camera_angle)} angle")
    if shot.camera_movement != "static":
        framing.append(f"camera {_words(shot.camera_movement)}")
    parts = [", ".join(framing).capitalize() + "."]
    if shot.text.strip():
        parts.append(shot.text.strip())
    if shot.lettering.strip():
        parts.append(f'On-screen text: "{shot.lettering.strip()}".')
    for line in shot.dialogue:
        who = "Voice-over" if line.voice_over else (line.speaker.strip() or "Someone")
        how = f" ({line.delivery.strip()})" if line.delivery.strip() else ""
        parts.append(f'{who}{how}: "{line.text.strip()}"')
    return " ".join(parts)


def speaking_seconds(line: LineDraft) -> float:
    """Seconds a line takes at a natural speaking rate for its language."""
    rate = SPEAKING_CHARS_PER_SECOND.get(line.language, DEFAULT_SPEAKING_CHARS_PER_SECOND)
    return len(line.text.strip()) / rate


def sequence_duration(draft: SequenceDraft) -> int:
    if draft.mode == "auto":
        return draft.auto_duration
    return sum(shot.duration for shot in draft.shots)


def check_sequence(draft: SequenceDraft) -> Report:
    """Every rule a sequence must pass before it can be generated, errors keyed by field path."""
    report = Report()
    total = sequence_duration(draft)
    if not MIN_SEQUENCE_SECONDS <= total <= MAX_SEQUENCE_SECONDS:
        report.error(
            "duration",
            f"The sequence lasts {total} s; it must last between {MIN_SEQUENCE_SECONDS} "
            f"and {MAX_SEQUENCE_SECONDS} s.",
        )
    if len(draft.negative_prompt) > MAX_NEGATIVE_PROMPT_CHARS:
        report.error(
            "negative_prompt",
            f"The negative prompt is {len(draft.negative_prompt)} characters; "
            f"the limit is {MAX_NEGATIVE_PROMPT_CHARS}.",
        )
    if draft.mode == "auto":
        _check_auto(draft, report)
    else:
        _check_custom(draft, report)
    return report


def _check_auto(draft: SequenceDraft, report: Report) -> None:
    report.whole_prompt_chars = len(draft.prompt)
    if not draft.prompt.strip():
        report.error("prompt", "An auto sequence needs a direction prompt.")
    elif len(draft.prompt) > MAX_WHOLE_PROMPT_CHARS:
        report.error(
            "prompt",
            f"The prompt is {len(draft.prompt)} characters; the limit is {MAX_WHOLE_PROMPT_CHARS}.",
        )


def _check_custom(draft: SequenceDraft, report: Report) -> None:
    if not draft.shots:
        report.error("shots", "Add at least one shot.")
    elif len(draft.shots) > MAX_SHOTS:
        report.error(
            "shots", f"A sequence holds at most {MAX_SHOTS} shots; this one has {len(draft.shots)}."
        )
    whole = 0
    for index, shot in enumerate(draft.shots):
        number = index + 1
        if shot.duration < MIN_SHOT_SECONDS:
            report.error(
                f"shots.{index}.duration",
                f"Shot {number} must last at least {MIN_SHOT_SECONDS} s.",
            )
        prompt_chars = len(shot_prompt(shot))
        report.shot_prompt_chars.append(prompt_chars)
        whole += prompt_chars
        if prompt_chars > MAX_SHOT_PROMPT_CHARS:
            report.error(
                f"shots.{index}.text",
                f"Shot {number}'s prompt (framing, action, lettering and dialogue) is "
                f"{prompt_chars} characters; the limit is {MAX_SHOT_PROMPT_CHARS}.",
            )
        if draft.handles is not None:
            _check_mentions(draft.handles, shot, index, report)
        spoken = sum(speaking_seconds(line) for line in shot.dialogue)
        if spoken > shot.duration:
            report.warnings.append(
                f"Shot {number}: its dialogue takes about {spoken:.1f} s to speak "
                f"but the shot lasts {shot.duration} s."
            )
    report.whole_prompt_chars = whole
    if whole > MAX_WHOLE_PROMPT_CHARS:
        report.error(
            "prompt",
            f"The whole prompt (all shots) is {whole} characters; "
            f"the limit is {MAX_WHOLE_PROMPT_CHARS}.",
        )


def _check_mentions(handles: HandleIndex, shot: ShotDraft, index: int, report: Report) -> None:
    for mention in find_mentions(shot.text, handles):
        if mention.handle is None:
            report.error(
                f"shots.{index}.text",
                f"@{mention.written} is not an element of this project's libraries.",
            )
    for order, line in enumerate(shot.dialogue):
        speaker = line.speaker.strip()
        if speaker.startswith("@"):
            found = find_mentions(speaker, handles)
            if not found or found[0].handle is None or found[0].end != len(speaker):
                report.error(
                    f"shots.{index}.dialogue.{order}.speaker",
                    f"{speaker} is not an element of this project's libraries.",
                )
