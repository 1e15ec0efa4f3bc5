"""The form of a project's settings page: its title and aspect ratio."""

from django import forms

from script.rules import CONTROL_CHARACTERS
from storyboard_app.models import Project


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "aspect_ratio"]
        widgets = {"aspect_ratio": forms.RadioSelect}

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError("Give the project a title.")
        if CONTROL_CHARACTERS.search(title):
            raise forms.ValidationError("Remove the control characters from the title.")
        return title
