"""``/staff/modules/``: the town admin's pages about the services (namespace ``staff-modules``)."""

from django.urls import path

from rathaus.modules import staff_views

app_name = "staff-modules"

urlpatterns = [
    path("", staff_views.module_list, name="index"),
    path("<str:key>/switch/", staff_views.module_switch, name="switch"),
    path("<str:key>/switch-off/", staff_views.module_switch_off, name="switch-off"),
    path("<str:key>/settings/", staff_views.module_settings, name="settings"),
    path("<str:key>/trust/", staff_views.module_trust, name="trust"),
]
