"""check_voice: speech passes normalised as browser-playable M4A; silence, tones, noise do not.

Pure: no database. Speech is made by espeak-ng in five languages; tones, noise and silence
with numpy; other containers (MP3, M4A, OGG) by re-encoding with PyAV.
"""

from pathlib import Path

import av
import numpy as np
import pytest

from media import MediaRejected, check_voice
from media import audio as media_audio
from tests import media_samples as samples

LINES = {
    "en": "Hello, my name is Mara. I keep the lighthouse on the northern cape.",
    "cmn": "你好，我叫玛拉。今天渡轮不开，我们得等到明天早上。",
    "es": "Hola, me llamo Mara. Hoy no sale el ferry, tenemos que esperar.",
    "ja": "こんにちは、私はマラです。今日はフェリーが出ません。",
    "ko": "안녕하세요, 저는 마라입니다. 오늘은 배가 안 떠요.",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("voices")


@pytest.fixture(scope="module")
def english(folder) -> Path:
    return samples.speech_wav(folder / "en.wav", LINES["en"])


def samples_of(path: Path) -> tuple[np.ndarray, av.AudioStream]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        resampler = av.AudioResampler(format="flt", layout="mono", rate=stream.rate)
        chunks = [
            out.to_ndarray().reshape(-1)
            for frame in [*container.decode(stream), None]
            for out in resampler.resample(frame)
        ]
        return np.concatenate(chunks), stream


def decibels(value: float) -> float:
    return 20 * np.log10(value)


def refused(path: Path) -> MediaRejected:
    with pytest.raises(MediaRejected) as caught:
        check_voice(str(path))
    return caught.value


# Speech passes


@pytest.mark.parametrize("language", list(LINES))
def test_speech_in_each_language_passes(folder, language):
    path = samples.speech_wav(folder / f"{language}.wav", LINES[language], voice=language)

    voice = check_voice(str(path))

    assert voice.extension == "m4a"
    assert voice.duration >= 3
    assert 1.5 <= voice.speech_seconds <= voice.duration


def test_the_voice_is_aac_in_an_m4a_that_a_browser_plays_while_loading(english, tmp_path):
    output = tmp_path / "voice.m4a"
    output.write_bytes(check_voice(str(english)).content)

    with av.open(str(output)) as container:
        stream = container.streams.audio[0]
        assert container.format.name.startswith("mov,mp4")
        assert (stream.codec_context.name, stream.rate, stream.channels) == ("aac", 48_000, 1)
    content = output.read_bytes()
    assert content.index(b"moov") < content.index(b"mdat"), "the index comes first (faststart)"


@pytest.mark.parametrize("gain", [0.01, 1.0], ids=["whispered at -40 dB", "at full level"])
def test_the_voice_is_normalised_to_the_same_loudness(english, tmp_path, gain):
    speech, _ = samples_of(english)
    source = samples.write_wav(tmp_path / "speech.wav", speech * gain, rate=22_050)
    output = tmp_path / "voice.m4a"

    output.write_bytes(check_voice(str(source)).content)

    normalised, _ = samples_of(output)
    assert -20 < decibels(np.sqrt(np.mean(normalised**2))) < -14
    assert decibels(np.abs(normalised).max()) < -0.3, "headroom is kept: it never clips"


@pytest.mark.parametrize(
    ("codec", "container", "name"),
    [("libmp3lame", "mp3", "voice.mp3"), ("aac", "mp4", "voice.m4a"), ("libopus", "ogg", "v.ogg")],
)
def test_mp3_m4a_and_ogg_pass_by_their_content(english, tmp_path, codec, container, name):
    encoded = samples.encode_audio(english, tmp_path / name, codec, container)
    renamed = tmp_path / "no-extension"
    renamed.write_bytes(encoded.read_bytes())

    assert check_voice(str(renamed)).speech_seconds >= 1.5


def test_speech_over_background_noise_still_passes(english, tmp_path):
    speech, stream = samples_of(english)
    noise = np.random.default_rng(1).normal(0, np.sqrt(np.mean(speech**2)) / 10**0.5, speech.size)
    noisy = samples.write_wav(tmp_path / "noisy.wav", speech + noise, rate=stream.rate)

    assert check_voice(str(noisy)).speech_seconds >= 1.5


# Refused: the test corpus


@pytest.mark.parametrize(
    ("sound", "says"),
    [
        (samples.silence(5), "The voice clip is silent"),
        (samples.tone(5, 440), "The voice clip is a steady tone or hum, not speech"),
        (samples.tone(5, 350, 0.25) + samples.tone(5, 440, 0.25), "a steady tone or hum"),
        (samples.white_noise(5), "The voice clip is noise, not speech"),
    ],
    ids=["silence", "a 440 Hz tone", "a dial tone (the VAD calls it speech)", "white noise"],
)
def test_a_clip_without_speech_is_refused_saying_what_it_is(tmp_path, sound, says):
    rejection = refused(samples.write_wav(tmp_path / "sound.wav", sound))

    assert rejection.status == 400
    assert says in rejection.message


def test_a_clip_with_too_little_speech_says_how_much_it_has(english, tmp_path):
    speech, stream = samples_of(english)
    mostly_quiet = np.concatenate([speech[: stream.rate], np.zeros(4 * stream.rate)])

    rejection = refused(samples.write_wav(tmp_path / "short.wav", mostly_quiet, stream.rate))

    assert rejection.status == 400
    assert "s of speech; it needs at least 1.5 s of someone speaking." in rejection.message


@pytest.mark.parametrize(("seconds", "shown"), [(2.0, "2.0"), (40.0, "40.0")])
def test_a_clip_too_short_or_too_long_is_refused_with_its_length(english, tmp_path, seconds, shown):
    speech, stream = samples_of(english)
    repeats = int(seconds * stream.rate // speech.size) + 1
    clip = np.tile(speech, repeats)[: int(seconds * stream.rate)]

    rejection = refused(samples.write_wav(tmp_path / "clip.wav", clip, stream.rate))

    assert rejection.status == 400
    assert rejection.message == f"The voice clip is {shown} s long; a voice clip must be 3 to 30 s."


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "The file is empty"),
        (b"This is the script of the scene, not a recording.\n" * 40, "This is a text file"),
        (samples.photo((400, 300), "PNG"), "This is a PNG image, not an MP3, WAV, M4A or OGG"),
    ],
    ids=["zero bytes", "text renamed .mp3", "a picture renamed .mp3"],
)
def test_what_is_not_sound_is_refused_as_the_wrong_type(tmp_path, content, says):
    path = tmp_path / "voice.mp3"
    path.write_bytes(content)

    rejection = refused(path)

    assert rejection.status == 415
    assert says in rejection.message


def test_a_video_without_sound_is_not_a_voice(tmp_path):
    mute = samples.video(tmp_path / "mute.mp4", 1, size=(320, 180))

    rejection = refused(mute)

    assert rejection.status == 415
    assert "no sound" in rejection.message


def test_a_clip_over_the_byte_limit_is_refused_before_it_is_opened(english, monkeypatch):
    monkeypatch.setattr(media_audio, "MAX_AUDIO_BYTES", 10_000)
    monkeypatch.setattr(media_audio, "open_media", lambda *a: pytest.fail("opened"))

    rejection = refused(english)

    assert rejection.status == 413
    assert "the limit is" in rejection.message
