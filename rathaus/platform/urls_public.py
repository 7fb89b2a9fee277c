"""URLs of the vendor's own hosts (``PUBLIC_HOSTS``): landing page and vendor admin."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from rathaus.platform.portal import views as portal

admin.site.site_header = "Rathaus – Betreiber"
admin.site.site_title = "Rathaus – Betreiber"

urlpatterns = [
    path("", portal.vendor_landing, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Vendor console and vendor API (towns, onboarding, lifecycle); OpenAPI of this host.
    path("", include("rathaus.tenants.urls_vendor")),
    path(
        "api/schema/",
        SpectacularAPIView.as_view(
            urlconf="rathaus.platform.urls_public",
            custom_settings={
                "TITLE": "Rathaus Vendor API",
                "DESCRIPTION": "Towns, onboarding and lifecycle; vendor staff tokens only.",
            },
        ),
        name="api-schema",
    ),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
