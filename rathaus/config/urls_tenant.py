"""URLs of a town's host (``<slug>.<BASE_DOMAIN>`` and its custom domains)."""

from django.conf import settings
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from rathaus.modules import urls as module_urls
from rathaus.platform.portal import app
from rathaus.platform.portal import views as portal

urlpatterns = [
    path("", portal.town_home, name="home"),
    path("manifest.webmanifest", app.manifest, name="app-manifest"),
    path("sw.js", app.service_worker, name="service-worker"),
    path("offline/", app.offline, name="offline"),
    path("app-icons/<str:purpose>-<int:size>.png", app.app_icon, name="app-icon"),
    path("impressum/", portal.imprint, name="imprint"),
    path("datenschutz/", portal.privacy, name="privacy"),
    path("barrierefreiheit/", portal.accessibility, name="accessibility"),
    path("", include("rathaus.platform.catalogue.urls")),
    path("accounts/", include("rathaus.platform.identity.urls")),
    # Apps acting for a person: authorize (consent), token, revoke, connected apps.
    path("oauth/", include("rathaus.platform.oauth.urls")),
    path("staff/modules/", include("rathaus.modules.staff_urls")),
    path("staff/billing/", include("rathaus.billing.staff_urls")),
    path("staff/payments/", include("rathaus.platform.payments.staff_urls")),
    path("staff/apps/", include("rathaus.platform.oauth.staff_urls")),
    path("staff/", include("rathaus.platform.staff.urls")),
    path("federation/", include("rathaus.platform.federation.urls")),
    path("payments/", include("rathaus.platform.payments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/payments/", include("rathaus.platform.payments.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", portal.town_file, name="town-file"),
    # Private files: a signed, short-lived link for their readers (platform.storage.downloads).
    path("files/<str:token>/", portal.private_file, name="private-file"),
    *module_urls.citizen_patterns(),
    *module_urls.staff_patterns(),
    *module_urls.api_patterns(),
]

# JSON error answers under /api/, the site's pages elsewhere.
handler404 = "rathaus.platform.api.views.not_found"
handler500 = "rathaus.platform.api.views.server_error"
