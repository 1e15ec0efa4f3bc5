"""Forms of the HTML pages: sign-up and a project's title and aspect ratio."""

from django import forms
from django.contrib.auth.forms import UserCreationForm

from storyboard_app.models import Project


class SignUpForm(UserCreationForm):
    email = forms.EmailField(required=False, help_text="Optional; used for invitations later.")

    class Meta(UserCreationForm.Meta):
        fields = ("username", "email")


class ProjectForm(forms.ModelForm):
    class Meta:
        model = Project
        fields = ["title", "aspect_ratio"]
        widgets = {"aspect_ratio": forms.RadioSelect}
