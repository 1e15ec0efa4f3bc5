"""What generating a sequence would say now, without making a job (the editor's check)."""

from compiler.storyboard import compile_request
from jobs import credits
from jobs.actions import HELD_WARNING
from jobs.registry import available_providers
from jobs.snapshot import storyboard_of
from moderation.gate import screen_generation
from storyboard_app.models import Sequence


def generation_check(user, sequence: Sequence, provider: str) -> dict:
    """What generating would say now, without making a job: errors per field, warnings, and
    the estimate (seconds, cost) beside the user's balance."""
    storyboard = storyboard_of(sequence)
    compiled = compile_request(provider, storyboard)
    errors = dict(compiled.errors)
    warnings = list(compiled.warnings)
    if provider not in available_providers():
        errors.setdefault("provider", []).append(f"{provider!r} is not available here.")
    screened = screen_generation(storyboard["sequence"], storyboard["elements"])
    for field, messages in screened.errors().items():
        errors.setdefault(field, []).extend(messages)
    if screened.held:
        warnings.append(HELD_WARNING)
    return {
        "ok": not errors,
        "errors": errors,
        "warnings": warnings,
        "estimate": {
            "seconds": compiled.seconds,
            "cost": compiled.cost,
            "balance": credits.balance_of(user),
        },
    }
