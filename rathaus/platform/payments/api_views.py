"""The citizen's payments in the REST API: my payments with their state and receipt
(``payments:read`` for an app; a browser session of the person works as well)."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.platform.identity.models import User
from rathaus.platform.oauth.permissions import AppScope
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url

from .models import Payment
from .selectors import payments_of_person
from .tokens import payment_path


class PaymentSerializer(serializers.ModelSerializer[Payment]):
    """One payment as its payer sees it; amounts as decimal strings, never floats."""

    id = serializers.UUIDField(source="public_id", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    refunded_amount = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    receipt_url = serializers.SerializerMethodField(
        help_text="The payment's page on the town's site: how it stands, the receipt, "
        "the bank details for a transfer (a signed link of this town)"
    )

    class Meta:
        model = Payment
        fields = [
            "id",
            "kassenzeichen",
            "purpose",
            "amount",
            "currency",
            "refunded_amount",
            "state",
            "state_label",
            "provider",
            "created_at",
            "paid_at",
            "receipt_url",
        ]
        read_only_fields = fields

    def get_receipt_url(self, payment: Payment) -> str:
        return town_url(town=current_town(), path=payment_path(payment=payment))


class PaymentPages(PageNumberPagination):
    page_size = 20


def _payer(request: Request) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


class MyPayments(APIView):
    permission_classes = [IsAuthenticated, AppScope]
    oauth_scope = "payments"
    pagination_class = PaymentPages  # the schema then shows the page's shape

    @extend_schema(responses=PaymentSerializer(many=True), summary="My payments, newest first")
    def get(self, request: Request) -> Response:
        pages = PaymentPages()
        page: Any = pages.paginate_queryset(payments_of_person(user=_payer(request)), request)
        return pages.get_paginated_response(PaymentSerializer(page, many=True).data)
