from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "rathaus.platform.federation"
    label = "federation"
    verbose_name = "Landeskonto"

    def ready(self) -> None:
        # Registers the protocol plugins, the data-export section and the audit log's words.
        from rathaus.platform.federation import audit_wording, oidc, saml, selectors  # noqa: F401
