"""Where an element is used (projects and shots) and which elements a project may use."""

from collections import defaultdict

from django.db.models import Q

from elements_app.access import elements_for_project
from elements_app.models import Element, ElementImage, ProjectLibrary
from script.mentions import HandleIndex, find_mentions
from storyboard_app.models import Shot


def project_handles(project_id: int) -> HandleIndex:
    return HandleIndex(elements_for_project(project_id).values_list("handle", flat=True))


def usage_of(element: Element, user) -> list[dict]:
    """The shots of the user's projects that mention the element or give it a line."""
    candidates = (
        Shot.objects.filter(
            sequence__project__in=ProjectLibrary.objects.in_force()
            .filter(library_id=element.library_id)
            .values("project_id"),
            sequence__project__memberships__user=user,
        )
        .filter(Q(text__icontains=f"@{element.handle}") | Q(dialogue__speaker_element=element))
        .select_related("sequence__project")
        .distinct()
        .order_by("sequence__project_id", "sequence__position", "position")
    )
    indexes: dict[int, HandleIndex] = {}
    used = []
    for shot in candidates:
        project = shot.sequence.project
        if project.pk not in indexes:
            indexes[project.pk] = project_handles(project.pk)
        mentioned = any(
            m.handle == element.handle for m in find_mentions(shot.text, indexes[project.pk])
        )
        speaks = shot.dialogue.filter(speaker_element=element).exists()
        if mentioned or speaks:
            used.append(
                {
                    "project": project.pk,
                    "project_title": project.title,
                    "sequence": shot.sequence_id,
                    "shot": shot.pk,
                    "shot_number": shot.position + 1,
                }
            )
    return used


def elements_of_project(project_id: int, only: list[int] | None = None) -> list[dict]:
    """The elements a project may use (or those of them in `only`, in that order), with their
    front image, for the editor (two queries)."""
    chosen = elements_for_project(project_id)
    if only is not None:
        chosen = chosen.filter(pk__in=only)
    elements = list(
        chosen.order_by("handle", "id").values(
            "id", "handle", "kind", "library_id", "library__name"
        )
    )
    if only is not None:
        rank = {pk: i for i, pk in enumerate(only)}
        elements.sort(key=lambda e: rank[e["id"]])
    fronts: dict[int, str] = {}
    images = defaultdict(int)
    for image in (
        ElementImage.objects.filter(element_id__in=[e["id"] for e in elements])
        .order_by("element_id", "position")
        .values("id", "element_id", "file")
    ):
        images[image["element_id"]] += 1
        fronts.setdefault(image["element_id"], image["id"])
    return [
        {
            "id": e["id"],
            "handle": e["handle"],
            "kind": e["kind"],
            "library": e["library_id"],
            "library_name": e["library__name"],
            "image_count": images[e["id"]],
            "thumbnail": f"/api/element-images/{fronts[e['id']]}/thumbnail/"
            if e["id"] in fronts
            else None,
        }
        for e in elements
    ]
