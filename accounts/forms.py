"""The forms of the account pages: log-in (guarded: see login_guard.py) and sign-up."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm

from accounts.login_guard import LockedOut, Suspended, guarded_authenticate


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
