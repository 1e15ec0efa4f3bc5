"""Every role on every route (the tables of tests/permission_tables/, one module per app) gets
the status its table declares, a refused write changes nothing, and an anonymous API call is a
JSON 401 (tests/permission_tables/__init__.py tells the roles).
"""

import pytest

from tests.conftest import Cast
from tests.permission_helpers import (
    Endpoint,
    assert_a_json_401,
    assert_the_declared_outcome,
    cases,
    matrix_rows,
)
from tests.permission_tables import TABLE
from tests.role_helpers import FullCast, with_more_roles


@pytest.fixture
def cast(cast: Cast) -> FullCast:
    """conftest's cast with a commenter of the project, a moderator and a staff user."""
    return with_more_roles(cast)


@pytest.fixture
def db_rows():
    """Here the snapshot holds the sharing tables too (invitation links and their uses), the
    discussion (comments and notifications) and moderation (cases, reports, appeals, notices)."""
    return matrix_rows


@pytest.mark.parametrize(("endpoint", "role"), cases(TABLE))
def test_each_role_gets_the_declared_status_and_a_refused_write_changes_nothing(
    endpoint: Endpoint, role, cast, media_root, db_rows
):
    assert_the_declared_outcome(endpoint, role, cast, db_rows)


@pytest.mark.parametrize("endpoint", [e for e in TABLE if not e.page], ids=str)
def test_anonymous_api_calls_are_refused_with_a_json_401_and_no_redirect(endpoint, cast):
    assert_a_json_401(endpoint, cast)
