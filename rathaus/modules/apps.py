from django.apps import AppConfig
from django.core import checks
from django.utils.module_loading import autodiscover_modules


class ModulesConfig(AppConfig):
    name = "rathaus.modules"
    label = "modules"
    verbose_name = "Dienste"

    def ready(self) -> None:
        # Every installed app's module.py registers its module; nothing else
        # lists module names.
        autodiscover_modules("module")
        from rathaus.modules import signals  # noqa: F401
        from rathaus.modules.account_sections import module_account_links
        from rathaus.modules.audit_wording import module_audit_wording_register
        from rathaus.modules.catalogue import module_catalogue_sources
        from rathaus.modules.channels import module_channels_register
        from rathaus.modules.conformance import check_personal_data_declarations
        from rathaus.modules.payments import module_payment_listeners_register
        from rathaus.modules.personal_data import module_personal_data_register
        from rathaus.modules.staff_menu import module_staff_pages
        from rathaus.platform.catalogue.sources import catalogue_sources_provider
        from rathaus.platform.identity.account_sections import account_links_provider
        from rathaus.platform.staff.menu import staff_pages_provider

        staff_pages_provider(module_staff_pages)
        account_links_provider(module_account_links)
        catalogue_sources_provider(module_catalogue_sources)
        module_personal_data_register()
        module_channels_register()
        module_payment_listeners_register()
        module_audit_wording_register()
        checks.register(check_personal_data_declarations)
