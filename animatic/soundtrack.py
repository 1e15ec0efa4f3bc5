"""The animatic's soundtrack and subtitle cues: every line spoken by its voice, placed in its
shot, mixed into one track.

Lines follow one another in their shot: the first starts LINE_LEAD_SECONDS after the cut, each
next one LINE_GAP_SECONDS after the one before ends, and a line still speaking when its shot ends
is cut off there (validation warns about that before the job is made). Each line's subtitle is
up from the frame its speech starts to a moment after it ends. Pure: no Django.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import av
import numpy as np

from animatic.encode import CHANNELS, SAMPLE_RATE
from animatic.plan import Line, Plan, RenderError
from animatic.speech import synthesize
from script.voices import (
    LINE_GAP_SECONDS,
    LINE_LEAD_SECONDS,
    SpeechUnavailable,
    Voice,
    voice_for,
)

# espeak-ng runs as a process per line: a few at once keep both cores busy.
SYNTHESIS_WORKERS = 4
# Samples quieter than this at either end of a line are espeak's padding, not speech.
SILENCE_LEVEL = 1e-3
# A subtitle stays up this long after its speech ends (unless the next line or the shot ends).
SUBTITLE_HOLD_SECONDS = 0.3
# A line cut off by the end of its shot fades out over this long instead of clicking.
CUT_FADE_SECONDS = 0.02
# Peak level of speech in the mix: loud and clear, with headroom for the AAC encoder.
SPEECH_PEAK = 0.8
VOICE_OVER_MARK = "(V.O.)"


@dataclass(frozen=True)
class Cue:
    """A line's subtitle, up from frame `start` to before frame `stop` (sequence frames)."""

    shot: int  # position of the shot in the plan
    start: int
    stop: int
    speaker: str
    text: str


@dataclass(frozen=True)
class Soundtrack:
    samples: np.ndarray | None  # planar float32 (CHANNELS, n) at SAMPLE_RATE; None: no audio
    cues: list[Cue]


def _voice(line: Line) -> Voice:
    return voice_for(line.language, line.delivery, line.accent, line.voice)


def _speech(text: str, voice: Voice) -> np.ndarray:
    """`text` spoken by `voice` at SAMPLE_RATE, without leading or trailing padding."""
    try:
        samples, rate = synthesize(text, voice)
    except SpeechUnavailable as error:
        raise RenderError(str(error)) from error
    loud = np.flatnonzero(np.abs(samples) > SILENCE_LEVEL)
    if not loud.size:
        return np.zeros(0, dtype=np.float32)
    samples = samples[loud[0] : loud[-1] + 1]
    if rate != SAMPLE_RATE:
        samples = _resample(samples, rate)
    peak = float(np.abs(samples).max()) or 1.0
    return (samples * (SPEECH_PEAK / peak)).astype(np.float32)


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    resampler = av.AudioResampler(format="flt", layout="mono", rate=SAMPLE_RATE)
    frame = av.AudioFrame.from_ndarray(samples[np.newaxis, :], format="flt", layout="mono")
    frame.sample_rate = rate
    out = [f.to_ndarray()[0] for f in resampler.resample(frame)]
    out += [f.to_ndarray()[0] for f in resampler.resample(None)]
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def _label(line: Line) -> str:
    if line.voice_over:
        return f"{line.speaker} {VOICE_OVER_MARK}" if line.speaker else VOICE_OVER_MARK
    return line.speaker


def speak(layout: Plan) -> Soundtrack:
    """Speak every line of `layout`, place it, and time its subtitle. Raises RenderError when
    the voices cannot run."""
    lines = [(position, line) for position, shot in enumerate(layout.shots) for line in shot.lines]
    wanted = {(line.text, _voice(line)) for _, line in lines}
    with ThreadPoolExecutor(max_workers=SYNTHESIS_WORKERS) as pool:
        spoken = dict(zip(wanted, pool.map(lambda key: _speech(*key), wanted), strict=True))

    fps = layout.fps
    total = round(layout.frames / fps * SAMPLE_RATE)
    mix = np.zeros(total, dtype=np.float32)
    cues: list[Cue] = []
    for position, shot in enumerate(layout.shots):
        shot_end = (shot.start + shot.frames) / fps
        at = shot.start / fps + LINE_LEAD_SECONDS
        placed: list[tuple[float, float, Line]] = []
        for line in shot.lines:
            if at >= shot_end:
                break  # no room left in the shot: validation warned about it
            speech = spoken[(line.text, _voice(line))]
            begin = round(at * SAMPLE_RATE)
            end = min(begin + speech.size, round(shot_end * SAMPLE_RATE), total)
            piece = speech[: end - begin].copy()
            if end - begin < speech.size:
                fade = min(piece.size, round(CUT_FADE_SECONDS * SAMPLE_RATE))
                piece[piece.size - fade :] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
            mix[begin:end] += piece
            placed.append((at, end / SAMPLE_RATE, line))
            at = end / SAMPLE_RATE + LINE_GAP_SECONDS
        for index, (begin_s, end_s, line) in enumerate(placed):
            next_start = placed[index + 1][0] if index + 1 < len(placed) else shot_end
            stop_s = min(end_s + SUBTITLE_HOLD_SECONDS, next_start, shot_end)
            start, stop = round(begin_s * fps), round(stop_s * fps)
            if stop > start:
                cues.append(Cue(position, start, stop, _label(line), line.text))
    if not layout.audio:
        return Soundtrack(None, cues)
    np.clip(mix, -1.0, 1.0, out=mix)
    return Soundtrack(np.repeat(mix[np.newaxis, :], CHANNELS, axis=0), cues)
