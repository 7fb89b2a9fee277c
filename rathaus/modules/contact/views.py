from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from rathaus.platform.oauth.scopes import OPEN_TO_APPS
from rathaus.tenants.current import current_town

from .selectors import contact_details
from .serializers import ContactSettings


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "contact/index.html",
        {"contact": contact_details(town=current_town())},
    )


@extend_schema(responses=ContactSettings, summary="Contact details and opening hours of the town")
@api_view(["GET"])
@permission_classes([AllowAny])
def contact_api(request: Request) -> Response:
    details = contact_details(town=current_town())
    return Response(ContactSettings(details).data)


# Public: an app may call it with its token too.
contact_api.cls.oauth_scope = OPEN_TO_APPS  # type: ignore[attr-defined]
