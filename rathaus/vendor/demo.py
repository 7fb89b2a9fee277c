"""What the demo towns show: every service switched on, with the sample content each
module brings itself (``Module.demo_load``), and each demo town's own identity (colour,
coat of arms, authority name, address, Impressum and privacy links), so the two towns
are recognisably different."""

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django_tenants.utils import schema_context

from rathaus.modules.registry import modules
from rathaus.modules.services import modules_set_up_for_new_town
from rathaus.platform.audit.services import Actor
from rathaus.platform.branding.selectors import stored_branding
from rathaus.platform.branding.services import branding_update
from rathaus.tenants.models import Municipality
from rathaus.vendor.heraldry import Arms, chevron, cog_wheel, shield_png, wavy_bar, wheat_ears

SILVER, GOLD = "#f4f4f4", "#e0b020"

# Keyed by AGS. The arms are simple drawings in the spirit of each town (the river
# Tanger and the ironworks; the Börde's farmland), not the towns' official arms.
DEMO_IDENTITIES: dict[str, dict[str, Any]] = {
    "15090520": {
        "arms": Arms(
            field="#12437a",
            charges=(wavy_bar(SILVER, at=0.6), cog_wheel(GOLD, hole="#12437a")),
        ),
        "branding": {
            "authority_name": "Stadt Tangerhütte",
            "address": "Bismarckstraße 5\n39517 Tangerhütte",
            "primary_color": "#12437a",
            "contact_email": "info@tangerhuette.example",
            "contact_phone": "03935 9310",
            "imprint_url": "https://www.tangerhuette.de/impressum",
            "privacy_url": "https://www.tangerhuette.de/datenschutz",
        },
    },
    "15083298": {
        "arms": Arms(field="#2b6a2f", charges=(chevron(GOLD, apex=0.5), wheat_ears(GOLD))),
        "branding": {
            "authority_name": "Gemeinde Hohe Börde",
            "address": "Bördestraße 8\n39167 Hohe Börde OT Irxleben",
            "primary_color": "#2b6a2f",
            "contact_email": "info@hoheboerde.example",
            "contact_phone": "039204 7810",
            "imprint_url": "https://www.hoheboerde.de/impressum",
            "privacy_url": "https://www.hoheboerde.de/datenschutz",
        },
    },
}


def demo_content_load(*, town: Municipality, actor: Actor) -> None:
    """Switches every module on for ``town`` and adds sample content, once (idempotent)."""
    modules_set_up_for_new_town(town=town, keys=modules.keys(), actor=actor)
    with schema_context(town.schema_name):
        demo_identity_load(town=town, actor=actor)
        for module in modules:
            # All of a module's sample content or none: a half-made set would stay half
            # made, since a module's loader skips what it finds.
            with transaction.atomic():
                module.demo_load(town=town, actor=actor)


def demo_identity_load(*, town: Municipality, actor: Actor) -> None:
    """Gives a demo town its colour, coat of arms, name, address and links, unless it has arms.

    Runs in the town's schema. A town that is no demo town, or whose arms are
    set already (a second run, or an admin's own choice), is left as it is.
    """
    identity = DEMO_IDENTITIES.get(town.ags)
    if identity is None or stored_branding().coat_of_arms:
        return
    arms = ContentFile(shield_png(identity["arms"]), name=f"wappen-{town.slug}.png")
    branding_update(town=town, actor=actor, coat_of_arms=arms, **identity["branding"])
