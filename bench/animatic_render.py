"""Rendering a storyboard into an animatic MP4 (`animatic.render`), against the encoder alone.

The sequence: 15 s at 24 fps, 6 shots (3 + 2 + 3 + 2 + 2 + 3 s) with static, push-in, pan,
handheld, tracking and static cameras, cuts, two dissolves and a fade; a character over a street,
the street alone and a text card; one lettering; 6 lines in English, Spanish and Chinese by 3
speakers (one voice-over). The inputs are made with NumPy and Pillow (seeded) and textured like
photographs so that x264 has real work: a 2400x1350 street (JPEG), a 900x1400 cut-out (PNG).

At 1280x720, then 1920x1080:
- render: RUNS renders, each in a fresh spawned process (cold, like a worker's first render):
  wall time of the `render()` call, espeak-ng speech included (median, best); ratio to real time
  (median / 15 s); the process's peak RSS (VmHWM; largest run, and before the render);
- encoder floor: the same frames and soundtrack encoded alone with the renderer's `Mp4Writer`
  (same x264 and AAC settings), RUNS times in this process, median; render / floor. The frames
  are those the renderer hands its writer in one more render here ("warm", with "writer" its
  time in the writer), held in memory, a repeated frame as one object as in the renderer. Shown,
  not judged: the floor of the frames decoded from the MP4, lower (lossy coding smoothed them);
- breakdown: the speech alone (`soundtrack.speak` of the plan), median of RUNS.

Goals on this machine: at most 0.3x real time (15 s of video in under 4.5 s), at most 1.5x the
encoder floor, under 400 MB of peak memory, at each size. No database.
"""

import importlib
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path
from statistics import median

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import av
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from animatic import render
from animatic.encode import SAMPLE_RATE, Mp4Writer
from animatic.plan import plan
from animatic.soundtrack import speak

SECONDS = 15
FPS = 24
RUNS = 3
SIZES = [("720p", 1280, 720), ("1080p", 1920, 1080)]
GOAL_REAL_TIME_PERCENT = 30  # 0.3x real time
GOAL_FLOOR_PERCENT = 150  # 1.5x the encoder floor
GOAL_MEMORY_MB = 400.0
SPEAKERS = {"Ana": 0, "Luis": 1, "Mei": 2}


