"""The security suite: the test files that keep issue 16's attacks (and the older permission
and guessing ones) closed, marked `security` so `pytest -m security` runs them alone. They run
in `make test` with everything else; SECURITY.md says what each one holds."""

from pathlib import Path

import pytest

SECURITY_SUITE = frozenset(
    {
        "test_a_library_opens_only_through_a_grant_in_force",
        "test_library_owner_detaches_in_browser",
        "test_private_media_is_served_by_its_row_not_its_path",
        "test_taken_down_take_is_served_nowhere",
        "test_parsers_run_in_linear_time",
        "test_request_bodies_are_limited_while_they_stream",
        "test_proxy_limits_match_the_asgi_limits",
        "test_image_uploads_keep_memory_bounded",
        "test_integer_query_parameters_are_checked",
        "test_schemathesis_finds_no_server_errors",
        "test_socket_survives_hostile_messages",
        "test_socket_origin_must_match_exactly",
        "test_sockets_per_user_are_capped",
        "test_tokens_never_reach_the_logs",
        "test_password_resets_are_throttled",
        "test_login_is_guarded_against_guessing",
        "test_invitation_accept_is_race_safe_and_rate_limited",
        "test_review_links",
        "test_killed_render_resumes_at_once",
        "test_pages_send_a_content_security_policy",
        "test_pages_keep_to_their_policy_in_browser",
        "test_export_titles_cannot_inject_lines",
        "test_permissions_of_every_endpoint",
        "test_the_permission_tables_declare_every_route",
        "test_api_callers_prove_who_they_are_by_token_or_session_and_csrf",
        "test_refusals_say_why_and_strangers_learn_nothing",
        "test_ids_of_other_projects_in_storyboard_bodies_are_refused",
        "test_ids_of_other_projects_in_sharing_bodies_are_refused",
        "test_ids_of_other_projects_in_discussion_and_element_bodies_are_refused",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__.rsplit(".", 1)[-1] in SECURITY_SUITE:
            item.add_marker(pytest.mark.security)


def pytest_configure(config: pytest.Config) -> None:
    here = Path(__file__).parent
    missing = sorted(name for name in SECURITY_SUITE if not (here / f"{name}.py").is_file())
    if missing:
        raise pytest.UsageError(f"tests/security_suite.py names missing files: {missing}")
