"""Forms of the HTML pages: log-in (guarded), sign-up and a project's title and aspect ratio."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from script.rules import CONTROL_CHARACTERS
from storyboard_app.login_guard import LockedOut, Suspended, guarded_authenticate
from storyboard_app.models import Project


class GuardedAuthenticationForm(AuthenticationForm):
    """Django's log-in form, locked for a while after too many failures (login_guard.py)."""

    def clean(self) -> dict:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            try:
                self.user_cache = guarded_authenticate(self.request, username, password)
            except LockedOut as locked:
                raise forms.ValidationError(locked.message, code="locked") from None
            except Suspended as suspended:
                raise forms.ValidationError(suspended.message, code="suspended") from None
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


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
