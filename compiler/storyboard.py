"""The compiler: a storyboard snapshot in, the request one provider receives out.

Pure Python, no Django. The Django side builds the snapshot (a JSON-able dict: the project's
aspect ratio, the sequence with its shots and dialogue, every element the project may use); this
module checks it and turns it into the frozen request of a job:

    compile_request("kling", snapshot) -> Compiled(request, errors, warnings, seconds, cost)

The checks come in two layers, reported together so the editor can point at every field at once:
1. the storyboard rules (`script.rules.check_sequence`), the same for every provider;
2. the provider's capabilities (`compile_kling`, `compile_animatic`): anything the chosen model
   cannot do is a validation error before the job exists, not a failure after it.
`request` is None whenever there is an error. Files stay placeholders (`{"$file": path}`,
`{"$element": id}`, see jobs/providers/base.py) that the Django side snapshots and the adapter
resolves.

This module holds the entry point and what every provider shares: `Storyboard`, the snapshot
with its elements and `@mentions` resolved once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from compiler import animatic as compile_animatic
from compiler import kling as compile_kling
from compiler import pricing
from script import rules
from script.drafts import draft_of
from script.mentions import HandleIndex, Mention, find_mentions, fold
from script.rules import Report

# The vocabularies a provider builder relies on (storyboard_app/choices.py spells them the same);
# an unknown value stops the compile before any builder looks sizes or modes up.
CHOICES = {
    "aspect_ratio": ("16:9", "9:16", "1:1"),
    "quality": ("720p", "1080p"),
    "model_family": ("standard", "omni"),
}
AUTO_MODE = "auto"

# Each provider's builder: (storyboard, cost) -> request. Builders add their capability errors
# and warnings to `storyboard.report` as they go.
INSTANT = "instant"


def _instant(board: "Storyboard", cost: int) -> dict:
    # The benchmarks' stock-clip provider reads what the animatic reads (its length).
    return {**compile_animatic.build(board, cost), "provider": INSTANT}


BUILDERS: dict[str, Callable[["Storyboard", int], dict]] = {
    compile_kling.PROVIDER: compile_kling.build,
    compile_animatic.PROVIDER: compile_animatic.build,
    INSTANT: _instant,
}


@dataclass(frozen=True)
class Compiled:
    """The outcome of a compile: `request` is None when `errors` is not empty.

    `errors` maps a field path (as `rules.check_sequence` names them: "duration", "prompt",
    "shots.<i>.text", "first_frame", "elements", "provider", ...) to messages that say what to
    do. `seconds` and `cost` (credits) are filled even when there are errors, for the editor's
    estimate.
    """

    request: dict | None
    errors: dict[str, list[str]]
    warnings: list[str]
    seconds: int
    cost: int


def compile_request(provider: str, storyboard: dict) -> Compiled:
    """Check `storyboard` (a snapshot, see the module docstring) and compile it for `provider`."""
    board = Storyboard(storyboard)
    report = board.report
    builder = BUILDERS.get(provider)
    if builder is None:
        known = " or ".join(sorted(set(BUILDERS) - {INSTANT}))  # instant: benchmarks only
        report.error("provider", f"There is no provider called {provider!r}; choose {known}.")
    _check_choices(board)
    _check_auto_prompt_mentions(board)
    cost = _cost(provider, board)
    request = None
    # A builder looks sizes and modes up by these choices: with an unknown one it cannot run.
    if builder is not None and not any(name in report.errors for name in CHOICES):
        request = builder(board, cost)
    return Compiled(
        request=None if report.errors else request,
        errors=report.errors,
        warnings=report.warnings,
        seconds=board.seconds,
        cost=cost,
    )


def _cost(provider: str, board: "Storyboard") -> int:
    try:
        return pricing.estimate_cost(
            provider, board.seconds, board.sequence["quality"], board.sequence["native_audio"]
        )
    except ValueError:
        return 0  # an unknown provider or quality is already an error of the compile


def _check_choices(board: "Storyboard") -> None:
    values = {
        "aspect_ratio": board.aspect_ratio,
        "quality": board.sequence["quality"],
        "model_family": board.sequence["model_family"],
    }
    for name, value in values.items():
        if value not in CHOICES[name]:
            allowed = ", ".join(CHOICES[name])
            board.report.error(name, f"{value!r} is not a {name.replace('_', ' ')}; use {allowed}.")


def _check_auto_prompt_mentions(board: "Storyboard") -> None:
    """`rules` checks the mentions of shots only; an auto prompt carries them too."""
    if not board.auto:
        return
    for mention in find_mentions(board.sequence["prompt"], board.handles):
        if mention.handle is None:
            board.report.error(
                "prompt", f"@{mention.written} is not an element of this project's libraries."
            )


class Storyboard:
    """A snapshot being compiled: its elements indexed, its mentions resolvable, its report.

    `report` starts as the storyboard rules' report; builders add their own errors to it.
    When two elements of different libraries share a handle, mentions go to the first one in the
    snapshot (a warning says so); a dialogue line's `speaker_element` is never ambiguous.
    """

    def __init__(self, snapshot: dict) -> None:
        self.aspect_ratio: str = snapshot["aspect_ratio"]
        self.sequence: dict = snapshot["sequence"]
        self.elements: list[dict] = list(snapshot.get("elements", []))
        self.handles = HandleIndex(element["handle"] for element in self.elements)
        self._by_id = {element["id"]: element for element in self.elements}
        self._by_key: dict[str, dict] = {}
        for element in self.elements:
            self._by_key.setdefault(fold(element["handle"].strip()), element)
        self.draft = draft_of(self.sequence, self.handles)
        self.seconds = rules.sequence_duration(self.draft)
        self.report: Report = rules.check_sequence(self.draft)
        self._warn_shared_handles()

    @property
    def auto(self) -> bool:
        return self.sequence["mode"] == AUTO_MODE

    @property
    def shots(self) -> list[dict]:
        return self.sequence["shots"]

    def element_of(self, mention: Mention) -> dict | None:
        if mention.handle is None:
            return None
        return self._by_key.get(fold(mention.handle.strip()))

    def mentioned(self, text: str) -> list[dict]:
        """The elements `text` mentions, in order, each once."""
        found: dict[int, dict] = {}
        for mention in find_mentions(text, self.handles):
            if (element := self.element_of(mention)) is not None:
                found.setdefault(element["id"], element)
        return list(found.values())

    def rewrite(self, text: str, write: Callable[[dict], str]) -> str:
        """`text` with each resolved mention (sign included) replaced by `write(element)`.

        Unknown mentions stay as written: the rules already report them as errors.
        """
        pieces: list[str] = []
        kept = 0
        for mention in find_mentions(text, self.handles):
            if (element := self.element_of(mention)) is not None:
                pieces += (text[kept : mention.start], write(element))
                kept = mention.end
        pieces.append(text[kept:])
        return "".join(pieces)

    def speaker_of(self, line: dict) -> dict | None:
        """The element speaking `line`: its `speaker_element`, else a speaker written `@handle`."""
        element = self._by_id.get(line.get("speaker_element"))
        if element is not None:
            return element
        speaker = line["speaker"].strip()
        found = find_mentions(speaker, self.handles) if speaker.startswith("@") else []
        if len(found) == 1 and found[0].start == 0 and found[0].end == len(speaker):
            return self.element_of(found[0])
        return None

    @staticmethod
    def file_ref(image: dict) -> dict:
        """The placeholder of a stored image: the Django side snapshots it, the adapter sends it."""
        return {"$file": image["file"]}

    @staticmethod
    def front_image(element: dict) -> dict | None:
        return element["images"][0] if element["images"] else None

    def _warn_shared_handles(self) -> None:
        by_key: dict[str, list[dict]] = {}
        for element in self.elements:
            by_key.setdefault(fold(element["handle"].strip()), []).append(element)
        for same in by_key.values():
            if len(same) > 1:
                ids = ", ".join(str(element["id"]) for element in same)
                self.report.warnings.append(
                    f"@{same[0]['handle']} names {len(same)} elements (ids {ids}); mentions use "
                    f"the first. Rename one in its library to tell them apart."
                )
