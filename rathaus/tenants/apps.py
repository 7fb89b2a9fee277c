from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "rathaus.tenants"
    verbose_name = "Kommunen"

    def ready(self) -> None:
        from rathaus.tenants import signals  # noqa: F401  (connects the cache invalidation)
