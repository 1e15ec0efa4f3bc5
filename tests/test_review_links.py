"""Review links: without an account, watch the chosen takes and read the storyboard, comment
under a name; an optional password and expiry; revocable at once; nothing else of the project
opens with the token (no editor, no API, no other take, no other project's media)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from discussion.models import Comment
from jobs import actions as job_actions
from sharing import actions
from sharing.token_guard import REVIEW_LINK_GUESSES
from storyboard_app import actions as storyboard_actions
from tests.conftest import Cast
from tests.job_helpers import delivered_take, queued_job


@pytest.fixture
def takes(cast: Cast, media_root):
    chosen = delivered_take(queued_job(cast.editor, cast.sequence))
    other = delivered_take(queued_job(cast.editor, cast.sequence))
    job_actions.choose_take(chosen)
    return chosen, other


def link(cast: Cast, **options) -> str:
    _, token = actions.create_review_link(cast.project, cast.owner, **options)
    return token


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_visitor_without_an_account_watches_the_chosen_take_and_reads_the_storyboard(
    cast: Cast, takes
) -> None:
    chosen, _ = takes
    token = link(cast, label="Client")
    visitor = Client()
    page = visitor.get(reverse("review", args=[token]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Lighthouse" in html
    assert "Shot 2 action" in html
    assert "Line 3" in html  # the dialogue
    video_url = reverse("review-media", args=[token, chosen.pk, "video"])
    assert video_url in html
    video = visitor.get(video_url, headers={"Range": "bytes=0-99"})
    assert video.status_code == 206
    assert len(body(video)) == 100


def test_the_token_opens_nothing_else(cast: Cast, takes) -> None:
    chosen, other = takes
    token = link(cast)
    visitor = Client()
    assert visitor.get(reverse("review-media", args=[token, other.pk, "video"])).status_code == 404
    foreign_sequence = cast.outsider.owned_projects.get().sequences.get()
    for _ in range(2):
        storyboard_actions.add_shot(foreign_sequence, {"duration": 3, "text": "Theirs"})
    foreign = delivered_take(queued_job(cast.outsider, foreign_sequence))
    job_actions.choose_take(foreign)
    assert (
        visitor.get(reverse("review-media", args=[token, foreign.pk, "video"])).status_code == 404
    )
    visitor.get(reverse("review", args=[token]))
    assert visitor.get(reverse("editor", args=[cast.project.pk])).status_code == 302  # to login
    api = visitor.get(reverse("api-project-timeline", args=[cast.project.pk]))
    assert api.status_code in (401, 403)
    assert visitor.get(chosen.video.url).status_code == 302  # private media wants a login


def test_a_visitor_comments_under_a_name_and_members_see_it(cast: Cast, takes) -> None:
    chosen, other = takes
    token = link(cast)
    visitor = Client()
    url = reverse("review-comment", args=[token])
    answer = visitor.post(url, {"take": chosen.pk, "name": "Dana (agency)", "body": "Love it"})
    assert answer.status_code == 302
    comment = Comment.objects.get()
    assert (comment.author, comment.guest_name, comment.take_id) == (
        None,
        "Dana (agency)",
        chosen.pk,
    )
    threads = (
        cast.client("viewer")
        .get(reverse("api-project-comments", args=[cast.project.pk]), {"take": chosen.pk})
        .json()
    )
    assert threads[0]["author"] == "Dana (agency) (review link)"
    assert "Love it" in visitor.get(reverse("review", args=[token])).content.decode()
    # Only chosen takes of this project, a name and a body.
    assert visitor.post(url, {"take": other.pk, "name": "D", "body": "x"}).status_code == 404
    visitor.post(url, {"take": chosen.pk, "name": "", "body": "No name"})
    page = visitor.get(reverse("review", args=[token])).content.decode()
    assert "Sign with a name of 1 to 60 characters." in page
    assert Comment.objects.count() == 1


def test_a_password_keeps_the_link_closed_until_given(cast: Cast, takes) -> None:
    chosen, _ = takes
    token = link(cast, password="s3cret-cut")
    visitor = Client()
    page = visitor.get(reverse("review", args=[token]))
    assert page.status_code == 401
    assert "protected by a password" in page.content.decode()
    assert "Shot 2 action" not in page.content.decode()
    media = reverse("review-media", args=[token, chosen.pk, "video"])
    assert visitor.get(media).status_code == 404
    wrong = visitor.post(reverse("review", args=[token]), {"password": "guess"})
    assert wrong.status_code == 403
    assert "That is not the password" in wrong.content.decode()
    right = visitor.post(reverse("review", args=[token]), {"password": "s3cret-cut"})
    assert right.status_code == 302
    assert "Shot 2 action" in visitor.get(reverse("review", args=[token])).content.decode()
    assert visitor.get(media).status_code == 200


def test_password_guessing_is_stopped(cast: Cast, takes) -> None:
    token = link(cast, password="s3cret-cut")
    visitor = Client()
    for _ in range(10):
        visitor.post(reverse("review", args=[token]), {"password": "guess"})
    locked = visitor.post(reverse("review", args=[token]), {"password": "s3cret-cut"})
    assert locked.status_code == 429
    assert "Too many wrong passwords" in locked.content.decode()


def test_revoked_expired_and_unknown_links_say_so(cast: Cast, takes) -> None:
    token = link(cast)
    visitor = Client()
    assert visitor.get(reverse("review", args=[token])).status_code == 200
    review = cast.project.review_links.get()
    actions.revoke_review_link(review)
    revoked = visitor.get(reverse("review", args=[token]))
    assert revoked.status_code == 410
    assert "This review link was revoked." in revoked.content.decode()
    media = reverse("review-media", args=[token, takes[0].pk, "video"])
    assert visitor.get(media).status_code == 410
    expiring = link(cast, expires_at=timezone.now() + timedelta(days=1))
    cast.project.review_links.filter(revoked_at=None).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    expired = visitor.get(reverse("review", args=[expiring]))
    assert expired.status_code == 410
    assert "This review link expired on" in expired.content.decode()
    unknown = visitor.get(reverse("review", args=["x" * 43]))
    assert unknown.status_code == 404
    assert "not valid" in unknown.content.decode()


def test_the_owner_makes_and_revokes_review_links_on_the_sharing_page(cast: Cast) -> None:
    owner = cast.page_client("owner")
    url = reverse("sharing", args=[cast.project.pk])
    made = owner.post(
        url, {"op": "review-link", "label": "Client", "password": "pw", "expires": "7"}
    )
    assert made.status_code == 201
    review = cast.project.review_links.get()
    assert review.label == "Client"
    assert review.password_hash.startswith(("md5$", "argon2$"))  # hashed, never stored plain
    assert "/review/" in made.content.decode()
    assert review.expires_at > timezone.now() + timedelta(days=6)
    owner.post(url, {"op": "review-revoke", "link": review.pk})
    review.refresh_from_db()
    assert review.revoked_at is not None
    refused = cast.page_client("editor").post(url, {"op": "review-link", "label": "Mine"})
    assert refused.status_code == 403


def test_watching_never_counts_against_the_limit_but_trying_tokens_does(cast: Cast, takes) -> None:
    chosen, _ = takes
    token = link(cast)
    visitor = Client()
    video = reverse("review-media", args=[token, chosen.pk, "video"])
    for _ in range(40):  # a player seeking
        assert visitor.get(video, headers={"Range": "bytes=0-9"}).status_code == 206
    budget = REVIEW_LINK_GUESSES.wide.attempts  # guesses spread over every token prefix
    for i in range(budget):
        assert visitor.get(reverse("review", args=[f"{i:03d}" + "x" * 40])).status_code == 404
    refused = visitor.get(reverse("review", args=[token]))
    assert refused.status_code == 429
    assert "Too many attempts: try again in" in refused.content.decode()


def test_a_guesser_stops_neither_the_others_behind_the_address_nor_their_links(
    cast: Cast, takes
) -> None:
    """One guesser hammering tokens behind an office's address is stopped; a colleague behind
    the same address still opens the real link, whose token begins otherwise."""
    token = link(cast)
    guess = ("x" if not token.startswith("x") else "y") * 43
    guesser, colleague = Client(), Client()
    for _ in range(REVIEW_LINK_GUESSES.narrow.attempts):
        assert guesser.get(reverse("review", args=[guess])).status_code == 404
    assert guesser.get(reverse("review", args=[guess])).status_code == 429
    assert colleague.get(reverse("review", args=[token])).status_code == 200


def test_wrong_passwords_on_one_link_do_not_lock_another(cast: Cast, takes) -> None:
    guarded, other = link(cast, password="s3cret-cut"), link(cast, password="other-cut")
    visitor = Client()
    for _ in range(10):
        visitor.post(reverse("review", args=[guarded]), {"password": "guess"})
    assert visitor.post(reverse("review", args=[guarded]), {"password": "x"}).status_code == 429
    right = visitor.post(reverse("review", args=[other]), {"password": "other-cut"})
    assert right.status_code == 302
