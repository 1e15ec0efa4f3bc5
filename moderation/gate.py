"""Screening at the door: what a generation or an element would send, against the blocked
terms, before anything is saved or sent. A block refuses with the category named per field
(never the term); a review lets it through held for a moderator."""

from dataclasses import dataclass

from moderation.choices import Category
from moderation.terms import current_screen
from screening.screen import Verdict, screen_fields, storyboard_texts


@dataclass(frozen=True)
class Screened:
    verdict: Verdict
    fields: dict[str, str]

    @property
    def blocked(self) -> bool:
        return self.verdict.severity == "block"

    @property
    def held(self) -> bool:
        return self.verdict.severity == "review"

    def errors(self) -> dict[str, list[str]]:
        """Per field, why it was refused: the category, never the term (none unless blocked)."""
        errors: dict[str, list[str]] = {}
        if not self.blocked:
            return errors
        for hit in self.verdict.deciding:
            message = refusal_message(hit.match.term.category)
            if message not in errors.setdefault(hit.field, []):
                errors[hit.field].append(message)
        return errors


def refusal_message(category: str) -> str:
    label = Category(category).label if category in Category.values else category
    return f"Refused: this text falls under “{label}”, which is not allowed here. Reword it."


def screen_generation(sequence: dict, elements: list[dict] = ()) -> Screened:
    fields = storyboard_texts(sequence, elements)
    return Screened(screen_fields(current_screen(), fields), fields)


def screen_element(handle: str, description: str) -> Screened:
    fields = {"handle": handle, "description": description}
    return Screened(screen_fields(current_screen(), fields), fields)


def screen_again(storyboard: dict, request: dict) -> Screened:
    """What generating a job again would send: its storyboard, and the elements its frozen
    request registers with the provider (their names and descriptions as they were frozen)."""
    fields = storyboard_texts(storyboard)
    for element in request.get("elements", []):
        name = str(element.get("name") or element.get("ref", ""))
        fields[f"elements.@{name}"] = f"{name}\n{element.get('description', '')}"
    return Screened(screen_fields(current_screen(), fields), fields)
