"""What a case is about: the subject's row, its owner and its label, for each kind of subject.

A case keeps a key to its subject (job, take, element or project), the project it sits in when
there is one, whose content it is, and a label that outlives the subject.

Moderation sits below the apps whose rows it moderates (they screen through it before saving),
so it reaches those rows only through the foreign keys `Case` declares: a subject kind is the
name of the case's key to it.
"""

from dataclasses import dataclass, field

from moderation.choices import SubjectKind
from moderation.models import Case


def subject_model(kind: str):
    """The model of a subject kind: the one the case's foreign key of that name points at."""
    if kind not in SubjectKind.values:
        raise ValueError(f"Unknown subject kind {kind!r}")
    return Case._meta.get_field(kind).related_model


@dataclass
class Subject:
    kind: str
    obj: object
    owner: object
    label: str
    keys: dict = field(default_factory=dict)  # the case's foreign keys to it


def _where(project, sequence) -> str:
    return f"“{project.title}”, sequence {sequence.position + 1}"


def subject_of(kind: str, obj) -> Subject:
    """The subject `obj` of kind `kind`, with everything a case records about it."""
    if kind == SubjectKind.JOB:
        label = f"Generation {obj.pk} of {_where(obj.project, obj.sequence)}"
        keys = {"job": obj, "project": obj.project}
        return Subject(kind, obj, obj.created_by, label, keys)
    if kind == SubjectKind.TAKE:
        label = f"Take {obj.pk} of {_where(obj.project, obj.sequence)}"
        keys = {"take": obj, "job": obj.job, "project": obj.project}
        return Subject(kind, obj, obj.job.created_by, label, keys)
    if kind == SubjectKind.ELEMENT:
        label = f"@{obj.handle} in library “{obj.library.name}”"
        return Subject(kind, obj, obj.library.owner, label, {"element": obj})
    if kind == SubjectKind.PROJECT:
        return Subject(kind, obj, obj.owner, f"Project “{obj.title}”", {"project": obj})
    raise ValueError(f"Unknown subject kind {kind!r}")


def locked_subject(kind: str, pk: int):
    """The subject's row, locked for the caller's transaction (None if it is gone)."""
    model = subject_model(kind)
    related = {
        SubjectKind.JOB: ("project", "sequence", "created_by"),
        SubjectKind.TAKE: ("project", "sequence", "job__created_by"),
        SubjectKind.ELEMENT: ("library__owner",),
        SubjectKind.PROJECT: ("owner",),
    }[kind]
    return (
        model.objects.select_for_update(of=("self",)).select_related(*related).filter(pk=pk).first()
    )
