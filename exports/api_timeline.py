"""API views of the timelines for editing software (filled in by the hand-off work)."""

urlpatterns: list = []
