"""The concurrency tests: requests racing each other in threads of their own, each on its own
database connection (most need PostgreSQL, see `needs_postgresql`), marked `concurrency` so
`make test-fast` can leave them out (`-m "not browser and not concurrency"`) and
`pytest -m concurrency` runs them alone. They run in `make test` with everything else.

One list, by file and test function (every parametrization of a function is marked).
"""

import re
from pathlib import Path

import pytest

CONCURRENCY_TESTS = {
    "test_approval_locks_the_sequence": {
        "test_an_approval_waits_for_an_edit_in_flight_and_the_next_edit_is_refused",
    },
    "test_invitation_accept_is_race_safe_and_rate_limited": {
        "test_of_two_people_taking_the_last_use_at_once_exactly_one_joins",
        "test_one_person_accepting_from_two_tabs_at_once_joins_once_and_spends_one_use",
        "test_many_people_racing_for_three_uses_leave_exactly_three_members",
    },
    "test_reorder_is_atomic": {
        "test_concurrent_reorders_leave_one_of_the_requested_orders_with_dense_positions",
        "test_concurrent_adds_duplicates_deletes_and_reorders_keep_positions_dense",
        "test_concurrent_deletes_of_different_shots_leave_the_rest_dense",
    },
    "test_reports_fold_into_one_case": {
        "test_eight_people_reporting_one_take_at_once_make_one_case_with_eight_reports",
    },
    "test_shot_edits_use_optimistic_versions": {
        "test_of_concurrent_edits_of_one_version_exactly_one_wins_and_the_rest_get_409",
    },
    "test_two_moderators_deciding_one_case_at_once_exactly_one_wins": {
        "test_two_moderators_deciding_one_case_at_once_exactly_one_wins",
    },
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is None:
            continue
        names = CONCURRENCY_TESTS.get(item.module.__name__.rsplit(".", 1)[-1], ())
        if getattr(item, "originalname", item.name) in names:
            item.add_marker(pytest.mark.concurrency)


def pytest_configure(config: pytest.Config) -> None:
    here = Path(__file__).parent
    missing = []
    for module, names in sorted(CONCURRENCY_TESTS.items()):
        path = here / f"{module}.py"
        source = path.read_text() if path.is_file() else ""
        missing += [
            f"{module}::{name}"
            for name in sorted(names)
            if not re.search(rf"^def {name}\(", source, re.MULTILINE)
        ]
    if missing:
        raise pytest.UsageError(f"tests/concurrency_suite.py names missing tests: {missing}")
