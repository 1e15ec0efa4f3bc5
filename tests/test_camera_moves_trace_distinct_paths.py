"""`crop_boxes` (animatic/camera.py): each camera move is a path of crop rectangles.

Pure Python, no database. Shots are 72 frames (3 s at 24 fps) on a 1280x720 output unless a test
says otherwise, each on the canvas `canvas_size` gives its move.
"""

import itertools
import time

import pytest

from animatic.camera import (
    HANDHELD_WANDER,
    MOVEMENTS,
    ZOOM_SNAP,
    Box,
    canvas_scale,
    canvas_size,
    crop_boxes,
)

pytestmark = pytest.mark.filterwarnings("error")

FRAME = (1280, 720)
FRAMES = 72


def path(movement: str, frames: int = FRAMES, frame=FRAME, seed: int = 0) -> list[Box]:
    return crop_boxes(movement, frames, canvas_size(movement, frame), frame, seed)


def centres(boxes: list[Box]) -> list[tuple[float, float]]:
    return [(box.x + box.width / 2, box.y + box.height / 2) for box in boxes]


def areas(boxes: list[Box]) -> list[int]:
    return [box.width * box.height for box in boxes]


def trend(series: list[float], tolerance: float) -> int:
    """-1, 0 or 1: where the series ends up relative to where it started."""
    change = series[-1] - series[0]
    return 0 if abs(change) <= tolerance else (1 if change > 0 else -1)


def swings(series: list[float], tolerance: float) -> bool:
    """Whether the series goes some way and comes back (a peak or a valley), by more than
    `tolerance` each way."""
    for i, value in enumerate(series):
        before, after = series[: i + 1], series[i:]
        if min(value - min(before), value - min(after)) > tolerance:
            return True
        if min(max(before) - value, max(after) - value) > tolerance:
            return True
    return False


def signature(boxes: list[Box], canvas: tuple[int, int]) -> tuple:
    """What a viewer would name: which way the view travels and zooms, whether its shape
    changes, whether it bobs (up and down only) or shakes (every way). Rounding wiggles stay
    under the tolerances."""
    xs, ys = zip(*centres(boxes), strict=True)
    tol_x, tol_y = 0.005 * canvas[0], 0.005 * canvas[1]
    area = [a / (canvas[0] * canvas[1]) for a in areas(boxes)]
    shapes = [box.width / box.height for box in boxes]
    return (
        trend(xs, tol_x),
        trend(ys, tol_y),
        trend(area, 0.01),
        max(shapes) - min(shapes) > 0.05,
        swings(ys, tol_y) and not swings(xs, tol_x),
        swings(ys, tol_y) and swings(xs, tol_x),
    )


def monotonic(series: list[float], direction: int, slack: float = 0) -> bool:
    """Whether the series never goes against `direction` (by more than `slack`, for centres
    whose rounding to even sizes wiggles them a pixel)."""
    return all((b - a) * direction >= -slack for a, b in itertools.pairwise(series))


@pytest.mark.parametrize("movement", MOVEMENTS)
@pytest.mark.parametrize("frame", [(1280, 720), (1920, 1080), (720, 1280), (1080, 1080)])
def test_every_box_is_even_inside_the_canvas_and_never_upscales(movement, frame):
    canvas = canvas_size(movement, frame)
    assert all(side % 4 == 0 for side in canvas)
    for box in path(movement, frame=frame):
        assert all(value % 2 == 0 for value in (box.x, box.y, box.width, box.height))
        assert box.x >= 0
        assert box.y >= 0
        assert box.x + box.width <= canvas[0]
        assert box.y + box.height <= canvas[1]
        assert box.width >= frame[0]
        assert box.height >= frame[1]


@pytest.mark.parametrize("movement", MOVEMENTS)
def test_the_canvas_is_no_bigger_than_the_tightest_box_needs(movement):
    tightest = min(box.width for box in path(movement))
    assert tightest <= FRAME[0] * 1.01
    width = canvas_size(movement, FRAME)[0]
    assert width == pytest.approx(FRAME[0] * canvas_scale(movement), abs=4)


