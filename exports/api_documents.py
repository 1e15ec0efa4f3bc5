"""API views of the PDF storyboard sheet and the project as JSON (filled in by that work)."""

urlpatterns: list = []
