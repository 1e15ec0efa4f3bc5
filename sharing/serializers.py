"""The shapes of sharing in the API: members, invitation links and the requests changing them."""

from rest_framework import serializers

from sharing.access import invitation_state
from sharing.actions import MAX_LINK_USES, SHAREABLE_ROLES
from sharing.models import Invitation
from storyboard_app.models import Membership

ROLE_CHOICES = [(role.value, role.label) for role in SHAREABLE_ROLES]


class MemberSerializer(serializers.ModelSerializer):
    user = serializers.IntegerField(source="user_id", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    joined_at = serializers.DateTimeField(source="created_at", read_only=True)

    class Meta:
        model = Membership
        fields = ["user", "username", "role", "joined_at"]


class AddMemberSerializer(serializers.Serializer):
    user = serializers.CharField(max_length=254, help_text="A username or an e-mail address.")
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class RoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES)


class TransferSerializer(serializers.Serializer):
    user = serializers.IntegerField(min_value=1, help_text="The id of the member to make owner.")


class InvitationSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    created_by = serializers.CharField(source="created_by.username", default=None, read_only=True)

    class Meta:
        model = Invitation
        fields = [
            "id",
            "role",
            "email",
            "created_by",
            "created_at",
            "expires_at",
            "max_uses",
            "uses",
            "revoked_at",
            "state",
        ]

    def get_state(self, invitation: Invitation) -> str:
        return invitation_state(invitation)


class NewInvitationSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ROLE_CHOICES)
    expires_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
    max_uses = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, max_value=MAX_LINK_USES
    )
    email = serializers.EmailField(required=False, allow_blank=True, default="")