@pytest.mark.parametrize("movement", [m for m in MOVEMENTS if m != "orbit"])
def test_boxes_keep_the_frame_aspect_ratio(movement):
    for box in path(movement, frame=(1920, 1080)):
        assert abs(box.width - box.height * 16 / 9) <= 4


@pytest.mark.parametrize("movement", MOVEMENTS)
def test_consecutive_boxes_move_only_a_little(movement):
    canvas = canvas_size(movement, FRAME)
    for a, b in itertools.pairwise(path(movement)):
        steps = (b.x - a.x, b.y - a.y, b.width - a.width, b.height - a.height)
        assert max(map(abs, steps)) <= 0.03 * canvas[0]


def test_static_is_the_whole_canvas_every_frame():
    assert path("static") == [Box(0, 0, 1280, 720)] * FRAMES
    assert crop_boxes("static", 3, (1600, 900), FRAME) == [Box(0, 0, 1600, 900)] * 3


def test_a_canvas_of_another_shape_is_used_through_a_centred_box_of_the_frames_shape():
    assert crop_boxes("static", 2, (1280, 800), FRAME) == [Box(0, 40, 1280, 720)] * 2


def test_an_unknown_movement_is_static():
    canvas = (1664, 936)
    assert canvas_scale("dolly_zoom") == 1.0
    assert canvas_size("dolly_zoom", FRAME) == FRAME
    assert crop_boxes("dolly_zoom", 24, canvas, FRAME) == crop_boxes("static", 24, canvas, FRAME)


@pytest.mark.parametrize("movement", MOVEMENTS)
def test_one_frame_gets_the_start_of_the_path(movement):
    assert path(movement, frames=1) == path(movement)[:1]
    assert path(movement, frames=0) == []


def test_a_canvas_or_frame_under_two_pixels_is_refused():
    with pytest.raises(ValueError, match="at least 2x2"):
        crop_boxes("static", 1, (0, 720), FRAME)


def test_push_in_shrinks_the_box_steadily_toward_the_subject():
    boxes = path("push_in")
    assert monotonic(areas(boxes), -1)
    assert areas(boxes)[-1] < areas(boxes)[0] / 1.6
    (x0, y0), (x1, y1) = centres(boxes)[0], centres(boxes)[-1]
    assert x1 == x0
    assert y1 < y0


def test_pull_out_grows_the_box_and_retraces_push_in():
    boxes = path("pull_out")
    assert monotonic(areas(boxes), 1)
    assert areas(boxes)[-1] > areas(boxes)[0] * 1.6
    assert boxes[0] == path("push_in")[-1]
    assert boxes[-1] == path("push_in")[0]


@pytest.mark.parametrize(("zoom", "push"), [("zoom_in", "push_in"), ("zoom_out", "pull_out")])
def test_a_lens_zoom_is_done_early_while_a_dolly_push_is_still_going(zoom, push):
    def progress(boxes):
        a = areas(boxes)
        return (a[round(ZOOM_SNAP * (FRAMES - 1))] - a[0]) / (a[-1] - a[0])

    assert progress(path(zoom)) > 0.95
    assert progress(path(push)) < 0.5

    def change(boxes):
        a = areas(boxes)
        return max(a) / min(a)

    assert change(path(zoom)) > change(path(push)) * 1.4


@pytest.mark.parametrize(("movement", "direction"), [("pan_left", -1), ("pan_right", 1)])
def test_pans_slide_the_box_sideways_at_a_fixed_height_and_zoom(movement, direction):
    boxes = path(movement)
    assert monotonic([box.x for box in boxes], direction)
    assert (boxes[-1].x - boxes[0].x) * direction >= 0.25 * FRAME[0]
    assert len({(box.y, box.width, box.height) for box in boxes}) == 1


