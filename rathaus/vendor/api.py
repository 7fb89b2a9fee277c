"""The vendor REST API on the vendor's hosts: towns, onboarding and lifecycle.

Authenticated by a vendor token (``Authorization: Bearer <token>``, see
``python manage.py vendor_token``) or a vendor staff session. Views are thin:
they call the same services as the console and the command line.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import authentication, exceptions, permissions, serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from rathaus.modules.registry import modules as module_registry
from rathaus.modules.services import module_allow
from rathaus.platform.api.parsers import StrictJSONParser
from rathaus.platform.audit.services import Actor
from rathaus.platform.identity.models import User
from rathaus.tenants.current import current_town_or_none
from rathaus.tenants.models import Municipality
from rathaus.vendor.lifecycle import (
    town_custom_domain_add,
    town_reactivate,
    town_rename,
    town_suspend,
)
from rathaus.vendor.models import VendorToken
from rathaus.vendor.onboarding import tenant_onboard
from rathaus.vendor.selectors import TownOverview, all_tenants_overview
from rathaus.vendor.vendor_tokens import vendor_token_use


class VendorTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, VendorToken] | None:
        header = authentication.get_authorization_header(request).decode(errors="replace")
        if not header.startswith(f"{self.keyword} "):
            return None
        token = header.removeprefix(f"{self.keyword} ").strip()
        record = vendor_token_use(token=token)
        if record is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return record.user, record

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class VendorTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token in the OpenAPI schema as HTTP bearer authentication."""

    target_class = "rathaus.vendor.api.VendorTokenAuthentication"
    name = "vendorToken"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "Vendor token from `python manage.py vendor_token EMAIL`.",
        }


