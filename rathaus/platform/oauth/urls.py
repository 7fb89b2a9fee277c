from django.urls import path
from oauth2_provider import views as toolkit

from rathaus.platform.oauth import views

app_name = "oauth"

urlpatterns = [
    path("authorize/", views.AuthorizeView.as_view(), name="authorize"),
    path("token/", toolkit.TokenView.as_view(), name="token"),
    path("revoke/", toolkit.RevokeTokenView.as_view(), name="revoke"),
    path("connected/", views.connected_apps, name="connected"),
]
