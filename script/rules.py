"""The storyboard rules: limits as named constants and the check of a sequence against them.

Pure Python, no Django: the API, the editor (which receives `limits()` from the server) and the
job compiler all use this one module. A sequence is checked as plain data (`SequenceDraft`), so
the same rules run on saved rows, on a request body, or on a director's split.

Two kinds of limits live here:
- storage limits (`MAX_*_STORED`): a save beyond them is refused with a 400;
- model limits: the storyboard can be saved while over them (a director trims later), but it
  cannot be generated; `check_sequence` reports them per field.

Dialogue that will not fit its shot is a warning, timed with the rates of the animatic's own
voice (script/voices.py, also pure) and placed in the shot as its renderer places lines.
"""

import math
import re
from dataclasses import dataclass, field

from script.languages import resolve_language
from script.mentions import HandleIndex, find_mentions
from script.voices import (
    LINE_GAP_SECONDS,
    LINE_LEAD_SECONDS,
    NORMAL_RATE,
    SpeechUnavailable,
    kana_reading,
    voice_for,
)

# Model limits (Kling 3.0 multi-shot storyboard, see docs/kling_api.md "Decisions").
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

# How long the animatic's voice (espeak-ng, script/voices.py) takes to say a line, to warn
# when dialogue will not fit its shot. These are espeak-ng 1.51's own rates at its default speed
# (NORMAL_RATE), in characters per second, measured by synthesizing 18 everyday lines per
# language with four speakers' voices, trimming the silence the renderer trims, and fitting
# seconds = characters / rate + clause breaks × CLAUSE_PAUSE_SECONDS. Characters are letters,
# digits and single spaces in English, Spanish and Korean (espeak pauses between Korean words),
# every character in Chinese, and the kana of the line's reading in Japanese (the voice reads
# kanji through speech.kana_reading, i.e. MeCab). A delivery's pace scales the time.
SPEAKING_CHARS_PER_SECOND = {"en": 17.0, "es": 16.1, "zh": 3.6, "ja": 8.0, "ko": 6.2}
# The espeak-ng voices of an accent or dialect whose rate is far from their language's, measured
# the same way: Cantonese says each character faster than Mandarin.
VOICE_CHARS_PER_SECOND = {"yue": 4.1}
# espeak-ng pauses at a comma, a full stop, a question mark… inside a line (runs count once;
# Latin ones only before a space, so "3.5" is no pause; the line's final mark is no pause).
CLAUSE_PAUSE_SECONDS = 0.38
CLAUSE_BREAKS = re.compile(r"[,.;:!?…]+(?=\s)|[，。、；：！？…]+")
# CLAUSE_BREAKS counted in one pass (clause_breaks): its first branch, retried from every mark
# of a long run of marks that no space follows, read the rest of the run each time (quadratic).
LATIN_BREAK_MARKS = ",.;:!?…"
BREAK_MARKS_RUN = re.compile(r"[,.;:!?…，。、；：！？]++")
CJK_BREAK_RUN = re.compile(r"[，。、；：！？…]++")
TRAILING_MARKS = " \t\n\"'”’」』)）.,;:!?…，。、；：！？"
# A language espeak-ng has no voice for is read by its English voice (speech.DEFAULT_VOICES).
FALLBACK_SPEAKING_LANGUAGE = "en"
# Counted as whole words of speech in these languages: letters and digits, and the spaces between.
SPACED_LANGUAGES = ("en", "es", "ko")


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
    """About how long the animatic's voice takes to say `line`: in its language (detected when
    "auto"), at the pace its delivery asks for, from the first sound to the last."""
    text = " ".join(line.text.split())
    language = resolve_language(line.language, text)
    if language not in SPEAKING_CHARS_PER_SECOND:
        language = FALLBACK_SPEAKING_LANGUAGE
    voice = voice_for(language, line.delivery)
    rate = VOICE_CHARS_PER_SECOND.get(voice.name, SPEAKING_CHARS_PER_SECOND[language])
    letters = [character for character in text if character.isalnum()]
    if language in SPACED_LANGUAGES:
        seconds = (len(letters) + text.count(" ")) / rate
    elif language == "ja":
        seconds = sum(1 for character in _reading(text) if character.isalnum()) / rate
    else:
        seconds = len(letters) / rate
    breaks = clause_breaks(text.rstrip(TRAILING_MARKS))
    seconds += breaks * CLAUSE_PAUSE_SECONDS
    # espeak-ng's speed is in words per minute: a faster delivery shortens everything alike.
    return seconds * NORMAL_RATE / voice.rate


