"""Forms of the HTML pages: sign-up and a project's title and aspect ratio."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from storyboard_app.models import Project
from storyboard_app.rules import CONTROL_CHARACTERS


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional; used for invitations later.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


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
