from django.urls import path

from rathaus.platform.federation import views

app_name = "federation"

urlpatterns = [
    path("login/<str:protocol>/", views.login_start, name="login"),
    path("saml/metadata/", views.saml_metadata, name="saml-metadata"),
    path("saml/acs/", views.saml_acs, name="saml-acs"),
    path("oidc/callback/", views.oidc_callback, name="oidc-callback"),
    path("unlink/<int:pk>/", views.unlink, name="unlink"),
    path("settings/", views.settings_overview, name="settings"),
    path("settings/setup/", views.settings_setup, name="settings-setup"),
    path("settings/setup/<str:choice>/", views.settings_new, name="settings-new"),
    path("settings/<str:protocol>/", views.settings_edit, name="settings-edit"),
]
