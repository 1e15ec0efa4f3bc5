"""First load of the timeline editor in Debian's Chromium (Playwright): bytes and interactivity.

Logs in through the login form, then opens /projects/<id>/ (10 sequences × 6 shots × 2 lines)
5 times, each in a new browser context (empty cache, the session cookie), and once more with
the cache warm (`--profile` adds the requests of the first load). Served by uvicorn with DEBUG
off, static files collected into the bench's VAR_DIR and served by WhiteNoise. Measures:
- the bytes of HTML, JS and CSS transferred (Performance API `transferSize`: body + headers);
- time to interactive, navigation start → the editor is ready and a shot block is painted and
  clickable: an in-page observer notes the first frame after `SELECTOR` matches an element with
  a size that a click at its centre reaches. Playwright then confirms it (trial click: visible,
  stable, enabled, receives the click); when it had done so is printed too, an upper bound
  inflated by its polling back-off while the page re-renders.

SELECTOR is `body.editor-ready .shot[data-shot]`: main.js adds `editor-ready` once the timeline
is loaded (its click handlers are mounted before), timeline.js renders shot blocks as
`button.shot[data-shot]`. Override it with the environment variable BENCH_SHOT_SELECTOR.
Goals: under 300 KB and under 1 s.
"""

import json
import os
import statistics
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import Browser, BrowserContext, Response, sync_playwright
from playwright.sync_api import Error as PlaywrightError

from bench.common import (
    BenchProject,
    Figure,
    arguments,
    make_project,
    report,
    setup_django,
    uvicorn_server,
)

TITLE = "Bench: editor page load"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-proxy-server",
]
SELECTOR = os.environ.get("BENCH_SHOT_SELECTOR", "body.editor-ready .shot[data-shot]")
COLD_LOADS = 5
TIMEOUT_MS = 20_000
GOAL_KB = 300
GOAL_MS = 1000
KINDS = {"document": "html", "script": "js", "stylesheet": "css", "fetch": "api", "xhr": "api"}

# Notes the first frame after the selector matches an element that has a size and that a click
# at its centre would reach (the hit test Playwright also does, without its retry back-off).
READY_OBSERVER = """
(selector => {
  const ready = () => {
    const el = document.querySelector(selector);
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) return false;
    const [x, y] = [r.left + r.width / 2, r.top + r.height / 2];
    const inView = x >= 0 && y >= 0 && x < innerWidth && y < innerHeight;
    return !inView || el.contains(document.elementFromPoint(x, y));
  };
  const observer = new MutationObserver(() => {
    if (!ready()) return;
    observer.disconnect();
    requestAnimationFrame(() => setTimeout(() => { window.__benchReadyMs = performance.now(); }));
  });
  observer.observe(
    document, {childList: true, subtree: true, attributes: true, attributeFilter: ["class"]});
})(%s);
"""

ENTRIES = """() => [
  ...performance.getEntriesByType("navigation"), ...performance.getEntriesByType("resource")
].map(e => ({url: e.name, transfer: e.transferSize, decoded: e.decodedBodySize,
             start: e.startTime, end: e.responseEnd}))"""


@dataclass
class Load:
    ready_ms: float  # in-page: editor ready, a shot block painted and hit by a click
    clickable_ms: float  # when Playwright had checked that the block takes a click
    transferred: dict[str, int] = field(default_factory=dict)  # kind -> transferSize summed
    decoded: dict[str, int] = field(default_factory=dict)
    requests: int = 0
    failed: list[str] = field(default_factory=list)  # "404 /static/…"
    waterfall: list[str] = field(default_factory=list)  # "  12 →   40 ms  html  /projects/1/"

    def static_bytes(self, sizes: dict[str, int]) -> int:
        return sum(sizes.get(kind, 0) for kind in ("html", "js", "css"))


