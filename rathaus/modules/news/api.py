"""REST API for the mobile app: topics, subscribing with double opt-in, my topics."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.platform.oauth.permissions import AppScope
from rathaus.tenants.current import current_town

from . import selectors, services
from .limits import subscribe_limit
from .serializers import (
    DetailSerializer,
    RateLimitedSerializer,
    SubscribeRequestSerializer,
    SubscriptionSerializer,
    TopicSerializer,
)


class TopicList(APIView):
    permission_classes = [AllowAny, AppScope]
    oauth_scope = "news"

    @extend_schema(responses=TopicSerializer(many=True), summary="Topics of the town's news")
    def get(self, request: Request) -> Response:
        return Response(TopicSerializer(selectors.topic_list(), many=True).data)


class Subscribe(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []  # anonymous: no session, so no CSRF token needed

    @extend_schema(
        request=SubscribeRequestSerializer,
        responses={202: DetailSerializer, 429: RateLimitedSerializer},
        summary="Subscribe an e-mail address to topics (sends the double opt-in e-mail)",
        description=(
            "Limited per client address and per e-mail address; beyond that the answer "
            "is 429 with a message to show."
        ),
    )
    def post(self, request: Request) -> Response:
        data = SubscribeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        limited = subscribe_limit(request=request._request, email=data.validated_data["email"])
        if limited is not None:
            return Response(
                {"code": "rate_limited", "detail": limited.message},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        try:
            services.subscription_request(
                town=current_town(),
                email=data.validated_data["email"],
                topic_ids=[t.pk for t in data.validated_data["topics"]],
            )
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return Response(
            {"detail": _("Bitte bestätigen Sie den Link in der E-Mail, die wir geschickt haben.")},
            status=status.HTTP_202_ACCEPTED,
        )


class MySubscription(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "news"

    def _state(self, request: Request) -> Response:
        subscriber = selectors.subscriber_for_user(user=request.user)
        receiving = bool(subscriber and subscriber.is_receiving)
        topics = list(subscriber.topics.all()) if subscriber and receiving else []
        return Response(SubscriptionSerializer({"topics": topics, "receiving": receiving}).data)

    @extend_schema(responses=SubscriptionSerializer, summary="The topics my account receives")
    def get(self, request: Request) -> Response:
        return self._state(request)

    @extend_schema(
        request=SubscriptionSerializer,
        responses=SubscriptionSerializer,
        summary="Receive exactly these topics (an empty list: none)",
    )
    def put(self, request: Request) -> Response:
        data = SubscriptionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.subscription_set_topics(
            user=request.user, topic_ids=[t.pk for t in data.validated_data["topics"]]
        )
        return self._state(request)

    @extend_schema(responses={200: SubscriptionSerializer}, summary="Receive no more news")
    def delete(self, request: Request) -> Response:
        services.subscription_set_topics(user=request.user, topic_ids=[])
        return self._state(request)
