from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from rathaus.modules.registry import Module, NavEntry, modules
from rathaus.platform.audit.services import Actor
from rathaus.tenants.models import Municipality

from .serializers import ContactSettings

if TYPE_CHECKING:
    from rathaus.platform.catalogue.entries import ServiceEntry


@modules.register
class Contact(Module):
    key = "contact"
    title = _("Kontakt und Öffnungszeiten")
    description = _("Anschrift, Telefon, E-Mail und Öffnungszeiten der Verwaltung.")
    settings_serializer = ContactSettings
    citizen_urls = "rathaus.modules.contact.urls"
    api_urls = "rathaus.modules.contact.api"
    nav = (NavEntry(_("Kontakt"), "index"),)
    price = "module_contact"
    default_enabled = True

    @classmethod
    def catalogue_entries(cls) -> list["ServiceEntry"]:
        from .catalogue import contact_catalogue_entries

        return contact_catalogue_entries()

    @classmethod
    def demo_load(cls, *, town: Municipality, actor: Actor) -> None:
        from .demo import demo_load

        demo_load(town=town, actor=actor)

    @classmethod
    def town_export(cls, *, town: Municipality) -> dict[str, list[dict[str, Any]]]:
        from .town_export import contact_town_export

        return contact_town_export(town=town)
