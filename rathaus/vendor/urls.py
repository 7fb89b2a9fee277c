"""Vendor console (``/console/``) and vendor API (``/api/vendor/v1/``): vendor hosts only."""

from django.urls import include, path

from rathaus.vendor import api, console

console_patterns = (
    [
        path("", console.console_home, name="home"),
        path("login/", console.ConsoleLoginView.as_view(), name="login"),
        path("logout/", console.console_logout, name="logout"),
        path("towns/new/", console.console_onboard, name="onboard"),
        path("billing/", console.console_billing, name="billing"),
        path("towns/<str:ags>/", console.console_town, name="town"),
        path(
            "towns/<str:ags>/suspend/",
            console.console_status,
            {"change": "suspend"},
            name="suspend",
        ),
        path(
            "towns/<str:ags>/reactivate/",
            console.console_status,
            {"change": "reactivate"},
            name="reactivate",
        ),
        path("towns/<str:ags>/support/", console.console_support, name="support"),
        path(
            "towns/<str:ags>/modules/<str:key>/",
            console.console_module_gate,
            name="module-gate",
        ),
    ],
    "console",
)

api_patterns = (
    [
        path("towns/", api.TownListView.as_view(), name="towns"),
        path("towns/<str:ags>/", api.TownDetailView.as_view(), name="town"),
        path("towns/<str:ags>/suspend/", api.TownSuspendView.as_view(), name="suspend"),
        path("towns/<str:ags>/reactivate/", api.TownReactivateView.as_view(), name="reactivate"),
        path("towns/<str:ags>/rename/", api.TownRenameView.as_view(), name="rename"),
        path("towns/<str:ags>/domains/", api.TownDomainView.as_view(), name="domains"),
        path(
            "towns/<str:ags>/modules/<str:key>/",
            api.TownModuleGateView.as_view(),
            name="module-gate",
        ),
    ],
    "vendor-api",
)

urlpatterns = [
    path("console/", include(console_patterns)),
    path("api/vendor/v1/", include(api_patterns)),
]
