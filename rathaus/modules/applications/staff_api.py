"""Staff API of online applications (session of a clerk; app tokens are refused): the
inbox with the page's filters, and one case with its answers, history and files."""

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.platform.oauth.permissions import AppScope
from rathaus.platform.staff.permissions import module_staff
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import StaffOf
from rathaus.tenants.current import current_town

from . import selectors
from .api_serializers import AnswerRowSerializer, EventSerializer, answer_rows
from .case_forms import InboxFilterForm
from .models import CaseEvent, Submission


class StaffCaseSerializer(serializers.ModelSerializer[Submission]):
    form = serializers.CharField(source="form.slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    assignee = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "reference",
            "form",
            "status",
            "status_label",
            "applicant_name",
            "assignee",
            "submitted_at",
        ]

    @extend_schema_field(serializers.CharField())
    def get_assignee(self, case: Submission) -> str:
        return case.assignee.email if case.assignee else ""


class StaffCaseDetailSerializer(StaffCaseSerializer):
    answers = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(StaffCaseSerializer.Meta):
        fields = [*StaffCaseSerializer.Meta.fields, "answers", "history"]

    @extend_schema_field(AnswerRowSerializer(many=True))
    def get_answers(self, case: Submission) -> list[dict[str, str]]:
        return answer_rows(case)

    @extend_schema_field(EventSerializer(many=True))
    def get_history(self, case: Submission) -> list[dict[str, Any]]:
        events = self.context.get("events", [])
        return list(EventSerializer(events, many=True, context=self.context).data)


class CasePages(PageNumberPagination):
    page_size = 50


class StaffView(APIView):
    permission_classes = [module_staff("applications", "clerk"), AppScope]
    # No ``oauth_scope``: an app's token never reaches the staff API.


FILTERS = [
    OpenApiParameter("form", str, description="A form's slug"),
    OpenApiParameter("status", str, description="received, in_progress, query, done, ..."),
    OpenApiParameter("assignee", str, description="mine, none, or a clerk's id"),
    OpenApiParameter("since", str, description="Received on or after (YYYY-MM-DD)"),
    OpenApiParameter("until", str, description="Received on or before (YYYY-MM-DD)"),
    OpenApiParameter("q", str, description="Part of the case number or the applicant's name"),
    OpenApiParameter("page", int, description="Page number, 50 a page"),
]


class StaffCaseList(StaffView):
    pagination_class = CasePages  # the schema then shows the page's shape

    @extend_schema(
        parameters=FILTERS,
        responses=StaffCaseSerializer(many=True),
        summary="Staff: the inbox, newest first, with the page's filters",
    )
    def get(self, request: Request) -> Response:
        query = request.query_params.copy()
        query.pop("page", None)
        filters = InboxFilterForm(query, clerks=selectors.clerks())
        if not filters.is_valid():
            problems = {f: [str(m) for m in ms] for f, ms in filters.errors.items()}
            return Response(
                {"code": "invalid", "detail": "bad filters", "problems": problems},
                status=status.HTTP_400_BAD_REQUEST,
            )
        found = filters.cases(user=request.user)  # type: ignore[arg-type]
        pages = CasePages()
        page = pages.paginate_queryset(found, request)
        return pages.get_paginated_response(StaffCaseSerializer(page, many=True).data)


class StaffCaseDetail(StaffView):
    @extend_schema(
        responses=StaffCaseDetailSerializer,
        summary="Staff: one case with its answers, history (notes too) and file links",
    )
    def get(self, request: Request, pk: int) -> Response:
        case = get_object_or_404(
            Submission.objects.select_related("form", "version", "assignee"), pk=pk
        )
        events: list[CaseEvent] = list(selectors.case_events(submission=case, internal=True))
        town = current_town()
        links = {
            item["file"]: private_file_link(
                town=town,
                name=item["file"],
                readers=[StaffOf("applications", "clerk")],
                filename=str(item.get("name", "")),
            )
            for event in events
            for item in event.files
            if item.get("file")
        }
        context = {"events": events, "links": links}
        return Response(StaffCaseDetailSerializer(case, context=context).data)
