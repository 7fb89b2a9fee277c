"""The applications API's shapes: a person's applications, their history, an answer."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .definition import text_in
from .models import CaseEvent, Submission
from .selectors import answers_by_step, citizen_status, citizen_status_code


class FileSerializer(serializers.Serializer[dict[str, Any]]):
    name = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download_url = serializers.CharField(
        help_text="A short-lived link that only this account can use, on this town's host."
    )


class EventSerializer(serializers.ModelSerializer[CaseEvent]):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = ["kind", "kind_label", "created_at", "text", "files"]

    @extend_schema_field(FileSerializer(many=True))
    def get_files(self, event: CaseEvent) -> list[dict[str, Any]]:
        links: dict[str, str] = self.context.get("links", {})
        return [
            {
                "name": item.get("name", ""),
                "size": item.get("size", 0),
                "sha256": item.get("sha256", ""),
                "download_url": links.get(item["file"], ""),
            }
            for item in event.files
            if item.get("file")
        ]


class ApplicationSummarySerializer(serializers.ModelSerializer[Submission]):
    form = serializers.SerializerMethodField(help_text="The form's title")
    form_slug = serializers.CharField(source="form.slug", read_only=True)
    status = serializers.SerializerMethodField(
        help_text="awaiting_payment, received, in_progress, query, done or rejected "
        "(a status the form keeps internal reads as received)"
    )
    status_label = serializers.SerializerMethodField()
    awaits_answer = serializers.SerializerMethodField(
        help_text="Whether a question of the office (Rückfrage) waits for an answer"
    )

    class Meta:
        model = Submission
        fields = [
            "reference",
            "form",
            "form_slug",
            "status",
            "status_label",
            "awaits_answer",
            "submitted_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_form(self, submission: Submission) -> str:
        return text_in(submission.version.definition["title"])

    @extend_schema_field(serializers.CharField())
    def get_status(self, submission: Submission) -> str:
        return citizen_status_code(submission=submission)

    @extend_schema_field(serializers.CharField())
    def get_status_label(self, submission: Submission) -> str:
        return citizen_status(submission=submission)

    @extend_schema_field(serializers.BooleanField())
    def get_awaits_answer(self, submission: Submission) -> bool:
        return submission.status == Submission.Status.QUERY


def answer_rows(submission: Submission) -> list[dict[str, str]]:
    """The answers as the API gives them: step, question (the version's label), answer."""
    return [
        {"step": str(part["step"].title), "question": row["label"], "answer": row["value"]}
        for part in answers_by_step(
            definition=submission.version.definition, answers=submission.answers
        )
        for row in part["rows"]
    ]


class AnswerRowSerializer(serializers.Serializer[dict[str, Any]]):
    step = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()


class ApplicationSerializer(ApplicationSummarySerializer):
    answers = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(ApplicationSummarySerializer.Meta):
        fields = [*ApplicationSummarySerializer.Meta.fields, "answers", "history"]

    @extend_schema_field(AnswerRowSerializer(many=True))
    def get_answers(self, submission: Submission) -> list[dict[str, str]]:
        return answer_rows(submission)

    @extend_schema_field(EventSerializer(many=True))
    def get_history(self, submission: Submission) -> list[dict[str, Any]]:
        events = self.context.get("events", [])
        return list(EventSerializer(events, many=True, context=self.context).data)


class AnswerRequestSerializer(serializers.Serializer[dict[str, Any]]):
    """For the schema: the answer's fields (checked by the site's own answer form)."""

    text = serializers.CharField(max_length=4000)
    files = serializers.ListField(
        child=serializers.FileField(), required=False, help_text="PDF, JPG or PNG, up to 5"
    )


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    code = serializers.CharField()
    detail = serializers.CharField()
    problems = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Each field's problems (text, files), in the person's language",
    )