def clause_breaks(text: str) -> int:
    """How many matches `CLAUSE_BREAKS.findall(text)` finds, in linear time. Matches never leave
    a run of marks: in each run, a search takes the CJK marks (and …) from each place its first
    branch fails, until it reaches the run's tail of Latin marks (… among them) when a space
    follows the run; that tail is then one match."""
    count = 0
    for run in BREAK_MARKS_RUN.finditer(text):
        marks = run.group()
        spaced = text[run.end() : run.end() + 1].isspace()
        tail = len(marks.rstrip(LATIN_BREAK_MARKS)) if spaced else len(marks)
        reached = 0
        for cjk in CJK_BREAK_RUN.finditer(marks):
            if cjk.start() >= tail:
                break
            count += 1
            reached = cjk.end()
        if spaced and max(tail, reached) < len(marks):
            count += 1
    return count


def _reading(text: str) -> str:
    """A Japanese line as the voice reads it; as written if MeCab is missing (an estimate is
    still better than an error)."""
    try:
        return kana_reading(text)
    except SpeechUnavailable:
        return text


def dialogue_overflow(shot: ShotDraft, number: int) -> str | None:
    """The warning for shot `number` when the animatic would cut its dialogue off, else None."""
    spoken = [
        (order + 1, speaking_seconds(line))
        for order, line in enumerate(shot.dialogue)
        if line.text.strip()  # the renderer skips empty lines
    ]
    index = _first_cut_off([seconds for _, seconds in spoken], shot.duration)
    if index is None:
        return None
    line_number, seconds = spoken[index]
    about = _about(seconds)
    lasts = f"shot {number} is {shot.duration} s"
    if seconds > shot.duration:
        return f"Shot {number}: line {line_number} needs about {about} s of speech; {lasts}."
    if index == 0:
        return (
            f"Shot {number}: line {line_number} needs about {about} s of speech and starts "
            f"{LINE_LEAD_SECONDS:g} s after the cut; {lasts} (its end would be cut off)."
        )
    total = LINE_LEAD_SECONDS + sum(s for _, s in spoken) + LINE_GAP_SECONDS * (len(spoken) - 1)
    consequence = f"line {line_number} would be cut off"
    if unheard := [later for later, _ in spoken[index + 1 :]]:
        consequence += f" and {_lines_named(unheard)} not heard"
    return (
        f"Shot {number}: its {len(spoken)} lines need about {_about(total)} s of speech with "
        f"pauses; {lasts} ({consequence})."
    )


def _first_cut_off(lengths: list[float], shot_seconds: float) -> int | None:
    """Which line is the first still speaking when the shot ends, placed as the renderer
    places them (animatic/soundtrack.py): the first starts LINE_LEAD_SECONDS after the
    cut, each next one LINE_GAP_SECONDS after the one before ends. None when all fit."""
    end = LINE_LEAD_SECONDS
    for index, length in enumerate(lengths):
        end += length
        if end > shot_seconds:
            return index
        end += LINE_GAP_SECONDS
    return None


def _about(seconds: float) -> str:
    """`seconds` to one decimal, rounded up, so that a length too long never reads as fitting
    (3.04 s in a 3 s shot says 3.1 s)."""
    return f"{math.ceil(round(seconds * 10, 6)) / 10:.1f}"


def _lines_named(numbers: list[int]) -> str:
    """Line numbers in words: line 3; lines 3 and 4; lines 3, 4 and 5."""
    if len(numbers) == 1:
        return f"line {numbers[0]}"
    return f"lines {', '.join(map(str, numbers[:-1]))} and {numbers[-1]}"


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
        overflow = dialogue_overflow(shot, number)
        if overflow:
            report.warnings.append(overflow)
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
