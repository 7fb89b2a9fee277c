"""URLs of the vendor's own hosts (``PUBLIC_HOSTS``): landing page and vendor admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.authentication import SessionAuthentication

from rathaus.vendor.api import IsVendorStaff, VendorTokenAuthentication
from rathaus.vendor.console import vendor_only
from rathaus.vendor.views import vendor_landing

admin.site.site_header = "Rathaus – Betreiber"
admin.site.site_title = "Rathaus – Betreiber"

urlpatterns = [
    path("", vendor_landing, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Stripe's webhooks (signed; no CSRF, no session).
    path("billing/", include("rathaus.billing.urls")),
    # Vendor console and vendor API (towns, onboarding, lifecycle); OpenAPI of this host.
    path("", include("rathaus.vendor.urls")),
    # The vendor API's description is for vendor staff only, like the API itself: a
    # vendor token (scripts, client generators) or a vendor staff session. The page
    # sends people to the login; the towns' own API docs (mobile app) stay public.
    path(
        "api/schema/",
        SpectacularAPIView.as_view(
            urlconf="rathaus.config.urls_public",
            custom_settings={
                "TITLE": "Rathaus Vendor API",
                "DESCRIPTION": "Towns, onboarding and lifecycle; vendor staff tokens only.",
            },
            authentication_classes=[VendorTokenAuthentication, SessionAuthentication],
            permission_classes=[IsVendorStaff],
        ),
        name="api-schema",
    ),
    path(
        "api/docs/",
        vendor_only(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
]

# JSON error answers under /api/, the site's pages elsewhere.
handler404 = "rathaus.platform.api.views.not_found"
handler500 = "rathaus.platform.api.views.server_error"