def photo_like(picture: Image.Image, rng: np.random.Generator, grain: float) -> Image.Image:
    """`picture` softened, with blotches and grain, as a photograph's surfaces are."""
    width, height = picture.size
    blotches = Image.fromarray(rng.integers(0, 256, (height // 16, width // 16), np.uint8))
    low = np.asarray(blotches.resize(picture.size, Image.Resampling.BICUBIC), np.float32) - 128
    noise = (0.15 * low + rng.normal(0, grain, (height, width)))[..., np.newaxis]
    soft = np.asarray(picture.filter(ImageFilter.GaussianBlur(1.2)), np.float32)
    return Image.fromarray(np.clip(soft + noise, 0, 255).astype(np.uint8))


def make_inputs(folder: Path) -> None:
    """street.jpg (sky, buildings with windows, a road) and hero.png (a cut-out figure)."""
    rng = np.random.default_rng(5)
    width, height = 2400, 1350
    t = np.linspace(0, 1, height)[:, np.newaxis, np.newaxis]  # dusk sky over a grey road
    ground = np.where(t < 0.6, [90, 130, 200] + t * np.array([120, 60, -90]), [70, 68, 72])
    street = Image.fromarray(np.broadcast_to(ground, (height, width, 3)).astype(np.uint8))
    draw = ImageDraw.Draw(street)
    x = 0
    while x < width:  # buildings, each with a grid of windows, some lit
        w, top = int(rng.integers(120, 320)), int(rng.integers(150, 600))
        draw.rectangle([x, top, x + w, 837], fill=tuple(rng.integers(40, 200, 3).tolist()))
        for wy in range(top + 20, 780, 48):
            for wx in range(x + 12, x + w - 24, 36):
                lit = rng.integers(0, 255, 3) // (1 if rng.random() < 0.4 else 4)
                draw.rectangle([wx, wy, wx + 20, wy + 28], fill=tuple(lit.tolist()))
        x += w + int(rng.integers(0, 40))
    for k in range(30):  # road markings
        draw.polygon([(k * 90, 1300), (k * 90 + 50, 1300), (1200, 900)], fill=(200, 200, 180))
    photo_like(street, rng, 5.0).save(folder / "street.jpg", quality=90)

    hero = Image.new("RGBA", (900, 1400), (150, 110, 90, 0))
    draw = ImageDraw.Draw(hero)
    draw.polygon([(180, 1400), (260, 480), (640, 480), (720, 1400)], fill=(40, 80, 150, 255))
    for k in range(12):  # stripes on the coat
        draw.line([(240, 520 + 70 * k), (680, 560 + 70 * k)], fill=(200, 200, 210), width=6)
    draw.ellipse([300, 60, 600, 420], fill=(225, 180, 150, 255))  # face
    draw.pieslice([280, 30, 620, 360], 180, 360, fill=(60, 40, 30, 255))  # hair
    alpha = hero.getchannel("A").filter(ImageFilter.GaussianBlur(2))
    hero = photo_like(hero.convert("RGB"), rng, 6.0)
    hero.putalpha(alpha)
    hero.save(folder / "hero.png")


def request(width: int, height: int) -> dict:
    def line(speaker: str, language: str, text: str, voice_over: bool = False) -> dict:
        return {"speaker": speaker, "text": text, "language": language, "delivery": "",
                "accent": "", "voice": SPEAKERS[speaker], "voice_over": voice_over}  # fmt: skip

    hero, street = {"$file": "hero.png"}, {"$file": "street.jpg"}
    shots = [  # (duration, size, movement, transition, picture, scene, lettering, line)
        (3, "wide", "static", "cut", hero, street, "OPEN 24 HOURS",
         line("Ana", "en", "The last ferry left an hour ago.")),
        (2, "medium", "push_in", "cut", hero, street, "", line("Luis", "es", "¿Y ahora qué?")),
        (3, "wide", "pan_right", "dissolve", None, street, "",
         line("Mei", "zh", "我们走路过去吧。")),
        (2, "close_up", "handheld", "cut", hero, street, "", line("Ana", "en", "Walk? In this?")),
        (2, "medium", "tracking", "dissolve", hero, street, "", line("Luis", "es", "Vamos.")),
        (3, "medium", "static", "fade", None, None, "",
         line("Mei", "zh", "第二天早上。", voice_over=True)),
    ]  # fmt: skip
    return {
        "provider": "animatic", "seconds": SECONDS, "cost": 0, "width": width,
        "height": height, "fps": FPS, "audio": True, "first_frame": None, "end_frame": None,
        "shots": [
            {"index": n, "duration": duration, "shot_size": size, "camera_angle": "eye_level",
             "camera_movement": movement, "text": "The next morning, on the pier.",
             "lettering": lettering, "transition": transition, "sound_notes": "",
             "picture": picture, "scene": scene, "dialogue": [spoken]}
            for n, (duration, size, movement, transition, picture, scene, lettering, spoken)
            in enumerate(shots, 1)
        ],
    }  # fmt: skip


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM). Not ru_maxrss: Linux keeps that across the exec of a
    spawned child, which would then report the size of this bench's process when it forked."""
    return int(Path("/proc/self/status").read_text().split("VmHWM:")[1].split()[0]) / 1024


def timed(function, *args) -> float:
    began = time.perf_counter()
    function(*args)
    return time.perf_counter() - began


def render_in_child(width: int, height: int, inputs: Path, output: Path) -> tuple[float, ...]:
    """In a fresh process: the render's wall time (s), and the process's peak RSS (MB) before
    the render (interpreter and modules) and after it."""
    before = peak_rss_mb()
    return timed(render, request(width, height), inputs, output), before, peak_rss_mb()


def capture(width: int, height: int, inputs: Path, output: Path) -> tuple:
    """Render once in this process, keeping the frames the renderer hands its writer (the very
    objects: a repeated frame stays one object) and the soundtrack; with the render's wall time
    and the part of it spent in the writer (encoding)."""
    module = importlib.import_module("animatic.render")
    frames, sounds, writing = [], [], [0.0]

    class Recorder(Mp4Writer):
        def __init__(self, path, width, height, fps, soundtrack) -> None:
            writing[0] += timed(super().__init__, path, width, height, fps, soundtrack)
            sounds.append(soundtrack)

        def write(self, frame: av.VideoFrame) -> None:
            frames.append(frame)
            writing[0] += timed(super().write, frame)

        def finish(self) -> None:
            writing[0] += timed(super().finish)

    module.Mp4Writer = Recorder
    try:
        wall = timed(render, request(width, height), inputs, output)
    finally:
        module.Mp4Writer = Mp4Writer
    return frames, sounds[0], wall, writing[0]


def decode(path: Path) -> tuple[list[av.VideoFrame], np.ndarray]:
    """The video's frames (yuv420p) and its soundtrack, planar float32 (2, n) at SAMPLE_RATE."""
    frames, chunks, previous = [], [], None
    with av.open(str(path)) as container:
        for frame in container.decode(video=0, audio=0):
            if isinstance(frame, av.AudioFrame):
                chunks.append(frame.to_ndarray())
                continue
            frame = frame.reformat(format="yuv420p")
            pixels = frame.to_ndarray()
            # A frame pixel-identical to the one before is kept as the same object, as the
            # renderer does for static shots (x264 sees the same pixels either way).
            same = previous is not None and np.array_equal(pixels, previous)
            frames.append(frames[-1] if same else frame)
            previous = pixels
    audio = np.concatenate(chunks, axis=1).astype(np.float32)
    samples = round(len(frames) / FPS * SAMPLE_RATE)  # as long as the video, like the render's
    audio = np.pad(audio[:, :samples], ((0, 0), (0, max(0, samples - audio.shape[1]))))
    return frames, np.ascontiguousarray(audio)


def encode(frames: list[av.VideoFrame], audio: np.ndarray, path: Path, size) -> None:
    with Mp4Writer(path, size[0], size[1], FPS, audio) as writer:
        for frame in frames:
            writer.write(frame)
        writer.finish()


def measure(label: str, width: int, height: int, folder: Path) -> dict:
    inputs, size, spawn = folder / "inputs", (width, height), get_context("spawn")
    renders = []
    for run in range(RUNS):
        with ProcessPoolExecutor(1, mp_context=spawn) as pool:
            output = folder / f"{label}-{run}" / "video.mp4"
            renders.append(pool.submit(render_in_child, width, height, inputs, output).result())
    *own, warm, writing = capture(width, height, inputs, folder / f"{label}-warm" / "video.mp4")
    decoded = decode(output)
    assert len(own[0]) == len(decoded[0]) == SECONDS * FPS, (len(own[0]), len(decoded[0]))
    floor, floor_decoded = [], []
    for _ in range(RUNS):  # interleaved, so that both see the same load
        floor.append(timed(encode, *own, folder / "floor.mp4", size))
        floor_decoded.append(timed(encode, *decoded, folder / "decoded.mp4", size))
    walls, _, peaks = zip(*renders, strict=True)
    return {
        "render": median(walls),
        "best": min(walls),
        "floor": median(floor),
        "decoded": median(floor_decoded),
        "warm": warm,
        "writer": writing,
        "speech": median([timed(speak, plan(request(width, height), inputs)) for _ in range(RUNS)]),
        "baseline": max(before for _, before, _ in renders),
        "memory": max(peaks),
        "mp4": (output.stat().st_size / 1e6, (folder / "floor.mp4").stat().st_size / 1e6),
    }


def goal(name: str, value: float, unit: str, limit: float, strict: bool = False):
    from bench.common import Figure

    ok = value < limit if strict else value <= limit
    return Figure(name, value, unit, f"{'<' if strict else '<='} {limit:.0f} {unit}", ok)


def main() -> None:
    from bench.common import Figure, arguments, report  # not in the render's processes

    args = arguments(__doc__.splitlines()[0])
    results = {}
    with tempfile.TemporaryDirectory(prefix="animatic-bench-") as tmp:
        (Path(tmp) / "inputs").mkdir()
        make_inputs(Path(tmp) / "inputs")
        for label, width, height in SIZES:
            print(f"rendering {label} ({RUNS} runs) ...", flush=True)
            results[label] = measure(label, width, height, Path(tmp))

    times = ("render", "best", "floor", "decoded", "warm", "writer", "speech")
    print("\n" + " " * 6 + "".join(f"{key:>9}" for key in times) + "   RSS MB       MP4 MB")
    for label, r in results.items():
        row = "".join(f"{r[key]:>8.2f}s" for key in times)
        memory = f"{r['baseline']:>4.0f} > {r['memory']:<4.0f}"
        print(f"{label:<6}{row}  {memory}  {r['mp4'][0]:.2f} / {r['mp4'][1]:.2f}")
    print(
        "render: the render() call in a fresh process, median and best; floor: its frames encoded"
        "\nalone (decoded: frames decoded from its MP4 instead); warm: one render in this process,"
        "\nwriter: its time in Mp4Writer; RSS: before the render > peak; MP4: render / floor"
    )

    figures = []
    for label, r in results.items():
        real, floor = 100 * r["render"] / SECONDS, 100 * r["render"] / r["floor"]
        figures += [
            Figure(f"{label}: render wall, median of {RUNS}", r["render"], "s"),
            Figure(f"{label}: render wall, best", r["best"], "s"),
            goal(f"{label}: render / real time", real, "%", GOAL_REAL_TIME_PERCENT),
            Figure(f"{label}: encoder floor (render's frames)", r["floor"], "s"),
            Figure(f"{label}: encoder floor (decoded frames)", r["decoded"], "s"),
            goal(f"{label}: render / encoder floor", floor, "%", GOAL_FLOOR_PERCENT),
            Figure(f"{label}: speech (TTS), part of the render", 1000 * r["speech"], "ms"),
            goal(f"{label}: peak memory (RSS)", r["memory"], "MB", GOAL_MEMORY_MB, strict=True),
        ]
    report(f"Animatic render, {SECONDS} s, 6 shots, {FPS} fps", figures, args.json)


if __name__ == "__main__":
    main()
