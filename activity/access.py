"""Reading a project's activity: any member may, filtered by person if asked."""

from django.db.models import QuerySet

from activity.models import Activity

PAGE_SIZE = 100


def activity_of(project, person_id: object = None) -> QuerySet[Activity]:
    """The newest first; `person_id` (a member's id) narrows it to what they did."""
    rows = Activity.objects.filter(project=project).select_related("actor")
    if person_id not in (None, ""):
        try:
            rows = rows.filter(actor_id=int(person_id))
        except (TypeError, ValueError):
            return rows.none()
    return rows[:PAGE_SIZE]
