from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "rathaus.platform.federation"
    label = "federation"
    verbose_name = "Landeskonto"

    def ready(self) -> None:
        # Registers the protocol plugins and the data-export section.
        from rathaus.platform.federation import oidc, saml, selectors  # noqa: F401
