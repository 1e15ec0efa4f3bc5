"""Processing the media of one element: 5 photos of 4000×3000 and an 8 s 1080p reference video.

The media are made once (cached under BENCH_VAR_DIR/element-media): five JPEG photos at quality
90 (gradients, blurred blobs and grain: 4–5 MB each, like a phone's), and an 8 s 1920×1080
30 fps H.264 clip at 16 Mbit/s (a phone's bit rate) with a key frame every second (as phones
write them) and espeak-ng speech as AAC. A fresh Python process then imports the media
package and runs, one after another: check_image ×5, two thumbnails of each (256 and 768 px),
check_video, key_frames, sound_track and check_voice on that track. Its wall time (imports
excluded, printed apart) and its peak RSS are the figures. The peak is the process's own VmHWM
(/proc/self/status): its ru_maxrss would include the parent's resident size at the fork
(Linux carries the high-water mark over fork and exec), i.e. the media this script just made.

Also printed, without a goal: check_video + key_frames of the same clip encoded as one group of
pictures (x264's default for a short clip), which makes both decode every frame.

Goal: under 3 s and under 300 MB for all of it (2 CPUs).
"""

import json
import resource
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, VAR_DIR, Figure, arguments, report

TITLE = "Element media: 5 photos 4000×3000 + 8 s 1080p video"
MEDIA_DIR = VAR_DIR / "element-media"
MEDIA_VERSION = "1"  # bump when the made media change
PHOTOS = 5
PHOTO_SIZE = (4000, 3000)
THUMBNAIL_SIDES = (256, 768)
VIDEO_SECONDS = 8
VIDEO_SIZE = (1920, 1080)
VIDEO_BIT_RATE = 16_000_000
SPEECH = (
    "Hello, my name is Mara. I keep the lighthouse on the northern cape, "
    "and the ferry will not run today."
)
GOAL_SECONDS = 3.0
GOAL_MB = 300


def make_media() -> dict[str, Path]:
    """The bench's media files, made unless already there."""
    from tests import media_samples

    MEDIA_DIR.mkdir(parents=True, exist_ok=True)
    stamp = MEDIA_DIR / "version"
    files = {f"photo{n}": MEDIA_DIR / f"photo{n}.jpg" for n in range(PHOTOS)}
    files |= {name: MEDIA_DIR / f"{name}.mp4" for name in ("video", "one_gop_video")}
    if (
        stamp.exists()
        and stamp.read_text() == MEDIA_VERSION
        and all(p.exists() for p in files.values())
    ):
        return files
    print("Making the bench media (once) …", flush=True)
    for n in range(PHOTOS):
        files[f"photo{n}"].write_bytes(media_samples.photo(PHOTO_SIZE, "JPEG", seed=n, quality=90))
    speech = media_samples.speech_wav(MEDIA_DIR / "speech.wav", SPEECH)
    for name, gop in (("video", 30), ("one_gop_video", None)):
        media_samples.video(
            files[name],
            VIDEO_SECONDS,
            VIDEO_SIZE,
            sound=speech,
            gop=gop,
            bit_rate=VIDEO_BIT_RATE,
            preset="veryfast",
        )
    stamp.write_text(MEDIA_VERSION)
    return files


def child(files: dict[str, str]) -> dict:
    """Run in the fresh process: the timed work, its wall times and peak RSS."""
    began = time.perf_counter()
    from media import (
        check_image,
        check_video,
        check_voice,
        key_frames,
        sound_track,
        thumbnail,
    )

    steps: dict[str, float] = {"imports": time.perf_counter() - began}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - started
        started = now

    work_began = time.perf_counter()
    for n in range(PHOTOS):
        checked = check_image(Path(files[f"photo{n}"]).read_bytes())
        lap("check_image ×5")
        for side in THUMBNAIL_SIDES:
            thumbnail(checked.content, side)
        lap("thumbnails ×10")
    video = check_video(files["video"])
    lap("check_video")
    frames = key_frames(files["video"])
    lap("key_frames")
    track = sound_track(files["video"])
    lap("sound_track")
    voice = check_voice(track) if track else None
    lap("check_voice")
    work = time.perf_counter() - work_began
    Path(track).unlink(missing_ok=True) if track else None

    one_gop_began = time.perf_counter()
    check_video(files["one_gop_video"])
    key_frames(files["one_gop_video"])
    one_gop = time.perf_counter() - one_gop_began
    return {
        "work": work,
        "steps": steps,
        "max_rss_kb": peak_rss_kb(),
        "video": repr(video),
        "key_frames": len(frames),
        "speech_seconds": voice.speech_seconds if voice else None,
        "one_gop": one_gop,
    }


def peak_rss_kb() -> int:
    """This process's peak resident set (VmHWM), else ru_maxrss where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run_child(files: dict[str, Path]) -> dict:
    command = [
        sys.executable,
        __file__,
        "--child",
        json.dumps({k: str(v) for k, v in files.items()}),
    ]
    done = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, timeout=120, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"the measured process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(json.loads(sys.argv[2]))))
        return
    args = arguments(__doc__.splitlines()[0])
    files = make_media()
    result = run_child(files)
    seconds = result["work"]
    megabytes = result["max_rss_kb"] / 1024
    figures = [
        Figure(
            "all of it, wall time (imports excluded)",
            round(seconds, 2),
            "s",
            f"< {GOAL_SECONDS:g} s",
            seconds < GOAL_SECONDS,
        ),
        Figure(
            "peak RSS of the process",
            round(megabytes, 1),
            "MB",
            f"< {GOAL_MB} MB",
            megabytes < GOAL_MB,
        ),
    ]
    figures += [
        Figure(f"  {name}", round(value * 1000, 1), "ms") for name, value in result["steps"].items()
    ]
    figures += [
        Figure("  key frames extracted", result["key_frames"]),
        Figure("  speech found in the sound track", result["speech_seconds"] or 0.0, "s"),
        Figure("  one-GOP clip: check_video + key_frames", round(result["one_gop"], 2), "s"),
    ]
    print(f"  ({result['video']})")
    report(TITLE, figures, args.json)


if __name__ == "__main__":
    main()
