"""URLs of the vendor's own hosts (``PUBLIC_HOSTS``): landing page and vendor admin."""

from django.contrib import admin
from django.urls import include, path

from rathaus.platform.portal import views as portal

admin.site.site_header = "Rathaus – Betreiber"
admin.site.site_title = "Rathaus – Betreiber"

urlpatterns = [
    path("", portal.vendor_landing, name="home"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