def log_in(browser: Browser, base_url: str, project: BenchProject) -> dict:
    """The storage state (session cookie) after logging in through the form."""
    context = browser.new_context(base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("input[name=username]", project.username)
        page.fill("input[name=password]", project.password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if "sessionid" not in {c["name"] for c in context.cookies()}:
            raise RuntimeError(f"login failed: still on {page.url}")
        return context.storage_state()
    finally:
        context.close()


def load_editor(context: BrowserContext, path: str) -> Load:
    """Open `path` in a new page of `context`, wait until a shot block takes clicks, count bytes."""
    page = context.new_page()
    kinds: dict[str, str] = {}
    failed: list[str] = []

    def note(response: Response) -> None:
        kinds.setdefault(response.url, KINDS.get(response.request.resource_type, "other"))
        if response.status >= 400:
            failed.append(f"{response.status} {response.url.split('/', 3)[-1]}")

    page.on("response", note)
    response = page.goto(path, wait_until="commit", timeout=TIMEOUT_MS)
    if response is None or response.status != 200:
        raise RuntimeError(f"GET {path} answered {response.status if response else 'nothing'}")
    page.wait_for_function("() => window.__benchReadyMs > 0", timeout=TIMEOUT_MS)
    page.locator(SELECTOR).first.click(trial=True, timeout=TIMEOUT_MS)
    clickable_ms = page.evaluate("performance.now()")
    load = Load(page.evaluate("window.__benchReadyMs"), clickable_ms, failed=failed)
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    entries = page.evaluate(ENTRIES)
    for entry in entries:
        kind = kinds.get(entry["url"], "other")
        load.transferred[kind] = load.transferred.get(kind, 0) + entry["transfer"]
        load.decoded[kind] = load.decoded.get(kind, 0) + entry["decoded"]
        where = "/" + entry["url"].split("/", 3)[-1]
        load.waterfall.append(f"{entry['start']:6.0f} → {entry['end']:5.0f} ms  {kind:<5} {where}")
    load.requests = len(entries)
    page.close()
    return load


@contextmanager
def editor_context(browser: Browser, base_url: str, state: dict) -> Iterator[BrowserContext]:
    """A new context (so an empty cache) with the session cookie and the ready observer."""
    context = browser.new_context(base_url=base_url, storage_state=state)
    try:
        context.add_init_script(READY_OBSERVER % json.dumps(SELECTOR))
        yield context
    finally:
        context.close()


def measure(browser: Browser, base_url: str, project: BenchProject) -> tuple[list[Load], Load]:
    """COLD_LOADS loads each in a fresh context (empty cache), then one with the cache warm."""
    state = log_in(browser, base_url, project)
    path = f"/projects/{project.project_id}/"
    cold = []
    for _ in range(COLD_LOADS - 1):
        with editor_context(browser, base_url, state) as context:
            cold.append(load_editor(context, path))
    with editor_context(browser, base_url, state) as context:
        cold.append(load_editor(context, path))
        warm = load_editor(context, path)
    return cold, warm


def figures_of(cold: list[Load], warm: Load) -> list[Figure]:
    first = cold[0]
    kb = round(first.static_bytes(first.transferred) / 1024, 1)
    ready = statistics.median(load.ready_ms for load in cold)
    clickable = statistics.median(load.clickable_ms for load in cold)
    by_kind = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(first.transferred.items()))
    figures = [
        Figure("editor HTML+JS+CSS transferred", kb, "KB", f"< {GOAL_KB} KB", kb < GOAL_KB),
        Figure("  all transferred by kind (KB)", by_kind),
        Figure("  HTML+JS+CSS decoded", round(first.static_bytes(first.decoded) / 1024, 1), "KB"),
        Figure("  requests (document + resources)", first.requests),
        Figure(
            f"editor time to interactive (median of {len(cold)})",
            round(ready, 1),
            "ms",
            f"< {GOAL_MS} ms",
            ready < GOAL_MS,
        ),
        Figure("  each cold load (ms)", " ".join(f"{load.ready_ms:.0f}" for load in cold)),
        Figure("  clickable per Playwright (median)", round(clickable, 1), "ms"),
        Figure("  warm cache", round(warm.ready_ms, 1), "ms"),
    ]
    if first.failed:
        figures.append(Figure("  failed requests", "; ".join(sorted(set(first.failed)))))
    return figures


def main() -> None:
    args = arguments(__doc__.splitlines()[0])
    setup_django(collectstatic=True)
    project = make_project(TITLE, sequences=10, shots=6, lines=2)
    title = "Editor page load (Chromium, 10×6×2 project)"
    cold: list[Load] = []
    with uvicorn_server() as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            cold, warm = measure(browser, base_url, project)
            figures = figures_of(cold, warm)
        except (PlaywrightError, RuntimeError) as error:
            reason = str(error).splitlines()[0][:100]
            figures = [Figure("editor page load", f"error: {reason}", "", "loads", False)]
            print(f"  could not measure (selector {SELECTOR!r}): {reason}")
        finally:
            browser.close()
    report(title, figures, args.json)
    if args.profile and figures[0].ok is not None and cold:
        print(f"  first cold load, ready at {cold[0].ready_ms:.0f} ms; requests:")
        print(*(f"    {line}" for line in cold[0].waterfall), sep="\n")


if __name__ == "__main__":
    main()
