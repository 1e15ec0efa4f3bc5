"""Is someone speaking in a sound? Pure numpy and the WebRTC voice activity detector.

The VAD alone takes a steady chord, a hum or white noise for a voice, so the sound must also
pass three measures of its "active" frames (those within 40 dB of the loudest): its spectrum is
not concentrated in a few frequencies (a tone or hum), not flat (noise), and its loudness rises
and falls the way syllables do. `find_speech(samples)` takes 16 kHz mono 16-bit samples and
returns the seconds of speech, or raises MediaRejected (400) saying what the sound is instead.
"""

import numpy as np
import webrtcvad

from media.errors import BAD_CONTENT, MediaRejected

ANALYSIS_RATE = 16_000  # the VAD takes 8, 16, 32 or 48 kHz; speech lies below 8 kHz
FRAME_SAMPLES = 480  # 30 ms, one of the VAD's three frame lengths
FRAME_SECONDS = FRAME_SAMPLES / ANALYSIS_RATE
VAD_AGGRESSIVENESS = 3  # 0–3: 3 calls a frame speech least readily
VAD_PEAK = 0.9  # the VAD hears the clip with its loudest sample raised (or lowered) to this
FULL_SCALE = 32768.0

SILENT_PEAK_DBFS = -45.0  # a clip whose loudest sample is quieter than this is silent
ACTIVE_WITHIN_DB = 40.0  # frames quieter than the loudest frame by more than this are pauses
# A tone or hum: most of the clip's energy in a few frequencies. Speech spreads its energy as
# its pitch and vowels change (espeak voices: 20–30 % in the 5 strongest of 241 bands; a sine or
# a dial tone: over 95 %).
TONE_BANDS = 5
TONE_CONCENTRATION = 0.6
# Noise: a flat spectrum. Spectral flatness is 0 for a pure tone and about 0.56 for white noise;
# spoken frames stay under 0.05.
NOISE_FLATNESS = 0.3
# Speech rises and falls syllable by syllable: the loudness of its active frames varies by
# 60–75 % (coefficient of variation); a steady sound by under 30 %.
MIN_LOUDNESS_VARIATION = 0.35
MIN_SPEECH_SECONDS = 1.5

RECORD_INSTEAD = "upload a recording of someone speaking"


def find_speech(samples: np.ndarray) -> float:
    """Seconds of speech in `samples` (16 kHz mono int16); MediaRejected if there is none."""
    usable = samples.size // FRAME_SAMPLES * FRAME_SAMPLES
    frames = samples[:usable].reshape(-1, FRAME_SAMPLES)
    peak = int(np.abs(frames.astype(np.int32)).max()) if frames.size else 0
    if peak == 0 or 20 * np.log10(peak / FULL_SCALE) < SILENT_PEAK_DBFS:
        raise MediaRejected(f"The voice clip is silent; {RECORD_INSTEAD}.", BAD_CONTENT)

    levels = frames.astype(np.float32) / FULL_SCALE
    rms = np.sqrt((levels**2).mean(axis=1))
    active = rms > rms.max() * 10 ** (-ACTIVE_WITHIN_DB / 20)
    power = np.abs(np.fft.rfft(levels[active] * np.hanning(FRAME_SAMPLES), axis=1)) ** 2 + 1e-12

    spectrum = power.sum(axis=0)
    if np.sort(spectrum)[-TONE_BANDS:].sum() / spectrum.sum() > TONE_CONCENTRATION:
        raise MediaRejected(
            f"The voice clip is a steady tone or hum, not speech; {RECORD_INSTEAD}.", BAD_CONTENT
        )
    flatness = np.exp(np.log(power).mean(axis=1)) / power.mean(axis=1)
    if np.median(flatness) > NOISE_FLATNESS:
        raise MediaRejected(f"The voice clip is noise, not speech; {RECORD_INSTEAD}.", BAD_CONTENT)
    active_rms = rms[active]
    if active_rms.std() / active_rms.mean() < MIN_LOUDNESS_VARIATION:
        raise MediaRejected(
            f"The voice clip is a steady sound, not speech; {RECORD_INSTEAD}.", BAD_CONTENT
        )

    # The VAD ignores quiet sound; a clip recorded far from the microphone is speech all the same.
    louder = np.clip(frames.astype(np.float32) * (VAD_PEAK * FULL_SCALE / peak), -32768, 32767)
    vad = webrtcvad.Vad(VAD_AGGRESSIVENESS)
    voiced = np.array(
        [vad.is_speech(frame.tobytes(), ANALYSIS_RATE) for frame in louder.astype(np.int16)]
    )
    speaking = voiced.copy()
    speaking[active] &= flatness <= NOISE_FLATNESS
    speaking[~active] = False
    seconds = float(speaking.sum() * FRAME_SECONDS)
    if seconds < MIN_SPEECH_SECONDS:
        raise MediaRejected(
            f"The voice clip has {seconds:.1f} s of speech; it needs at least "
            f"{MIN_SPEECH_SECONDS:g} s of someone speaking.",
            BAD_CONTENT,
        )
    return round(seconds, 2)
