"""Routes of the exports and imports under /api/: the timelines for editing software (and an
edited one brought back), the PDF sheet and the project as JSON."""

from exports.api_documents import urlpatterns as document_urls
from exports.api_timeline import urlpatterns as timeline_urls

urlpatterns = [*document_urls, *timeline_urls]
