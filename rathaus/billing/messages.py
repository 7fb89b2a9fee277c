"""The e-mail that tells a town's admins where the town stands with its payments."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rathaus.billing.dunning import DUNNING_MAIL
from rathaus.billing.models import DunningState
from rathaus.platform.messaging.models import OutboxMessage
from rathaus.platform.messaging.registry import MessageKind, Rendered, kinds
from rathaus.tenants.current import current_town
from rathaus.tenants.selectors import town_url


def _what_it_means(state: str) -> str:
    meanings: dict[str, str] = {
        DunningState.GOOD: _(
            "Alle offenen Rechnungen sind bezahlt. Die Verwaltung steht Ihnen wieder "
            "uneingeschränkt zur Verfügung."
        ),
        DunningState.PAST_DUE: _(
            "Eine Rechnung ist überfällig. Bitte begleichen Sie sie, damit die Verwaltung "
            "nicht eingeschränkt wird."
        ),
        DunningState.READ_ONLY: _(
            "Weil eine Rechnung weiter offen ist, können Mitarbeitende in der Verwaltung nur "
            "noch lesen, aber nichts ändern. Bürgerinnen und Bürger können alle Dienste "
            "weiter nutzen."
        ),
        DunningState.SUSPENDED: _(
            "Weil eine Rechnung weiter offen ist, ist die Verwaltung bis auf die Abrechnung "
            "gesperrt. Bürgerinnen und Bürger können alle Dienste weiter nutzen; gebuchte "
            "Termine und laufende Versände bleiben bestehen."
        ),
    }
    return meanings.get(state, "")


@kinds.register(DUNNING_MAIL)
class DunningMessage(MessageKind):
    """ "Zahlungsstand": the new state, what it means, and the link to the invoices."""

    channel = "email"
    label = gettext_lazy("Zahlungsstand der Kommune")

    def render(self, message: OutboxMessage) -> Rendered | None:
        state = str(message.context.get("state", ""))
        meaning = _what_it_means(state)
        if not meaning:
            return None
        town = current_town()
        link = town_url(town=town, path=reverse("billing:invoices", urlconf=settings.ROOT_URLCONF))
        label = DunningState(state).label
        return Rendered(
            subject=_("Zahlungsstand von %(town)s: %(state)s")
            % {"town": town.name, "state": label},
            body=_("Guten Tag,\n\n%(meaning)s\n\nRechnungen und Zahlungsstand: %(link)s")
            % {"meaning": meaning, "link": link},
        )
