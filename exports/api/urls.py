"""Routes of the exports and imports under /api/: the PDF sheet and the project as JSON, and the
edit for editing software (OTIO, EDL, FCPXML) and an edited one brought back."""

from django.urls import path

from exports.api import documents, edits
from exports.edit import FORMATS

urlpatterns = [
    path(
        "projects/<id:project_id>/export/pdf/",
        documents.SheetPdfView.as_view(),
        name="api-project-export-pdf",
    ),
    path(
        "projects/<id:project_id>/export/json/",
        documents.ProjectJsonView.as_view(),
        name="api-project-export-json",
    ),
    path("projects/import/", documents.ProjectImportView.as_view(), name="api-project-import"),
    # One route per format rather than a format parameter: each is its own operation in the
    # schema, with nothing for a client to misspell.
    *(
        path(
            f"projects/<id:project_id>/export/{kind}/",
            edits.ExportView.as_view(),
            {"kind": kind},
            name=f"api-project-export-{kind}",
        )
        for kind in FORMATS
    ),
    path(
        "projects/<id:project_id>/edit-import/",
        edits.EditImportView.as_view(),
        name="api-project-edit-import",
    ),
    path(
        "projects/<id:project_id>/edit-import/apply/",
        edits.EditApplyView.as_view(),
        name="api-project-edit-import-apply",
    ),
]
