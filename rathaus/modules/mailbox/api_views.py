"""REST API of the mailbox for the mobile app: what the citizen can do on the site.

List and search the messages, read one (which records its first opening, as the
page does), download links for its documents, reply where allowed, and the
consent to electronic delivery. Only the logged-in owner ever sees a message; a
message of someone else, or of another town, is simply not there (404).
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.platform.api.errors import ErrorSerializer
from rathaus.platform.api.query import PageQuery, query_validated
from rathaus.platform.identity.models import User
from rathaus.platform.oauth.permissions import AppScope
from rathaus.platform.storage.downloads import private_file_link
from rathaus.platform.storage.readers import Account
from rathaus.tenants.current import current_town

from .errors import MailboxError
from .models import Message
from .selectors import consent_current, message_of, messages_of
from .serializers import (
    ConsentSerializer,
    MessageSerializer,
    MessageSummarySerializer,
    ReplyRequestSerializer,
    ReplySerializer,
)
from .services import NewDocument, consent_record, message_open, reply_send

NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such message in your mailbox")


class MessagePages(PageNumberPagination):
    page_size = 20


def _owner(request: Request) -> User:
    """The logged-in account (every view here is behind ``IsAuthenticated``)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def _not_found() -> Response:
    return Response(
        {"code": "not_found", "detail": _("Diese Nachricht gibt es in Ihrem Postfach nicht.")},
        status=status.HTTP_404_NOT_FOUND,
    )


def _links(message: Message, reader: User) -> dict[int, str]:
    """A short-lived link for each document of the message (its own and the replies'),
    for the person reading it (the owner, or a member of the owning organisation)."""
    town = current_town()
    return {
        document.pk: private_file_link(
            town=town,
            name=document.stored_name,
            readers=[Account(reader.pk)],
            filename=document.filename,
        )
        for document in message.documents.all()
    }


def _detail(message: Message, reader: User) -> dict[str, Any]:
    return dict(MessageSerializer(message, context={"links": _links(message, reader)}).data)


class MessageQuery(PageQuery):
    q = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=100,
        help_text="Search subject, sender and reference",
    )


class MessageList(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "mailbox"
    pagination_class = MessagePages  # the schema then shows the page's shape

    @extend_schema(
        parameters=[MessageQuery],
        responses=MessageSummarySerializer(many=True),
        summary="My messages, newest first",
    )
    def get(self, request: Request) -> Response:
        query = query_validated(MessageQuery, request)
        pages = MessagePages()
        found = messages_of(owner=_owner(request), query=query.get("q", ""))
        page = pages.paginate_queryset(found, request)
        return pages.get_paginated_response(MessageSummarySerializer(page, many=True).data)


class MessageDetail(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "mailbox"

    @extend_schema(
        responses={200: MessageSerializer, 404: NOT_FOUND},
        summary="One message with its documents; the first read is recorded",
    )
    def get(self, request: Request, public_id: str) -> Response:
        found = message_of(owner=_owner(request), public_id=public_id)
        if found is None:
            return _not_found()
        return Response(_detail(message_open(message=found), _owner(request)))


class MessageReply(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "mailbox"
    parser_classes = [MultiPartParser]

    @extend_schema(
        request={"multipart/form-data": ReplyRequestSerializer},
        responses={
            201: ReplySerializer,
            400: OpenApiResponse(ErrorSerializer, description="Empty, too long, or a bad file"),
            404: NOT_FOUND,
        },
        summary="Answer a message that allows replies (text and PDF files)",
    )
    def post(self, request: Request, public_id: str) -> Response:
        found = message_of(owner=_owner(request), public_id=public_id)
        if found is None or not found.allows_reply:
            return _not_found()
        data = ReplyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            reply = reply_send(
                message=found,
                author=_owner(request),
                body=data.validated_data["body"],
                documents=[
                    NewDocument(
                        filename=upload.name or "",
                        content=upload.read(),
                        content_type=upload.content_type or "",
                    )
                    for upload in data.validated_data["documents"]
                ],
            )
        except MailboxError as exc:
            return Response({"code": "invalid", "detail": str(exc)}, status=400)
        links = _links(found, _owner(request))
        return Response(ReplySerializer(reply, context={"links": links}).data, status=201)


class Consent(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "mailbox"

    @extend_schema(responses=ConsentSerializer, summary="Whether notices may come electronically")
    def get(self, request: Request) -> Response:
        current = consent_current(account=_owner(request))
        return Response(
            {
                "consented": bool(current and current.consented),
                "recorded_at": current.recorded_at if current else None,
            }
        )

    @extend_schema(
        request=ConsentSerializer,
        responses=ConsentSerializer,
        summary="Give or withdraw consent to electronic delivery (recorded with its time)",
    )
    def put(self, request: Request) -> Response:
        data = ConsentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        recorded = consent_record(
            account=_owner(request), consented=data.validated_data["consented"]
        )
        return Response({"consented": recorded.consented, "recorded_at": recorded.recorded_at})
