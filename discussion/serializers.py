"""The shapes of the discussion in the API."""

from rest_framework import serializers

from discussion.models import MAX_COMMENT_CHARS, Comment, Notification


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.SerializerMethodField()
    resolved = serializers.SerializerMethodField()

    class Meta:
        model = Comment
        fields = ["id", "shot", "take", "parent", "author", "body", "created_at", "resolved"]

    def get_author(self, comment: Comment) -> str:
        """A member's username, or a reviewer's signed name with "(review link)"."""
        if comment.author_id:
            return comment.author.username
        return f"{comment.guest_name} (review link)" if comment.guest_name else "Someone"

    def get_resolved(self, comment: Comment) -> bool:
        return comment.resolved_at is not None


class ThreadSerializer(CommentSerializer):
    replies = CommentSerializer(source="thread", many=True)
    resolved_by = serializers.CharField(source="resolved_by.username", default=None)

    class Meta(CommentSerializer.Meta):
        fields = [*CommentSerializer.Meta.fields, "resolved_by", "replies"]


class NewCommentSerializer(serializers.Serializer):
    body = serializers.CharField(max_length=MAX_COMMENT_CHARS, trim_whitespace=False)
    shot = serializers.IntegerField(required=False, min_value=1)
    take = serializers.IntegerField(required=False, min_value=1)
    parent = serializers.IntegerField(required=False, min_value=1)


class ResolveSerializer(serializers.Serializer):
    resolved = serializers.BooleanField()


class NotificationSerializer(serializers.ModelSerializer):
    comment = CommentSerializer()
    project = serializers.IntegerField(source="comment.project_id")
    what = serializers.CharField(source="get_kind_display")

    class Meta:
        model = Notification
        fields = ["id", "kind", "what", "project", "comment", "created_at", "read_at"]


class ReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)
