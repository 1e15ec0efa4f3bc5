"""Routes of the editor's API under /api/: projects, sequences, shots, the timeline snapshot,
the generation check, directing and the activity."""

from django.urls import path

from editor.api import activity, director, projects, sequences, shots

urlpatterns = [
    path("projects/", projects.ProjectListView.as_view(), name="api-projects"),
    path("projects/<id:project_id>/", projects.ProjectDetailView.as_view(), name="api-project"),
    path(
        "projects/<id:project_id>/timeline/",
        projects.TimelineView.as_view(),
        name="api-project-timeline",
    ),
    path(
        "projects/<id:project_id>/sequences/",
        projects.SequenceCreateView.as_view(),
        name="api-project-sequences",
    ),
    path(
        "projects/<id:project_id>/activity/",
        activity.ActivityView.as_view(),
        name="api-project-activity",
    ),
    path("vocabulary/", projects.VocabularyView.as_view(), name="api-vocabulary"),
    path("director/split/", director.DirectorSplitView.as_view(), name="api-director-split"),
    path(
        "projects/<id:project_id>/director/apply/",
        director.DirectorApplyView.as_view(),
        name="api-director-apply",
    ),
    path(
        "sequences/<id:sequence_id>/", sequences.SequenceDetailView.as_view(), name="api-sequence"
    ),
    path(
        "sequences/<id:sequence_id>/frames/<frame:which>/",
        sequences.SequenceFrameView.as_view(),
        name="api-sequence-frame",
    ),
    path(
        "sequences/<id:sequence_id>/reorder/",
        sequences.ReorderView.as_view(),
        name="api-sequence-reorder",
    ),
    path(
        "sequences/<id:sequence_id>/review/",
        sequences.ReviewView.as_view(),
        name="api-sequence-review",
    ),
    path(
        "sequences/<id:sequence_id>/validate/",
        sequences.ValidateView.as_view(),
        name="api-sequence-validate",
    ),
    path(
        "sequences/<id:sequence_id>/shots/",
        shots.ShotCreateView.as_view(),
        name="api-sequence-shots",
    ),
    path("shots/<id:shot_id>/", shots.ShotDetailView.as_view(), name="api-shot"),
    path(
        "shots/<id:shot_id>/duplicate/",
        shots.ShotDuplicateView.as_view(),
        name="api-shot-duplicate",
    ),
]