@pytest.mark.parametrize(("movement", "direction"), [("tilt_up", -1), ("tilt_down", 1)])
def test_tilts_slide_the_box_up_or_down_at_a_fixed_place_and_zoom(movement, direction):
    boxes = path(movement)
    assert monotonic([box.y for box in boxes], direction)
    assert (boxes[-1].y - boxes[0].y) * direction >= 0.25 * FRAME[1]
    assert len({(box.x, box.width, box.height) for box in boxes}) == 1


def test_orbit_travels_sideways_while_its_width_narrows_and_widens():
    boxes = path("orbit")
    widths = [box.width for box in boxes]
    assert boxes[-1].x - boxes[0].x >= 0.25 * FRAME[0]
    assert min(widths) < 0.9 * widths[0]
    assert widths[-1] == widths[0]
    assert len({box.height for box in boxes}) == 1
    assert boxes[0].width / boxes[0].height == pytest.approx(16 / 9, abs=0.01)


def test_tracking_travels_bobs_and_creeps_in():
    boxes = path("tracking")
    ys = [y for _, y in centres(boxes)]
    assert boxes[-1].x - boxes[0].x >= 0.25 * FRAME[0]
    assert not monotonic(ys, 1)
    assert not monotonic(ys, -1)
    assert swings(ys, 0.005 * canvas_size("tracking", FRAME)[1])
    assert areas(boxes)[-1] < areas(boxes)[0]


@pytest.mark.parametrize(("movement", "direction"), [("crane_up", -1), ("crane_down", 1)])
def test_cranes_rise_and_widen_or_sink_and_tighten(movement, direction):
    boxes = path(movement)
    ys = [y for _, y in centres(boxes)]
    assert monotonic(ys, direction, slack=1)
    assert abs(ys[-1] - ys[0]) >= 0.1 * FRAME[1]
    assert monotonic(areas(boxes), -direction)
    assert areas(boxes)[-1] != areas(boxes)[0]


def test_handheld_wanders_near_where_it_starts_without_drifting():
    for seed in range(5):
        boxes = path("handheld", frames=360, seed=seed)
        (x0, y0), *rest = centres(boxes)
        for x, y in rest:
            assert abs(x - x0) <= 2 * HANDHELD_WANDER * FRAME[0] + 4
            assert abs(y - y0) <= 2 * HANDHELD_WANDER * FRAME[1] + 4


def test_handheld_moves_every_few_frames():
    for seed in range(5):
        boxes = path("handheld", frames=360, seed=seed)
        for start in range(0, 360 - 8):  # a third of a second at 24 fps
            assert len(set(boxes[start : start + 8])) > 1, (seed, start)


def test_handheld_repeats_for_a_seed_and_differs_between_seeds():
    assert path("handheld", seed=7) == path("handheld", seed=7)
    assert path("handheld", seed=7) != path("handheld", seed=8)


@pytest.mark.parametrize(("first", "second"), list(itertools.combinations(MOVEMENTS, 2)))
def test_every_pair_of_movements_reads_differently(first, second):
    canvas = canvas_size("zoom_in", FRAME)  # the biggest canvas, shared, so paths compare
    one, other = (crop_boxes(m, FRAMES, canvas, FRAME) for m in (first, second))
    assert signature(one, canvas) != signature(other, canvas)


def test_the_fourteen_movements_trace_fourteen_distinct_paths():
    paths = {movement: tuple(path(movement)) for movement in MOVEMENTS}
    signatures = {
        movement: signature(list(boxes), canvas_size(movement, FRAME))
        for movement, boxes in paths.items()
    }
    assert len(MOVEMENTS) == 14
    assert len(set(paths.values())) == 14
    assert len(set(signatures.values())) == 14, signatures


def test_a_long_shot_takes_well_under_a_millisecond_per_box():
    started = time.perf_counter()
    for movement in MOVEMENTS:
        path(movement, frames=360)
    assert (time.perf_counter() - started) / (360 * len(MOVEMENTS)) < 0.001
