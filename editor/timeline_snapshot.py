"""The whole editor state of a project in one read, with a constant number of queries.

Eight queries whatever the size (the project itself was loaded by `access_project`): sequences,
their shots, the shots' dialogue lines, the elements the project may use with their front
images, the latest jobs, every take and the open comment threads per shot. Each sequence
carries its validation report, so the editor shows every problem at once on load.
"""

from discussion.access import open_counts
from elements_app.usage import elements_of_project
from jobs.events import job_row, take_row
from script import rules
from script.drafts import validation_report
from script.mentions import HandleIndex
from storyboard_app.choices import FIELD_CHOICES
from storyboard_app.models import Project
from storyboard_app.sequence_rows import sequence_rows
from storyboard_app.serializers import ProjectSerializer

# The editor shows the state of the latest jobs (those in flight and recent failures).
RECENT_JOBS = 20


def vocabulary() -> dict:
    """The choices and limits the editor offers, as the server defines them."""
    return {
        "limits": rules.limits(),
        "choices": {
            name: [{"value": value, "label": label} for value, label in choices.choices]
            for name, choices in FIELD_CHOICES.items()
        },
    }


def timeline_of(project: Project) -> dict:
    sequences = sequence_rows(project.sequences.all())
    elements = elements_of_project(project.pk)
    handles = HandleIndex(element["handle"] for element in elements)
    for sequence in sequences:
        sequence["validation"] = validation_report(sequence, handles)
    return {
        "project": ProjectSerializer(project).data,
        "sequences": sequences,
        "elements": elements,
        "jobs": [job_row(job) for job in project.jobs.order_by("-id")[:RECENT_JOBS]],
        "takes": [take_row(take) for take in project.takes.order_by("-id")],
        # Open comment threads per shot id, for the timeline's badges.
        "open_comments": open_counts(project.pk),
    }
