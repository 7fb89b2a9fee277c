"""No Django admin for apps: the admin runs on the vendor's hosts, the apps live per town.

Apps are registered with ``manage.py oauth_app_register`` or on the town's staff page.
"""

from django.contrib import admin
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)


def unregister_toolkit_models(site: admin.AdminSite) -> None:
    """Takes django-oauth-toolkit's models out of ``site`` (their tables are per town)."""
    for model in (
        get_application_model(),
        get_access_token_model(),
        get_grant_model(),
        get_id_token_model(),
        get_refresh_token_model(),
    ):
        if site.is_registered(model):
            site.unregister(model)
