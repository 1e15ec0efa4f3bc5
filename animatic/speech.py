"""Speaking a line for the animatic: espeak-ng (a Debian package, nothing downloaded at run time)
with the voice `script.voices.voice_for` chose, into mono float samples. Pure: no Django.
"""

import io
import shutil
import subprocess
import wave

import numpy as np

from script.voices import (
    ESPEAK,
    JAPANESE,
    SYNTHESIS_TIMEOUT_SECONDS,
    SpeechUnavailable,
    Voice,
    kana_reading,
)


def speakable(text: str, voice: Voice) -> str:
    """`text` as `voice` can read it."""
    return kana_reading(text) if voice.name == JAPANESE else text


def synthesize(text: str, voice: Voice) -> tuple[np.ndarray, int]:
    """`text` spoken by `voice`: mono float32 samples in -1…1 and their sample rate."""
    if shutil.which(ESPEAK) is None:
        raise SpeechUnavailable("espeak-ng is not installed (apt-get install espeak-ng)")
    command = [
        ESPEAK,
        "-v",
        f"{voice.name}+{voice.variant}",
        "-s",
        str(voice.rate),
        "-p",
        str(voice.pitch),
        "--stdout",
        # The text comes last, after "--", so a line starting with "-" is not an option.
        "--",
        speakable(text, voice),
    ]
    try:
        result = subprocess.run(
            command, capture_output=True, check=True, timeout=SYNTHESIS_TIMEOUT_SECONDS
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
        raise SpeechUnavailable(f"espeak-ng could not speak the line: {error}") from error
    with wave.open(io.BytesIO(result.stdout)) as wav:
        rate = wav.getframerate()
        pcm = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return pcm.astype(np.float32) / 32768.0, rate