class IsVendorStaff(permissions.BasePermission):
    """Vendor staff only: an active staff account of the public schema (the vendor's hosts)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(
            user and user.is_authenticated and user.is_staff and current_town_or_none() is None
        )


class TownSerializer(serializers.Serializer):
    ags = serializers.CharField(source="town.ags")
    name = serializers.CharField(source="town.name")
    slug = serializers.CharField(source="town.slug")
    state = serializers.CharField(source="town.state.label")
    status = serializers.CharField(source="town.status")
    domains = serializers.SerializerMethodField()
    modules = serializers.ListField(child=serializers.CharField())
    citizens = serializers.IntegerField()
    staff = serializers.IntegerField()
    last_login = serializers.DateTimeField(allow_null=True)
    actions_30_days = serializers.IntegerField()

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_domains(self, overview: TownOverview) -> list[str]:
        # .all() uses the domains prefetched by all_tenants_overview: no query per town.
        return sorted(domain.domain for domain in overview.town.domains.all())


class OnboardSerializer(serializers.Serializer):
    ags = serializers.CharField(max_length=8)
    name = serializers.CharField(max_length=200)
    slug = serializers.CharField(max_length=63)
    admin_email = serializers.EmailField()
    modules = serializers.ListField(
        child=serializers.ChoiceField(choices=module_registry.keys()), required=False
    )
    domains = serializers.ListField(child=serializers.CharField(), required=False, default=list)
    # The town's public identity (optional here; the town's checklist asks for what is
    # missing). Send multipart/form-data to include the coat of arms.
    authority_name = serializers.CharField(max_length=200, required=False)
    address = serializers.CharField(max_length=500, required=False)
    imprint_url = serializers.URLField(required=False)
    privacy_url = serializers.URLField(required=False)
    contact_email = serializers.EmailField(required=False)
    contact_phone = serializers.CharField(max_length=40, required=False)
    primary_color = serializers.CharField(max_length=7, required=False)
    coat_of_arms = serializers.ImageField(required=False)

    IDENTITY_FIELDS = (
        "authority_name",
        "address",
        "imprint_url",
        "privacy_url",
        "contact_email",
        "contact_phone",
        "primary_color",
        "coat_of_arms",
    )


class RenameSerializer(serializers.Serializer):
    slug = serializers.CharField(max_length=63)


class DomainSerializer(serializers.Serializer):
    domain = serializers.CharField(max_length=253)


def _invalid(error: ValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(error.message_dict)


class VendorView(APIView):
    authentication_classes = [VendorTokenAuthentication, authentication.SessionAuthentication]
    permission_classes = [IsVendorStaff]

    def _actor(self, request: Request) -> Actor:
        return Actor.vendor(request.user)

    def _town(self, ags: str) -> Municipality:
        return get_object_or_404(Municipality, ags=ags)

    def _show(self, town: Municipality, code: int = status.HTTP_200_OK) -> Response:
        return Response(TownSerializer(all_tenants_overview(towns=[town])[0]).data, status=code)


class TownListView(VendorView):
    # JSON, or a form with the coat of arms as a file.
    parser_classes = [StrictJSONParser, MultiPartParser]

    @extend_schema(responses=TownSerializer(many=True), summary="All towns")
    def get(self, request: Request) -> Response:
        return Response(TownSerializer(all_tenants_overview(), many=True).data)

    @extend_schema(
        request=OnboardSerializer,
        responses={201: TownSerializer, 200: OpenApiResponse(TownSerializer, "existed already")},
        summary="Onboard a town (idempotent by AGS)",
    )
    def post(self, request: Request) -> Response:
        data = OnboardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        identity = {
            name: values.pop(name) for name in OnboardSerializer.IDENTITY_FIELDS if name in values
        }
        try:
            result = tenant_onboard(actor=self._actor(request), identity=identity, **values)
        except ValidationError as error:
            raise _invalid(error) from error
        return self._show(result.town, status.HTTP_201_CREATED if result.created else 200)


class TownDetailView(VendorView):
    @extend_schema(responses=TownSerializer, summary="One town")
    def get(self, request: Request, ags: str) -> Response:
        return self._show(self._town(ags))


class TownSuspendView(VendorView):
    @extend_schema(request=None, responses=TownSerializer, summary="Suspend a town")
    def post(self, request: Request, ags: str) -> Response:
        return self._show(town_suspend(town=self._town(ags), actor=self._actor(request)))


class TownReactivateView(VendorView):
    @extend_schema(request=None, responses=TownSerializer, summary="Reactivate a town")
    def post(self, request: Request, ags: str) -> Response:
        return self._show(town_reactivate(town=self._town(ags), actor=self._actor(request)))


class TownRenameView(VendorView):
    @extend_schema(request=RenameSerializer, responses=TownSerializer, summary="Change the slug")
    def post(self, request: Request, ags: str) -> Response:
        data = RenameSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            town = town_rename(
                town=self._town(ags), slug=data.validated_data["slug"], actor=self._actor(request)
            )
        except ValidationError as error:
            raise _invalid(error) from error
        return self._show(town)


class TownDomainView(VendorView):
    @extend_schema(request=DomainSerializer, responses=TownSerializer, summary="Add a domain")
    def post(self, request: Request, ags: str) -> Response:
        data = DomainSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        town = self._town(ags)
        try:
            town_custom_domain_add(
                town=town, domain=data.validated_data["domain"], actor=self._actor(request)
            )
        except ValidationError as error:
            raise _invalid(error) from error
        return self._show(town, status.HTTP_201_CREATED)


class ModuleGateSerializer(serializers.Serializer):
    allowed = serializers.BooleanField()


class TownModuleGateView(VendorView):
    @extend_schema(
        request=ModuleGateSerializer,
        responses=TownSerializer,
        summary="Allow or withdraw a module (billing follows: prorated item, or removed)",
    )
    def post(self, request: Request, ags: str, key: str) -> Response:
        data = ModuleGateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        town = self._town(ags)
        try:
            module_allow(
                town=town,
                key=key,
                allowed=data.validated_data["allowed"],
                actor=self._actor(request),
            )
        except ValidationError as error:
            raise _invalid(error) from error
        return self._show(town)
