from django.apps import AppConfig


class OAuthConfig(AppConfig):
    name = "rathaus.platform.oauth"
    label = "oauth"
    verbose_name = "Apps (OAuth 2.0)"

    def ready(self) -> None:
        from django.contrib import admin

        from rathaus.platform.identity.account_sections import account_links_provider
        from rathaus.platform.oauth import admin as oauth_admin
        from rathaus.platform.oauth import (
            audit_wording,  # noqa: F401  (the log's words)
            openapi,  # noqa: F401  (the schema's security scheme)
        )
        from rathaus.platform.oauth.account import connected_apps_link

        # django-oauth-toolkit registers its models in the Django admin, which only the
        # vendor's hosts serve; their tables are in the towns' schemas, not there.
        oauth_admin.unregister_toolkit_models(admin.site)
        account_links_provider(connected_apps_link)
