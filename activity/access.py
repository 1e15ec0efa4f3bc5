"""Reading a project's activity: any member may, filtered by person if asked."""

from django.db.models import QuerySet

from activity.models import Activity

PAGE_SIZE = 100


def activity_of(project, person_id: int | None = None) -> QuerySet[Activity]:
    """The newest first; `person_id` (a member's id) narrows it to what they did."""
    rows = Activity.objects.filter(project=project).select_related("actor")
    if person_id is not None:
        rows = rows.filter(actor_id=person_id)
    return rows[:PAGE_SIZE]
