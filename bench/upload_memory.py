"""Memory and time of checking adversarial image uploads, each in a fresh process.

The pictures are made in memory: the attacker's 170 KB PNG of 6,320 × 6,315 mostly empty
pixels (RGBA, and RGB), a progressive JPEG and a WebP of that size, a baseline JPEG of that size
(accepted, decoded at half size), a progressive 12 MP JPEG, a 12 MP phone photo upright and
turned by its EXIF orientation, a 12 MP HEIC, and a 4000 × 3000 PNG (the largest a colour PNG
may be). Each is checked by `check_image` in its own Python process, which reports the rise of
its peak resident set over its size after the imports (VmHWM, reset through
/proc/self/clear_refs once the file is read; the parent's resident size carries over into a
child's ru_maxrss on Linux, so that is not used) and the wall time of the check.

Goal: every check under image_memory.MEMORY_BUDGET_BYTES (64 MB), refused or not.
"""

import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, Figure, arguments, report

TITLE = "Upload memory: adversarial images, one check per fresh process"
BUDGET_MB = 64
ATTACK_SIZE = (6320, 6315)
PHOTO_SIZE = (4000, 3000)
EXIF_ORIENTATION = 0x0112


def make_images() -> dict[str, bytes]:
    """The pictures, made in memory."""
    import numpy as np
    import pillow_heif
    from PIL import Image, ImageDraw

    pillow_heif.register_heif_opener()

    def saved(picture: Image.Image, fmt: str, **options) -> bytes:
        out = io.BytesIO()
        picture.save(out, fmt, **options)
        return out.getvalue()

    empty = Image.new("RGB", ATTACK_SIZE)
    ImageDraw.Draw(empty).rectangle((100, 100, 400, 400), fill=(200, 30, 30))
    rng = np.random.default_rng(1)
    grain = rng.integers(0, 255, (300, 400, 3), dtype=np.uint8)
    photo = Image.fromarray(grain).resize(PHOTO_SIZE, Image.Resampling.BILINEAR)
    smooth = rng.integers(0, 255, (30, 40, 3), dtype=np.uint8)  # a PNG under 10 MB
    drawing = Image.fromarray(smooth).resize(PHOTO_SIZE, Image.Resampling.BICUBIC)
    turned = Image.Exif()
    turned[EXIF_ORIENTATION] = 6
    return {
        "6320×6315 empty PNG, RGBA": saved(empty.convert("RGBA"), "PNG"),
        "6320×6315 empty PNG, RGB": saved(empty, "PNG"),
        "6320×6315 progressive JPEG 4:4:4": saved(
            empty, "JPEG", progressive=True, quality=95, subsampling=0
        ),
        "6320×6315 WebP (lossless)": saved(empty, "WEBP", lossless=True),
        "6320×6315 baseline JPEG": saved(empty, "JPEG", quality=95),
        "12 MP progressive JPEG 4:2:0": saved(photo, "JPEG", quality=90, progressive=True),
        "12 MP photo JPEG": saved(photo, "JPEG", quality=90),
        "12 MP photo JPEG, EXIF turned": saved(photo, "JPEG", quality=90, exif=turned),
        "12 MP HEIC": saved(photo, "HEIF", quality=60),
        "4000×3000 PNG": saved(drawing, "PNG"),
    }


def child(path: str) -> dict:
    """Run in the fresh process: check one file, report the rise of the peak RSS and the time."""
    import gc

    from media import MediaRejected, check_image

    data = Path(path).read_bytes()
    gc.collect()
    reset = _reset_peak()
    before = _status_kb("VmRSS" if reset else "VmHWM")
    began = time.perf_counter()
    try:
        checked = check_image(data)
        outcome = f"{checked.extension} {checked.width}×{checked.height}"
    except MediaRejected as rejected:
        outcome = f"refused ({rejected.status})"
    seconds = time.perf_counter() - began
    return {"kb": max(0, _status_kb("VmHWM") - before), "seconds": seconds, "outcome": outcome}


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM back to the current RSS
        return True
    except OSError:
        return False


def _status_kb(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def measure(data: bytes) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".img") as file:
        file.write(data)
        file.flush()
        done = subprocess.run(
            [sys.executable, __file__, "--child", file.name],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    if done.returncode != 0:
        raise RuntimeError(f"the measured process failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(child(sys.argv[2])))
        return
    args = arguments(__doc__.splitlines()[0])
    figures = []
    print(f"  {'image':<36} {'file':>9} {'peak rise':>10} {'time':>8}  outcome")
    for name, data in make_images().items():
        result = measure(data)
        megabytes = result["kb"] / 1024
        print(
            f"  {name:<36} {len(data) / 1024:>6.0f} KB {megabytes:>7.1f} MB "
            f"{result['seconds']:>7.2f} s  {result['outcome']}",
            flush=True,
        )
        figures += [
            Figure(
                f"{name}: peak rise",
                round(megabytes, 1),
                "MB",
                f"< {BUDGET_MB} MB",
                megabytes < BUDGET_MB,
            ),
            Figure(f"  time ({result['outcome']})", round(result["seconds"] * 1000), "ms"),
        ]
    report(TITLE, figures, args.json)


if __name__ == "__main__":
    main()
