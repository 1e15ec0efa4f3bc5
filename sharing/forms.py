"""The forms of the sharing page: add a member, a role, a new invitation link, a transfer."""

from datetime import timedelta

from django import forms
from django.utils import timezone

from sharing.actions import MAX_LINK_USES
from sharing.serializers import ROLE_CHOICES

EXPIRY_CHOICES = [("", "Never"), ("1", "In a day"), ("7", "In a week"), ("30", "In 30 days")]


class AddMemberForm(forms.Form):
    user = forms.CharField(max_length=254, label="Username or e-mail")
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class InvitationForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")
    max_uses = forms.IntegerField(
        required=False, min_value=1, max_value=MAX_LINK_USES, label="Uses (empty: any)"
    )
    email = forms.EmailField(required=False, label="Send it to (optional)")

    def __init__(self, *args, **kwargs) -> None:
        # Shown on the page of AddMemberForm, which has a `role` too: ids of its own.
        kwargs.setdefault("auto_id", "id_link_%s")
        super().__init__(*args, **kwargs)

    def link_options(self) -> dict:
        days = self.cleaned_data["expires"]
        return {
            "role": self.cleaned_data["role"],
            "expires_at": timezone.now() + timedelta(days=int(days)) if days else None,
            "max_uses": self.cleaned_data["max_uses"],
            "email": self.cleaned_data["email"],
        }


class ReviewLinkForm(forms.Form):
    label = forms.CharField(max_length=100, required=False, label="Label (for you)")
    password = forms.CharField(
        max_length=128, required=False, widget=forms.PasswordInput, label="Password (optional)"
    )
    expires = forms.ChoiceField(choices=EXPIRY_CHOICES, required=False, label="Expires")

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("auto_id", "id_review_%s")
        super().__init__(*args, **kwargs)

    def link_options(self) -> dict:
        days = self.cleaned_data["expires"]
        return {
            "label": self.cleaned_data["label"],
            "password": self.cleaned_data["password"],
            "expires_at": timezone.now() + timedelta(days=int(days)) if days else None,
        }


class TransferForm(forms.Form):
    user = forms.IntegerField(min_value=1, label="New owner")
