"""The mailbox's API shapes: messages, their documents and replies, the consent."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Document, Message, Reply


class DocumentSerializer(serializers.ModelSerializer[Document]):
    download_url = serializers.SerializerMethodField(
        help_text="A short-lived link that only the owner can use, on this town's host."
    )

    class Meta:
        model = Document
        fields = ["filename", "content_type", "size", "sha256", "download_url"]

    def get_download_url(self, document: Document) -> str:
        links: dict[int, str] = self.context.get("links", {})
        return links.get(document.pk, "")


class ReplySerializer(serializers.ModelSerializer[Reply]):
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta:
        model = Reply
        fields = ["body", "sent_at", "documents"]


class MessageSummarySerializer(serializers.ModelSerializer[Message]):
    id = serializers.UUIDField(source="public_id", read_only=True)
    unread = serializers.SerializerMethodField()
    addressee = serializers.SerializerMethodField(
        help_text="Whose mailbox it is in: the person's own or an organisation's they act for."
    )

    class Meta:
        model = Message
        fields = [
            "id",
            "kind",
            "subject",
            "sender_office",
            "reference",
            "provided_at",
            "unread",
            "allows_reply",
            "addressee",
        ]

    def get_addressee(self, message: Message) -> str:
        owner = message.owner
        return owner.organisation_name or owner.get_full_name() or owner.email

    def get_unread(self, message: Message) -> bool:
        return message.is_unread


class MessageSerializer(MessageSummarySerializer):
    documents = serializers.SerializerMethodField()
    replies = ReplySerializer(many=True, read_only=True)

    class Meta(MessageSummarySerializer.Meta):
        fields = [
            *MessageSummarySerializer.Meta.fields,
            "body",
            "first_opened_at",
            "documents",
            "replies",
        ]

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, message: Message) -> list[dict[str, Any]]:
        own = [document for document in message.documents.all() if document.reply_id is None]
        return list(DocumentSerializer(own, many=True, context=self.context).data)


class ReplyRequestSerializer(serializers.Serializer[Any]):
    body = serializers.CharField(max_length=10_000)
    documents = serializers.ListField(
        child=serializers.FileField(), required=False, default=list, help_text="PDF files"
    )


class ConsentSerializer(serializers.Serializer[Any]):
    consented = serializers.BooleanField(
        help_text="Whether official notices may be delivered into the mailbox (else by letter)."
    )
    recorded_at = serializers.DateTimeField(read_only=True, allow_null=True)
