"""REST API of online applications for the citizen's apps: my applications with their
status, one with its answers and history, and the answer to a Rückfrage (text and
documents, checked like the site's form). Someone else's application, or one of another
town, is simply not there (404)."""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.platform.api.query import PageQuery, query_validated
from rathaus.platform.identity.models import User
from rathaus.platform.oauth.permissions import AppScope
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import Account
from rathaus.tenants.current import current_town

from . import cases
from .api_serializers import (
    AnswerRequestSerializer,
    ApplicationSerializer,
    ApplicationSummarySerializer,
    ErrorSerializer,
    EventSerializer,
)
from .case_forms import AnswerForm
from .models import CaseEvent, Submission
from .selectors import case_events, submissions_of_user

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such application of yours")


class ApplicationPages(PageNumberPagination):
    page_size = 20


def _person(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _mine(request: Request, reference: str) -> Submission | None:
    return (
        submissions_of_user(user=_person(request))
        .select_related("form", "version")
        .filter(reference=reference)
        .first()
    )


def _not_found() -> Response:
    return Response(
        {"code": "not_found", "detail": _("Diesen Antrag gibt es in Ihrem Konto nicht.")},
        status=status.HTTP_404_NOT_FOUND,
    )


def _links(events: list[CaseEvent], reader: User) -> dict[str, str]:
    town = current_town()
    return {
        item["file"]: private_file_link(
            town=town,
            name=item["file"],
            readers=[Account(reader.pk)],
            filename=str(item.get("name", "")),
        )
        for event in events
        for item in event.files
        if item.get("file")
    }


class ApplicationList(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "applications"
    pagination_class = ApplicationPages  # the schema then shows the page's shape

    @extend_schema(
        parameters=[PageQuery],
        responses=ApplicationSummarySerializer(many=True),
        summary="My applications with their status, newest first",
    )
    def get(self, request: Request) -> Response:
        query_validated(PageQuery, request)
        pages = ApplicationPages()
        found = submissions_of_user(user=_person(request)).order_by("-submitted_at", "-pk")
        page = pages.paginate_queryset(found, request)
        return pages.get_paginated_response(ApplicationSummarySerializer(page, many=True).data)


class ApplicationDetail(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "applications"

    @extend_schema(
        responses={200: ApplicationSerializer, 404: NOT_FOUND},
        summary="One application: status, answers and what happened (questions, decision)",
    )
    def get(self, request: Request, reference: str) -> Response:
        found = _mine(request, reference)
        if found is None:
            return _not_found()
        events = list(case_events(submission=found, internal=False))
        context = {"events": events, "links": _links(events, _person(request))}
        return Response(ApplicationSerializer(found, context=context).data)


class QueryAnswer(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "applications"
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": AnswerRequestSerializer},
        responses={
            201: EventSerializer,
            400: OpenApiResponse(ErrorSerializer, description="No text, or a file refused"),
            404: NOT_FOUND,
            409: OpenApiResponse(ErrorSerializer, description="No question waits for an answer"),
        },
        summary="Answer the office's question (Rückfrage) with a text and documents",
    )
    def post(self, request: Request, reference: str) -> Response:
        found = _mine(request, reference)
        if found is None:
            return _not_found()
        if cases.open_query(submission=found) is None:
            return _no_query()
        form = AnswerForm(request.data, request.FILES)
        if not form.is_valid():
            problems: dict[str, Any] = {
                field: [str(message) for message in messages]
                for field, messages in form.errors.items()
            }
            return Response(
                {
                    "code": "invalid",
                    "detail": _("Bitte prüfen Sie Ihre Antwort."),
                    "problems": problems,
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        try:
            event = cases.case_query_answer(
                town=current_town(),
                submission=found,
                text=form.cleaned_data["text"],
                files=form.cleaned_data.get("files") or [],
                user=_person(request),
            )
        except cases.CaseActionRefused:
            return _no_query()
        links = _links([event], _person(request))
        return Response(
            EventSerializer(event, context={"links": links}).data, status=status.HTTP_201_CREATED
        )


def _no_query() -> Response:
    return Response(
        {"code": "no_query", "detail": _("Zu diesem Antrag gibt es keine offene Rückfrage.")},
        status=status.HTTP_409_CONFLICT,
    )
