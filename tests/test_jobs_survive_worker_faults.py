"""Jobs run by real Celery worker processes against real Redis and the test database, and the
fake Kling server: crashes, duplicates, outages and every fault end in the right state, with
one take and the balance charged once (or refunded once)."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from elements_app import actions as element_actions
from elements_app import media_actions as element_media
from jobs import dispatch
from jobs.choices import FINAL_STATES, JobState, LedgerKind
from jobs.models import CreditAccount, GenerationJob, LedgerEntry, RemoteElement, Take
from jobs.probe import probe_video
from jobs.snapshot import inputs_dir, takes_dir
from media import check_image
from storyboard_app import actions as storyboard_actions
from tests.conftest import image_bytes
from tests.worker_fixtures import wait_for

FINISH_SECONDS = 60


@pytest.fixture
def kling_workers(workers, fake_kling):
    """Workers that reach the fake Kling server, with a short read timeout for hang faults."""
    workers.env.update(
        KLING_API_KEY=fake_kling.api_key,
        KLING_BASE_URL=fake_kling.base_url,
        KLING_TIMEOUT_SECONDS="2",
    )
    return workers


def generate(cast, provider: str, key: str | None = None) -> GenerationJob:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    response = cast.client("editor").post(
        reverse("api-sequence-generate", args=[cast.sequence.pk]),
        {"provider": provider},
        format="json",
        **headers,
    )
    assert response.status_code == 202, response.content
    return GenerationJob.objects.get(pk=response.json()["id"])


def finished(job: GenerationJob, seconds: float = FINISH_SECONDS) -> GenerationJob:
    def final():
        job.refresh_from_db()
        return job.state in FINAL_STATES

    wait_for(final, seconds, f"job {job.pk} did not finish: {job.state}")
    return job


def assert_charged_once(job: GenerationJob) -> None:
    kinds = sorted(LedgerEntry.objects.filter(job=job).values_list("kind", flat=True))
    assert kinds == [LedgerKind.RESERVE, LedgerKind.SETTLE]
    assert CreditAccount.objects.get(user=job.created_by).balance == 100 - job.cost


def assert_refunded_once(job: GenerationJob) -> None:
    kinds = sorted(LedgerEntry.objects.filter(job=job).values_list("kind", flat=True))
    assert kinds == [LedgerKind.REFUND, LedgerKind.RESERVE]
    assert CreditAccount.objects.get(user=job.created_by).balance == 100


def assert_one_playable_take(job: GenerationJob, media_root) -> Take:
    assert job.state == JobState.SUCCEEDED, (job.error_code, job.error_message)
    take = Take.objects.get(job=job)
    info = probe_video(media_root / take.video.name)
    assert info.duration == pytest.approx(take.duration, abs=0.1)
    assert (media_root / take.poster.name).stat().st_size > 0
    return take


def test_an_animatic_job_runs_from_queued_to_a_playable_take(cast, workers, media_root):
    workers.start()

    job = finished(generate(cast, "animatic"))

    take = assert_one_playable_take(job, media_root)
    assert take.duration == pytest.approx(9, abs=0.05)  # the cast's shots: 2 + 3 + 4 s
    assert (take.width, take.height) == (1280, 720)
    assert take.has_audio
    assert len(take.shot_thumbnails) == 3
    assert job.started_at is not None
    assert job.progress == 1


def test_a_kling_job_runs_to_a_take_and_is_charged_once(
    cast, kling_workers, fake_kling, media_root
):
    kling_workers.start()

    job = finished(generate(cast, "kling"))

    assert_one_playable_take(job, media_root)
    assert_charged_once(job)
    assert job.provider_task_id
    assert fake_kling.stats()["tasks_created"] == 1


def test_killing_the_worker_mid_render_loses_nothing(cast, workers, media_root):
    cast.sequence.quality = "1080p"
    cast.sequence.save()
    first = workers.start("render", pool="prefork", concurrency=1)
    job = generate(cast, "animatic")
    wait_for(
        lambda: GenerationJob.objects.get(pk=job.pk).progress > 0.05, 30, "the render never began"
    )

    workers.kill(first)
    workers.start(beat=True)

    job = finished(job)
    assert_one_playable_take(job, media_root)
    assert job.step > 1  # it was claimed again after the crash


def test_killing_the_worker_while_kling_works_finishes_the_job_charged_once(
    cast, kling_workers, fake_kling, media_root
):
    fake_kling.set_processing_seconds(4)
    first = kling_workers.start()
    job = generate(cast, "kling")
    wait_for(
        lambda: GenerationJob.objects.get(pk=job.pk).state == JobState.SUBMITTED,
        30,
        "never submitted",
    )

    kling_workers.kill(first)
    kling_workers.start(beat=True)

    job = finished(job)
    assert_one_playable_take(job, media_root)
    assert_charged_once(job)
    assert fake_kling.stats()["tasks_created"] == 1


def test_the_same_task_delivered_twice_makes_one_provider_task_and_one_take(
    cast, kling_workers, fake_kling, media_root
):
    kling_workers.start()
    job = generate(cast, "kling")
    dispatch.send(dispatch.START_REMOTE, job.pk, 0)
    dispatch.send(dispatch.START_REMOTE, job.pk, 0)

    job = finished(job)

    assert_one_playable_take(job, media_root)
    assert_charged_once(job)
    assert fake_kling.stats()["tasks_created"] == 1


def test_the_job_waits_out_a_provider_down_for_a_minute_and_then_succeeds(
    cast, kling_workers, fake_kling, media_root
):
    down_since = timezone.now()
    fake_kling.go_down(60)
    kling_workers.start()

    job = finished(generate(cast, "kling"), seconds=120)

    assert_one_playable_take(job, media_root)
    assert_charged_once(job)
    assert job.attempts >= 5
    # Submitted once the provider was back (measured from its going down, not from the job's
    # making: the worker's start takes a moment of that minute on a loaded machine).
    assert (job.submitted_at - down_since).total_seconds() >= 59


SUCCEEDS_AFTER = {
    "5000 at submit": lambda fake: fake.fail_next_submits(5000, count=2),
    "5001 at submit": lambda fake: fake.fail_next_submits(5001),
    "5002 after the task was made": lambda fake: fake.fail_next_submits(5002, after_create=True),
    "1302 rate limit": lambda fake: fake.fail_next_submits(1302, count=2),
    "1303 concurrency": lambda fake: fake.fail_next_submits(1303),
    "a timeout at submit": lambda fake: fake.hang_next_requests(1, 4, kind="submit"),
    "a lost answer to a create": lambda fake: fake.hang_next_requests(
        1, 4, kind="submit", process_first=True
    ),
    "5000 on a query": lambda fake: fake.fail_next_queries(5000, count=2),
    "slow processing": lambda fake: fake.set_processing_seconds(6),
}


@pytest.mark.parametrize("fault", SUCCEEDS_AFTER, ids=list(SUCCEEDS_AFTER))
def test_transient_faults_are_retried_to_a_take(cast, kling_workers, fake_kling, media_root, fault):
    SUCCEEDS_AFTER[fault](fake_kling)
    kling_workers.start()

    job = finished(generate(cast, "kling"))

    assert_one_playable_take(job, media_root)
    assert_charged_once(job)
    assert fake_kling.stats()["tasks_created"] == 1


FAILS_WITH = {
    "1301 at submit": (
        lambda fake: fake.fail_next_submits(1301),
        "1301",
        "content grounds",
        True,
    ),
    "1301 as a later failure": (
        lambda fake: fake.fail_next_tasks(1),
        "content_refused",
        "content grounds",
        True,
    ),
    "1102 no resource pack": (
        lambda fake: fake.fail_next_submits(1102),
        "1102",
        "resource pack",
        False,
    ),
    "1004 expired credentials": (
        lambda fake: fake.fail_next_submits(1004),
        "1004",
        "Kling",
        False,
    ),
    "a result URL that 404s": (
        lambda fake: fake.set_results_missing(),
        "result_missing",
        "",
        False,
    ),
}


@pytest.mark.parametrize("fault", FAILS_WITH, ids=list(FAILS_WITH))
def test_final_faults_fail_the_job_with_its_message_and_refund_it(
    cast, kling_workers, fake_kling, fault
):
    inject, code, words, refused = FAILS_WITH[fault]
    inject(fake_kling)
    kling_workers.start()

    job = finished(generate(cast, "kling"))

    assert job.state == JobState.FAILED
    assert job.error_code == code
    assert words in job.error_message
    assert job.content_refused is refused
    assert not Take.objects.filter(job=job).exists()
    assert_refunded_once(job)


def test_provider_callbacks_short_cut_the_polling(
    cast, kling_workers, fake_kling, media_root, live_server, settings
):
    # Polls with callbacks are rare (a safety net): the job can only finish this fast because
    # the callback made it poll at once.
    kling_workers.env.update(
        PUBLIC_BASE_URL=live_server.url,
        JOBS_POLL_WITH_CALLBACKS_FIRST_SECONDS="60",
        JOBS_POLL_WITH_CALLBACKS_MAX_SECONDS="60",
    )
    settings.PUBLIC_BASE_URL = live_server.url
    kling_workers.start()

    job = finished(generate(cast, "kling"), seconds=20)

    assert_one_playable_take(job, media_root)
    stats = fake_kling.stats()
    assert stats["callbacks_sent"] >= 1
    assert (job.finished_at - job.created_at).total_seconds() < 20


def test_mentioned_elements_are_registered_with_kling_once_and_reused(
    cast, kling_workers, fake_kling, media_root
):
    library = element_actions.create_library(cast.owner, "Cast")
    element_actions.attach_library(cast.project, library, cast.owner)
    mara = element_actions.create_element(library, {"handle": "Mara", "kind": "character"})
    element_media.add_image(mara, check_image(image_bytes()), "front")
    storyboard_actions.update_shot(cast.shots[0], 1, {"text": "@Mara climbs the stairs."})
    cast.sequence.model_family = "omni"
    cast.sequence.save()
    kling_workers.start()

    first = finished(generate(cast, "kling"))
    second = finished(generate(cast, "kling"))

    assert_one_playable_take(first, media_root)
    assert_one_playable_take(second, media_root)
    assert fake_kling.stats()["elements_created"] == 1
    remote = RemoteElement.objects.get(element=mara, provider="kling")
    assert first.request["body"]["element_list"] == [{"element_id": {"$element": mara.pk}}]
    assert remote.remote_id


def test_a_render_canceled_mid_way_stops_and_leaves_no_take(cast, workers, media_root):
    cast.sequence.quality = "1080p"
    cast.sequence.save()
    workers.start("render", pool="prefork", concurrency=1)
    job = generate(cast, "animatic")
    wait_for(
        lambda: GenerationJob.objects.get(pk=job.pk).progress > 0.05, 30, "the render never began"
    )

    takes = media_root / "private" / "projects" / str(cast.project.pk) / "takes" / str(job.pk)
    assert any(takes.rglob("*.mp4.part"))  # the render is writing

    response = cast.client("editor").post(reverse("api-job-cancel", args=[job.pk]))

    assert response.status_code == 200
    # The render notices at its next ownership check and removes what it wrote.
    files = lambda: [path for path in takes.rglob("*") if path.is_file()]  # noqa: E731
    wait_for(lambda: not files(), 20, f"the render did not stop: {files()}")
    job.refresh_from_db()
    assert job.state == JobState.CANCELED
    assert not Take.objects.filter(job=job).exists()


def test_a_render_that_fails_ends_the_job_with_its_reason_and_no_file(cast, workers, media_root):
    cast.sequence.first_frame.save("first.jpg", ContentFile(image_bytes()))
    job = generate(cast, "animatic")  # queued: no worker runs yet
    frozen = inputs_dir(cast.project.pk, job.external_task_id) / job.request["first_frame"]["$file"]
    frozen.unlink()  # the job's own hard link: the sequence's first frame is untouched
    frozen.write_bytes(b"not a picture at all")

    workers.start("render", pool="prefork", concurrency=1)
    job = finished(job)

    assert job.state == JobState.FAILED
    assert job.error_message.startswith("The animatic could not be rendered: cannot read input")
    assert frozen.name in job.error_message
    assert CreditAccount.objects.get(user=cast.editor).balance == 100  # the animatic is free
    takes = takes_dir(cast.project.pk, job.pk)
    assert not takes.exists() or not [path for path in takes.rglob("*") if path.is_file()]
    assert not Take.objects.filter(job=job).exists()
